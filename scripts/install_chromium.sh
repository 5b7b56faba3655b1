#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests, if it is missing and we can.
# Playwright's own browser download does not work on our machines; we drive /usr/bin/chromium.
set -u
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=""; fi
fi
if [ "$(id -u)" = "0" ] || [ -n "$SUDO" ]; then
  echo "Installing Debian's chromium for the browser tests..."
  $SUDO apt-get update -qq >/dev/null 2>&1 || true
  if DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null 2>&1; then
    echo "chromium installed."
    exit 0
  fi
fi
echo "**********************************************************************"
echo "* WARNING: /usr/bin/chromium is not installed and could not be.      *"
echo "* Browser and accessibility tests will be SKIPPED (and FAIL in CI).  *"
echo "* Install it with: apt-get install chromium                          *"
echo "**********************************************************************"
exit 1
