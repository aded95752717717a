#!/usr/bin/env bash
# Create .venv and install duban into it (with the test extras when called with --test).
# Unless DUBAN_LIGHT=1 it also installs what the heavy formats need: LibreOffice for .doc/.wps
# (scripts/setup_formats.sh, apt-get as root) and the ocr extra for scanned PDFs and images.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "${DUBAN_LIGHT:-0}" = 1 ]; then
  OCR="" MAIN="."
  echo "setup: DUBAN_LIGHT=1: no LibreOffice, no OCR (.doc/.wps, scanned PDFs and images will not be read)"
else
  OCR=",ocr" MAIN=".[ocr]"
  bash scripts/setup_formats.sh "${1:-}"
fi
if [ "${1:-}" = "--test" ]; then
  # the desk's browser test drives Debian's chromium; Playwright itself never downloads a browser
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  .venv/bin/python -m pip install -q -e ".[test,cluster$OCR]"
  if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium) >/dev/null \
      || echo "setup: could not install chromium; the desk's browser test will be skipped" >&2
  fi
else
  .venv/bin/python -m pip install -q -e "$MAIN"
fi
