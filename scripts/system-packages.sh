#!/usr/bin/env bash
# Install the Debian packages a target needs: as root with apt-get, otherwise
# print the exact command to run and fail.
#   scripts/system-packages.sh runtime|test
#   scripts/system-packages.sh fonts [LIBRARY]   checks (never installs) the fonts the
#     library's languages need: each language's package, then the command for those missing
#   scripts/system-packages.sh install-fonts [LIBRARY]   the same, installing what is missing
set -euo pipefail

runtime=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2
         fonts-dejavu-core fonts-noto-core liblouis20 espeak-ng lame ffmpeg)
test=(poppler-utils pandoc libreoffice-writer-nogui default-jre-headless chromium npm liblouis-bin
      sox libsox-fmt-mp3 gettext
      # the tests build every language the tool has words for, Chinese included
      fonts-noto-cjk fonts-noto-extra fonts-noto-ui-core)

# The font package for a language's script, by its tag: fonts-noto-core covers Latin,
# Greek, Cyrillic, Arabic (Naskh, and Nastaliq for Urdu), Hebrew, Bengali, Devanagari,
# Gurmukhi, Gujarati, Tamil and the other Indic scripts, Ethiopic (Amharic, Tigrinya),
# Thai (the faces formats/typography.py names, in regular and bold); Han, kana and Hangul
# (Chinese, Japanese, Korean) need fonts-noto-cjk; pictographs in colour need
# fonts-noto-color-emoji.
font_package() {
  case "$1" in
    zh|zh-*|zh_*|ja|ja-*|ja_*|ko|ko-*|ko_*|yue|yue-*) echo fonts-noto-cjk ;;
    *) echo fonts-noto-core ;;
  esac
}

case "${1:-runtime}" in
  runtime) wanted=("${runtime[@]}") ;;
  test) wanted=("${runtime[@]}" "${test[@]}") ;;
  fonts|install-fonts)
    wanted=(fonts-noto-core)
    for folder in "${2:-.}"/locales/*/; do
      tag=$(basename "$folder")
      [[ "$tag" == templates ]] && continue
      package=$(font_package "$tag")
      [[ " ${wanted[*]} " == *" $package "* ]] || wanted+=("$package")
      echo "$tag: $package"
    done
    [[ "$1" == fonts ]] && check_only=1 ;;
  *) echo "usage: $0 runtime|test|fonts|install-fonts [LIBRARY]" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
# A Java runtime or npm that did not come from Debian is as good as Debian's.
if [[ " ${missing[*]} " == *" default-jre-headless "* ]] && command -v java >/dev/null; then
  missing=("${missing[@]/default-jre-headless}")
fi
if [[ " ${missing[*]} " == *" npm "* ]] && command -v npm >/dev/null; then
  missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]:-}"
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ -z "${check_only:-}" && $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "These system packages are missing. Install them with:" >&2
  echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
