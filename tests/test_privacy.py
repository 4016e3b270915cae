"""The personal data guard on its own: what it must catch and what it must let pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.privacy import find, id_checksum_ok


@pytest.mark.parametrize(("text", "code"), [
    ("身份证 11010519491231002X", "G401"),               # valid GB 11643 checksum
    ("证件 110105199003071234", "G401"),                 # date-shaped, checksum fails: still refused
    ("电话 13812345678", "G402"),
    ("电话 +86 138-1234-5678", "G402"),
    ("电话 0086 138 1234 5678", "G402"),
    ("联系１３９\u200b１２３４\u200b５６７８", "G402"),     # full-width digits and zero-width spaces
    ("手机 ①③⑧①②③④⑤⑥⑦⑧", "G402"),                       # circled digits (no ASCII digit at all)
    ("手机 𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "G402"),                       # mathematical bold digits
    ("出生于1985年6月", "G403"),
    ("出生日期：1985年6月7日", "G403"),
    ("李明，1985年3月出生，负责发票", "G403"),
])
def test_refused(text: str, code: str) -> None:
    assert [c for c, _ in find(text)] == [code]


@pytest.mark.parametrize("text", [
    "联系 138****1234",                                  # masked
    "电话 0839-12345678",                               # landline
    "事项编码 11510000MB1234567X0001",                  # longer code, not an ID
    "2019年9月1日至2020年8月31日出生的适龄儿童",         # a rule about a class of people
    "本办法自2026年3月生效",
    "服务卡号 QC-SW-0001",
])
def test_allowed(text: str) -> None:
    assert list(find(text)) == []


def test_allowlisted_official_mobile() -> None:
    assert list(find("热线 138-0000-1111", frozenset({"13800001111"}))) == []


def test_checksum() -> None:
    assert id_checksum_ok("11010519491231002X")
    assert not id_checksum_ok("110105194912310021")


def test_unicode_tables_match_this_python() -> None:
    """The written-out tables (invisible characters, digits of every script) are this Python's Unicode."""
    from generator import unicode_tables

    for name, table in unicode_tables.generate().items():
        assert getattr(unicode_tables, name) == table, f"{name} = {table!r}"


# Worst cases for the guard's patterns: long runs that nearly match. With backtracking over
# adjacent ``\s*`` the birth-date patterns took hours on the first two.
_WORST = [
    "出生1985年1" + " " * 100_000 + "x",
    "2020年1" + " " * 100_000 + "x",
    "2020年1月" + " " * 50_000 + "1" + " " * 50_000 + "x",
    "出生日期 1985" + " " * 100_000 + "x",
    "1" + " " * 100_000 + "x",
    "1" + "-" * 100_000,
    "1" * 100_000,
    "13" * 50_000,
    "1 " * 50_000,
    "出生" * 50_000,
    "出生1985年" * 12_500,
    "2020年1月2日" * 12_500,
    "1985-1-1 " * 12_500,
    "+86" * 33_000,
    "1\u200b" * 50_000,
    "&#49;" * 20_000,
    "\u0301\u0316" * 50_000,            # alternating combining classes (NFKC reorders them)
    "\U0001d16d\U0001d165" * 50_000,    # the same with spacing marks
    "1\u0301\u0316" * 30_000,
    "<!--" * 25_000,
    "<a" * 50_000,
    "&" * 100_000,
    "家住" * 50_000,                      # home addresses: many starts, long near-matches
    "家住" + "1" * 100_000,
    "住在" + "一" * 100_000 + "单",
    "家住" + "3栋" * 50_000,
    ("家住" + "1弄" + "2" * 30 + "，") * 3_000,
    "一" * 100_000,                      # Chinese numerals (generator.numerals)
    "一二三四五六七八九十" * 10_000,
    ("一" * 10 + "x" * 4) * 7_000,
    "出生" + "一年" * 50_000,
    "出生" + "十" * 100_000 + "年",
    "出生日期：一九九〇年" + " " * 100_000 + "三月",
    "1990-03" + " " * 100_000 + "-07出生",
    "出生年月：" + "1990" * 25_000,
    "[" * 100_000,                       # Markdown fields are rendered: see tests/test_richtext.py
    "".join("    " * i + "- 1\n" for i in range(500)),
]


def test_every_pattern_finishes_on_its_worst_case() -> None:
    """Run in a child process with a generous limit: a regression fails here instead of hanging."""
    import json
    import subprocess
    import sys

    from .conftest import ROOT

    script = ("import sys, json\nfrom generator.privacy import find\n"
              "for text in json.load(sys.stdin):\n    list(find(text))\n    list(find(text, markdown=True))\n"
              "print('done')\n")
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(_WORST), capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "done", done.stderr


