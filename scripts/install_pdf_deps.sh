#!/usr/bin/env bash
# Debian libraries WeasyPrint needs for the insights PDF reports (Pango for text layout, a font
# metric-compatible with Arial). Idempotent and quiet; apt-get update runs once, only if something
# is missing. Called by `make test` and `make bench`.
set -u
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation"
missing=""
for p in $PACKAGES; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "WARNING: missing Debian packages for PDF reports:$missing (install them as root)"; exit 1
  fi
fi
echo "Installing Debian packages for PDF reports:$missing"
$SUDO apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null 2>&1 \
  || { echo "WARNING: could not install$missing; PDF report tests will fail"; exit 1; }
