#!/usr/bin/env bash
# System packages for the heavy formats, run by setup.sh unless DUBAN_LIGHT=1: LibreOffice (reads
# .doc/.wps), the two libraries OpenCV needs for OCR when the machine lacks them, and with --test a
# Chinese font (the OCR tests draw scans of the corpus with pdfium, which needs one to substitute).
# apt-get runs only when something is missing and only as root or with passwordless sudo; otherwise
# this says what is missing and goes on: those formats then fail with a one-line reason and their
# tests skip.
set -euo pipefail
want=()
command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1 || want+=(libreoffice-writer-nogui)
libs=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)
grep -q 'libGL\.so\.1 ' <<<"$libs" || want+=(libgl1)
grep -q 'libglib-2\.0\.so\.0 ' <<<"$libs" || want+=(libglib2.0-0)
if [ "${1:-}" = "--test" ] && ! ls /usr/share/fonts/truetype/wqy/wqy-microhei.ttc >/dev/null 2>&1 \
    && ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  want+=(fonts-wqy-microhei)
fi
[ ${#want[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  echo "setup: not root and no passwordless sudo, so not installing ${want[*]}: .doc/.wps (LibreOffice) or OCR may not work" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: no apt-get here; install ${want[*]} with your package manager for .doc/.wps and OCR" >&2
  exit 0
fi
size=""
[[ " ${want[*]} " == *" libreoffice-writer-nogui "* ]] && size=" (LibreOffice: ~82 MB download, ~250 MB on disk)"
echo "setup: apt-get install --no-install-recommends ${want[*]}$size"
"${SUDO[@]}" apt-get update -q >/dev/null
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${want[@]}" >/dev/null \
  || echo "setup: apt-get install ${want[*]} failed; .doc/.wps or OCR will not work and their tests will skip" >&2
