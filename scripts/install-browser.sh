#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests of the web console (tests/console).
#
# The tests drive /usr/bin/chromium with the Python `playwright` package; Playwright must never
# download a browser of its own (there is no internet here besides package registries), so the
# browser comes from the distribution. This script is idempotent and never fails the build:
#   * /usr/bin/chromium present       -> nothing to do;
#   * missing and running as root     -> apt-get update && apt-get install -y chromium;
#   * missing and not root / no apt   -> print what to do and exit 0 (the browser tests then
#                                        skip locally; with CI=true they fail instead).
set -u

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "install-browser: $CHROMIUM is present ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

if [ "$(id -u)" != "0" ]; then
    echo "install-browser: $CHROMIUM is missing and this user is not root."
    echo "install-browser: run 'sudo apt-get update && sudo apt-get install -y chromium' to enable the browser tests."
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: $CHROMIUM is missing and apt-get is not available."
    echo "install-browser: install Chromium with your package manager so that $CHROMIUM exists."
    exit 0
fi

echo "install-browser: installing Debian's chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -q; then
    echo "install-browser: apt-get update failed; the browser tests will skip (or fail with CI=true)."
    exit 0
fi
if ! apt-get install -y -q --no-install-recommends chromium; then
    echo "install-browser: apt-get install chromium failed; the browser tests will skip (or fail with CI=true)."
    exit 0
fi
if [ -x "$CHROMIUM" ]; then
    echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
else
    echo "install-browser: chromium installed but $CHROMIUM not found; check the package's binary path."
fi
exit 0