def _unbounded(pattern: str) -> list[str]:
    """Greedy or lazy repetitions without an upper bound (``*``, ``+``, ``{n,}``) that are not possessive."""
    import re

    bare = re.sub(r"\\.", "x", pattern)                # escaped characters are literals
    bare = re.sub(r"\[(\^?\]?[^\]]*)\]", "x", bare)   # a character class is one item
    tokens = re.findall(r"(?:[*+]|\{\d*,\})[+?]?", bare)
    return [t for t in tokens if not (len(t) > 1 and t.endswith("+"))]


def test_every_pattern_is_linear_by_construction() -> None:
    from generator import numerals
    from generator.privacy import PATTERNS

    assert PATTERNS and numerals.PATTERNS
    for pattern in (*PATTERNS, *numerals.PATTERNS):
        assert _unbounded(pattern.pattern) == [], pattern.pattern


# ---------------------------------------------------------------- what the reader sees (#17)

# Mobiles and ID numbers split by characters a browser does not draw: the page shows the number.
INVISIBLE_SPLITS = [
    "手机 138\u202a0013\u202c8000",                  # bidi embedding
    "手机 138\u202e0013\u202c8000",                  # bidi override
    "手机 \u2067138\u20690013\u20668000\u2069",        # bidi isolates
    "手机 138\u200d0013\u200c8000",                  # zero-width joiners
    "手机 138\u20620013\u20648000",                  # invisible times / plus
    "手机 138\u20610013\u20638000",                  # function application, invisible separator
    "手机 138\u00ad0013\u00ad8000",                  # soft hyphens
    "手机 1\u03013\u03088\u20dd0013 8000",           # combining accents and an enclosing circle
    "手机 138\ufe0f0013\u180e8000",                  # variation selector, Mongolian vowel separator
    "手机 138\U000e00310013\U000e007f8000",          # tag characters
    "手机 138\u31640013\u115f8000",                  # Hangul fillers
    "手机 ١٣٨٠٠١٣٨٠٠٠",                              # Arabic-Indic digits
    "手机 १३८००१३८०००",                              # Devanagari digits
]


@pytest.mark.parametrize("text", INVISIBLE_SPLITS)
def test_mobile_split_by_invisible_characters(text: str) -> None:
    assert [c for c, _ in find(text)] == ["G402"]


@pytest.mark.parametrize("text", [
    "身份证 110105\u202e1949\u202c1231002X",
    "身份证 11010519\u200b4912\u2063310\u00ad02X",
    "身份证 1\u03011010519491231002X",
])
def test_id_split_by_invisible_characters(text: str) -> None:
    assert [c for c, _ in find(text)] == ["G401"]


@pytest.mark.parametrize("text", ["出生于19\u200b85年6月", "出生于1985\u202e年6月", "19\u034f85年3月\u00ad出生"])
def test_birth_date_split_by_invisible_characters(text: str) -> None:
    assert [c for c, _ in find(text)] == ["G403"]


# Markdown fields are scanned as the site renders them.
MARKDOWN_SPLITS = [
    "联系 138**0013**8000",                          # emphasis inside the digits
    "联系 138_0013_8000",
    "联系 1380013`8000`",                            # a code span
    "联系 &#49;3800138000",                          # decimal character reference
    "联系 &#x31;&#x33;800138000",                     # hex references
    "联系 &sup1;3800138000",                          # named entity (¹ reads as 1)
    "联系 138<!-- -->00138000",                       # an HTML comment
    "联系 138<span>0013</span>8000",                  # a tag the sanitiser removes
    "联系 138<!-- 1 -->0013&#8203;8000",              # comment and a zero-width space by reference
    "联系 [13800138000](https://example.org/)",       # link text
    "联系 138\n> 0013\n> 8000",                       # quote markers between the pieces
    "|联系|方式|号码|\n|-|-|-|\n|138|0013|8000|",      # table cells
]


@pytest.mark.parametrize("text", MARKDOWN_SPLITS)
def test_mobile_written_through_markdown(text: str) -> None:
    assert [c for c, _ in find(text, markdown=True)] == ["G402"]


@pytest.mark.parametrize("text", ["身份证 1101051949**1231**002X", "身份证 &#49;1010519491231002X",
                                  "身份证 110105<!-- x -->19491231002X"])
def test_id_written_through_markdown(text: str) -> None:
    assert [c for c, _ in find(text, markdown=True)] == ["G401"]


