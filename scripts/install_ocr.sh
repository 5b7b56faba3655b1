#!/usr/bin/env bash
# Install Debian's Tesseract OCR (English) and poppler-utils for scanned-page redaction, if missing and we can.
# Idempotent and quiet: does nothing when tesseract with English data is already there.
set -u
if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx eng \
   && command -v pdftoppm >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
fi
if [ "$(id -u)" = "0" ] || [ -n "$SUDO" ]; then
  echo "Installing Debian's tesseract-ocr (English) for scanned pages..."
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null 2>&1 || true
  if DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
       tesseract-ocr tesseract-ocr-eng poppler-utils >/dev/null 2>&1; then
    echo "tesseract-ocr installed."
    exit 0
  fi
fi
echo "**********************************************************************"
echo "* WARNING: tesseract-ocr is not installed and could not be.          *"
echo "* Scanned pages cannot be read; OCR tests will be SKIPPED (FAIL in CI)*"
echo "* Install it with: apt-get install tesseract-ocr tesseract-ocr-eng   *"
echo "**********************************************************************"
exit 1
