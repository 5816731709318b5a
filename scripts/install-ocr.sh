#!/usr/bin/env bash
# OCR reads best with Debian's tesseract (bench/media_bench.py); without it foldermind uses RapidOCR, which
# ships in its Python package. So a machine where it cannot be installed (no root, no apt) goes on without it.
set -uo pipefail
if command -v tesseract >/dev/null 2>&1; then
  exit 0
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo -n"
if command -v apt-get >/dev/null 2>&1 && $sudo apt-get update -qq \
  && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq tesseract-ocr >/dev/null; then
  exit 0
fi
echo "note: tesseract-ocr could not be installed; scans and pictures are read by RapidOCR instead" >&2
