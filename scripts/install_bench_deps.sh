#!/usr/bin/env bash
# Debian's wrk, the HTTP load generator the web benchmarks drive (benchmarks/web.py and the scripts
# that share it). Idempotent and quiet; apt-get update runs once, only if it is missing. Called by
# `make bench`.
set -u
command -v wrk >/dev/null 2>&1 && exit 0
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "WARNING: wrk is missing (install the Debian package wrk as root)"; exit 1
  fi
fi
echo "Installing Debian's wrk for the web benchmarks"
$SUDO apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null 2>&1 \
  || { echo "WARNING: could not install wrk; the web benchmarks cannot run"; exit 1; }
