#!/usr/bin/env bash
# Debian packages gongshi needs beyond Python: CJK fonts for boards and screenshots,
# HarfBuzz subsetting (0.26 s instead of 7 s per poster), Pango for WeasyPrint,
# poppler (pdfinfo/pdffonts/pdftotext/pdftoppm) and zbar for reading boards back in
# tests, and Debian's chromium for browser tests (no browser is ever downloaded).
set -euo pipefail
packages=(fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
          poppler-utils zbar-tools chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