@pytest.mark.parametrize("text", ["出生于**1985**年6月", "出生于&#49;985年6月", "1985年<!-- -->3月出生"])
def test_birth_date_written_through_markdown(text: str) -> None:
    assert [c for c, _ in find(text, markdown=True)] == ["G403"]


@pytest.mark.parametrize("text", [
    "联系 138****1234",                              # masked, in Markdown too
    "联系 138\\*\\*\\*\\*1234",
    "**办结时限**：3 个工作日，电话 0839-12345678",
    "第 1 条 *限时办结*：2 个工作日内办结",
    "[政务网](https://example.org/a/13800138000-notes)",  # digits only in a link target: not shown…
])
def test_markdown_that_shows_no_personal_data(text: str) -> None:
    found = [c for c, _ in find(text, markdown=True)]
    if "13800138000" in text:
        assert found == ["G402"]  # …but published in the page's HTML all the same: still refused
    else:
        assert found == []


def test_a_number_found_twice_is_reported_once() -> None:
    assert [c for c, _ in find("电话 138**0013**8000 即 13800138000", markdown=True)] == ["G402"]
    assert [c for c, _ in find("13800138000 **13800138001**", markdown=True)] == ["G402", "G402"]


# ---------------------------------------------------------------- home addresses (#10)

@pytest.mark.parametrize("text", [
    "李明，家住幸福小区3栋2单元501室",
    "住址：城关镇人民路12号",
    "家庭住址：新华村3组15号",
    "现住在锦绣花园5幢-301",
    "住在滨江小区B座1204室",
    "家住幸福小区三栋二单元",
    "户籍地址：东风里12弄5号",
    "家住幸福小区３栋２单元",                      # full-width digits
    "家住幸福小区3\u200b栋2\u202e单元",             # invisible characters in between
    "居住地址：**锦绣花园** 8栋 1单元 402",
])
def test_home_address_refused(text: str) -> None:
    assert [c for c, _ in find(text, markdown=True)] == ["G405"]


@pytest.mark.parametrize("text", [
    "办公地点：县政务中心 3 号楼 2 楼",
    "请到政务中心3号楼2楼5号窗口办理",
    "住址变更登记",
    "严禁泄露服务对象的家庭住址、身份证号码",
    "居住在本县的居民可凭身份证办理",
    "住在1号楼至5号楼的居民请到社区服务站办理",
    "申请人住址：XX小区X栋X单元（按户口簿填写）",
    "为行动不便的群众上门服务，已走访 35 户",
    "单位住址：县政务中心3号楼201室",
])
def test_texts_that_name_no_home_pass(text: str) -> None:
    assert list(find(text, markdown=True)) == []


def test_the_units_own_address_passes() -> None:
    text = "本窗口住址：县政务中心3号楼2单元201室"
    assert [c for c, _ in find(text)] == ["G405"]
    assert list(find(text, office="县政务中心 3 号楼 2 单元 201 室")) == []
    assert [c for c, _ in find(text, office="县城人民路1号")] == ["G405"]


@pytest.mark.parametrize("text", [t for t in MARKDOWN_SPLITS if "\n" not in t])
def test_plain_fields_refuse_numbers_spelled_as_markup_too(text: str) -> None:
    """A plain field prints ``&#49;`` as written, but a number spelled through markup is refused all the same."""
    assert [c for c, _ in find(text)] == ["G402"]


# ---------------------------------------------------------------- spellings the guard missed (#privacy audit)

# Each of these passed ``check`` and was published on a member's page, members.json and .csv.
MISSED = [
    ("1990-03-07出生", "G403"),                       # a dashed date before 出生
    ("1990/3/7出生", "G403"),
    ("出生年月：199003", "G403"),                      # year and month run together
    ("出生日期：19900307", "G403"),
    ("出生：90年3月", "G403"),                         # a two-digit year
    ("90年3月出生，负责发票", "G403"),
    ("出生日期：一九九〇年三月七日", "G403"),           # Chinese numerals
    ("出生日期：一九九〇年十二月二十七日", "G403"),
    ("一九九〇年三月出生", "G403"),
    ("居住地：城关镇建设路52号3单元201室", "G405"),    # more words for where someone lives
    ("住所：城关镇建设路52号3单元201室", "G405"),
    ("通讯地址：城关镇建设路52号3单元201室", "G405"),
    ("手机(138)1234-5678", "G402"),                   # more separators between the digits
    ("手机（138）1234-5678", "G402"),
    ("手机 138／1234／5678", "G402"),
    ("手机 138/1234/5678", "G402"),
    ("手机 138，1234，5678", "G402"),
    ("手机 138,1234,5678", "G402"),
    ("手机 138−1234−5678", "G402"),                   # U+2212 minus sign
    ("手机 138―1234‒5678", "G402"),                   # horizontal bar, figure dash
    ("手机一三八一二三四五六七八", "G402"),             # Chinese numerals
    ("手机 幺三八 幺二三四 五六七八", "G402"),          # 幺 as phone numbers are read out
    ("手机 壹叁捌壹贰叁肆伍陆柒捌", "G402"),           # the numerals of amounts
    ("手机 138一二三四5678", "G402"),                  # mixed
    ("身份证 一一〇一〇五一九四九一二三一〇〇二X", "G401"),
]


