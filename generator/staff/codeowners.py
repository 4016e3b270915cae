"""CODEOWNERS from ``maintainers`` in site_config.yml: a unit's staff review their own records, the office the rest.

A unit's staff approve what they keep themselves (:data:`UNIT_OWNED`: unit.yml with
its standards, services, regimes and phrases, members, pledges, rectifications,
photos). The office approves everything else, in a unit folder too: grading.yml
(its yearly grade of the unit), evaluations.yml (survey counts), compare.yml (stars,
awards), and site_config.yml, which holds the maintainers list itself, so a unit
cannot name its own reviewers (issue #14). Path-based review cannot split one file:
that is why the list lives in the office's file, not in unit.yml.

GitHub reads ``.github/CODEOWNERS`` (gitignore-like patterns, the last match
wins). Gitea and Forgejo read ``.gitea/CODEOWNERS`` (Go regular expressions; every
matching line adds reviewers), so there the office's line excludes the unit-owned
paths with a negative (``!``) rule and no path matches two lines.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Site
from .yamlio import StaffError

UNIT_OWNED = ("unit.yml", "members.yml", "pledges.yml", "rectifications.yml", "photos/")
HANDLE = re.compile(r"^@?[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)?$")
PATHS = {"github": ".github/CODEOWNERS", "gitea": ".gitea/CODEOWNERS"}
HEAD = ("# 由 python build.py codeowners 根据 site_config.yml 的 maintainers 生成，请勿手工修改。\n"
        "# Generated from maintainers in site_config.yml; edit it, then run `python build.py codeowners --write`.\n")


def _handle(name: str) -> str:
    if not HANDLE.match(name):
        raise StaffError(f"账号“{name}”格式不对。应是 @用户名 或 @组织/团队", "G709")
    return name if name.startswith("@") else f"@{name}"


def owners(site: Site) -> dict[str, list[str]]:
    """Unit id → its maintainers (units without maintainers are left to the office)."""
    listed = site.config.maintainers
    return {unit: [_handle(m) for m in listed[unit]] for unit in sorted(listed) if listed[unit] and unit in site.units}


def github(site: Site, office: list[str]) -> str:
    lines = [HEAD, "# 组织部门（办公室）审核全部文件 / the office reviews everything …", f"* {' '.join(office)}", "",
             "# … 单位信息、成员、承诺、整改台账和照片由本单位维护人审核 / … but each unit's own records"]
    lines += [f"/content/units/{unit}/{path} {' '.join(names)}"
              for unit, names in owners(site).items() for path in UNIT_OWNED]
    lines += ["", "# 维护人名单只由组织部门审核 / the maintainers list itself: the office only",
              f"/site_config.yml {' '.join(office)}"]
    return "\n".join(lines) + "\n"


def gitea(site: Site, office: list[str]) -> str:
    units = owners(site)
    lines = [HEAD]
    own = "(" + "|".join(re.escape(p) + (".*" if p.endswith("/") else "") for p in UNIT_OWNED) + ")"
    if units:
        alternatives = "|".join(re.escape(u) for u in units)
        lines += ["# 组织部门审核各单位自有记录以外的全部文件 / the office reviews all but the units' own records",
                  f"!content/units/({alternatives})/{own} {' '.join(office)}", ""]
    else:
        lines += [f".* {' '.join(office)}", ""]
    lines += [f"content/units/{re.escape(unit)}/{own} {' '.join(names)}" for unit, names in units.items()]
    return "\n".join(lines) + "\n"


def render(site: Site, office: list[str]) -> dict[str, str]:
    """Path under the project → text, for GitHub and for Gitea/Forgejo."""
    if not office:
        raise StaffError("请用 --office 指定组织部门的审核账号，如 --office @qc-zzb/office", "G709")
    handles = [_handle(o) for o in office]
    return {PATHS["github"]: github(site, handles), PATHS["gitea"]: gitea(site, handles)}


def office_in(root: Path) -> list[str]:
    """The office's accounts from an existing .github/CODEOWNERS (its ``*`` line), or none."""
    path = root / PATHS["github"]
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return next((line.split()[1:] for line in lines if line.startswith("* ")), [])


def stale(root: Path, files: dict[str, str]) -> list[str]:
    """The files that differ from what is on disk (for ``codeowners --check`` in CI)."""
    return [p for p, text in files.items()
            if not (root / p).is_file() or (root / p).read_text(encoding="utf-8") != text]
