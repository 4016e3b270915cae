#!/usr/bin/env bash
# Debian packages gongshi needs beyond Python, installed by `make demo` and `make test` themselves:
#   demo: python3-venv (a fresh Debian cannot make .venv without it), CJK fonts for boards and pages
#         (without them every Chinese character is a blank box), HarfBuzz subsetting (0.26 s instead
#         of 7 s per poster) and Pango for WeasyPrint;
#   test: also poppler (pdfinfo/pdffonts/pdftotext/pdftoppm) and zbar to read boards back, git for
#         the history tests, Debian's chromium for browser tests (no browser is ever downloaded),
#         a Java runtime for the W3C Nu HTML checker (npm vnu-jar; Node.js and npm come with the
#         image) and libgs-common, the CMYK profile of print.pdf_variant: pdf/x-4 (offset printing).
# As root apt-get runs directly, otherwise through `sudo -n`; if neither can, it stops at once and
# prints the exact line to run (G733). Usage: bash .ci/system-deps.sh [demo|test]
set -euo pipefail
demo=(python3-venv fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0)
test=("${demo[@]}" poppler-utils zbar-tools git chromium default-jre-headless libgs-common)
case "${1:-test}" in
  demo) packages=("${demo[@]}") ;;
  test) packages=("${test[@]}") ;;
  *) echo "用法：bash .ci/system-deps.sh [demo|test]" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not Debian/Ubuntu: we cannot install, but never let boards render without Chinese fonts.
  if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; then
    echo "提示：这台机器不是 Debian/Ubuntu，请自行安装与这些 Debian 软件包相当的软件：${packages[*]}" >&2
    exit 0
  fi
  echo "错误：找不到中文字体，展板和网页截图里的中文会变成方框。这台机器不是 Debian/Ubuntu，无法自动安装；" >&2
  echo "请先安装 Noto Sans CJK 字体、Pango 和 HarfBuzz（对应 Debian 软件包：${packages[*]}）。（G733）" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  run=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run=(sudo -n)
else
  echo "错误：缺少系统软件包：${missing[*]}。当前用户不是 root，也不能免密码使用 sudo，无法自动安装。" >&2
  echo "请运行下面这一行，然后重新运行 make：" >&2
  echo "  sudo sh -c '$line'" >&2
  echo "（G733）" >&2
  exit 1
fi
echo "安装系统软件包：${missing[*]}"
"${run[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