@pytest.mark.parametrize(("text", "code"), MISSED)
def test_spellings_once_missed_are_refused(text: str, code: str) -> None:
    assert [c for c, _ in find(text)] == [code]
    assert [c for c, _ in find(text, markdown=True)] == [code]


def test_a_date_in_chinese_numerals_is_quoted_as_written() -> None:
    [(code, message)] = find("出生日期：一九九〇年三月七日")
    assert code == "G403" and "一九九〇年三月七日" in message


@pytest.mark.parametrize("text", [
    "电话 0832-12000209，服务卡号 JY-00002-01",
    "2026年3月7日召开评议会，到会 35 人",
    "办理时限：2026-03-07至2026-03-21",
    "共受理 1,234 件，办结 1,230 件，满意 1,198 件",
    "第13、14、15、16号窗口，第17、18号窗口",
    "二〇一九年九月一日至二〇二〇年八月三十一日出生的适龄儿童",
    "新生儿出生后 30 日内办理出生登记",
    "出生医学证明、户口簿",
    "90后党员占一半",
    "出生于90年代",
    "一次性告知，一一对应，统一受理，十九大精神",
    "二〇二六年三月七日起施行",
    "第一、二、三、四、五、六、七、八、九、十、十一条",
    "住所变更登记",
    "通讯地址变更",
    "居住地在本县的居民可凭身份证办理",
    "2026-03-07生效",
])
def test_ordinary_texts_still_pass(text: str) -> None:
    assert list(find(text)) == []
    assert list(find(text, markdown=True)) == []


def test_a_unit_folder_named_with_a_mobile_is_refused(project: Path) -> None:
    """The unit id is the folder's name, and it goes into every URL of the unit: it is read like a text."""
    from .conftest import run_cli

    (project / "content/units/hall").rename(project / "content/units/hall-13812345678")
    (project / "content/units/center").rename(project / "content/units/center-110105194912310021")
    done = run_cli("--root", str(project), "check")
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert ("content/units/hall-13812345678:1:1: [error] 单位目录名“hall-13812345678”里疑似个人手机号码 138****5678。"
            "目录名就是单位的网址，个人信息不得出现在网址里：请给目录改名，如 tax-hall，下级单位 unit.yml 的 parent 也随之改正 (G402)"
            ) in done.stdout
    assert "content/units/center-110105194912310021:1:1: [error] 单位目录名“center-110105194912310021”里疑似身份证号码" \
        in done.stdout


def test_a_unit_folder_name_is_read_apart_from_the_folder_it_links_to(project: Path) -> None:
    """The check cache keys a unit by its real path: a link's own name must still be read."""
    from generator.check import check

    (project / "content/units/hall-13812345678").symlink_to(project / "content/units/hall", target_is_directory=True)
    cache = project / ".cache" / "check"
    for _ in range(2):  # the second run reads the units back from the cache
        found = [(p.path, p.code) for p in check(project, cache).problems if p.level == "error"]
        assert found == [("content/units/hall-13812345678", "G402")]  # once: "hall" keeps its own result


def test_member_and_pledge_ids_are_read_like_any_text(project: Path) -> None:
    """Member ids go into URLs too; they are strings of members.yml and pledges.yml and are read like any other."""
    from generator.check import check

    members = project / "content/units/hall/members.yml"
    members.write_text(members.read_text(encoding="utf-8").replace("id: li-ming", "id: li-13812345678"), encoding="utf-8")
    pledges = project / "content/units/hall/pledges.yml"
    pledges.write_text(pledges.read_text(encoding="utf-8").replace("member: li-ming", "member: li-13812345678"),
                       encoding="utf-8")
    found = [(p.path, p.code) for p in check(project).problems if p.level == "error"]
    assert found == [("content/units/hall/members.yml", "G402"), ("content/units/hall/pledges.yml", "G402")]
