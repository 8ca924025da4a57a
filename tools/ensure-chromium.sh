#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests. Installs it when it
# is missing and this user can (root, apt-get); otherwise says exactly what to run.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing: installing Debian's chromium package..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
cat >&2 <<'MSG'
The browser tests need Debian's Chromium at /usr/bin/chromium. Install it with:
    sudo apt-get update && sudo apt-get install -y chromium
(on other systems, install Chromium and link it to /usr/bin/chromium), then run make test again.
MSG
exit 1
