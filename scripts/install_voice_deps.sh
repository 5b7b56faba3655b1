#!/usr/bin/env bash
# Install the Debian packages the speech and phone tests need, if they are missing and we can:
# ffmpeg (decoding audio), espeak-ng and flite (spoken prompts and test audio), sox (telephone
# test audio), kamailio (SIP proxy on loopback) and baresip (a SIP client placing test calls).
# Idempotent; apt-get update runs at most once. Everything the tests start listens on 127.0.0.1.
set -u
PACKAGES="ffmpeg espeak-ng flite sox kamailio baresip"
missing=""
for bin_pkg in ffmpeg:ffmpeg espeak-ng:espeak-ng flite:flite sox:sox kamailio:kamailio baresip:baresip; do
  bin="${bin_pkg%%:*}"; pkg="${bin_pkg##*:}"
  command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ] || missing="$missing $pkg"
done
if [ -z "$missing" ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
fi
if [ "$(id -u)" = "0" ] || [ -n "$SUDO" ]; then
  echo "Installing Debian packages for the speech and phone tests:$missing"
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null 2>&1 || true
  # kamailio's package starts a system service; we never use it (tests run their own on loopback).
  if DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends $missing >/dev/null 2>&1; then
    if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now kamailio >/dev/null 2>&1 || true; fi
    echo "installed:$missing"
    exit 0
  fi
fi
echo "**********************************************************************"
echo "* WARNING: could not install:$missing"
echo "* Speech and phone tests that need them will be SKIPPED (FAIL in CI). "
echo "* Install them with: apt-get install $PACKAGES"
echo "**********************************************************************"
exit 1
