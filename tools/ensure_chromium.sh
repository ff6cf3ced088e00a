#!/bin/sh
# Make sure Debian's headless-capable Chromium is installed (the compliance report test renders HTML with it).
# Idempotent: does nothing when the browser is already there.
set -eu

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure_chromium: $CHROMIUM is missing and installing it needs root." >&2
    echo "ensure_chromium: run 'sudo apt-get update && sudo apt-get install -y chromium', then retry." >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM is missing and this machine has no apt-get; install Chromium by hand." >&2
    exit 1
fi
echo "ensure_chromium: installing Debian's chromium package" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
if [ ! -x "$CHROMIUM" ]; then
    echo "ensure_chromium: the chromium package installed, but $CHROMIUM is not there." >&2
    exit 1
fi
