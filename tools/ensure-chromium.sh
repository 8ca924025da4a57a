#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests, with a Japanese font
# (fonts-noto-cjk) so that the Japanese edition renders as text, not empty boxes. Installs them
# when missing and this user can (root, apt-get); otherwise says exactly what to run.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium or the Japanese font is missing: installing chromium and fonts-noto-cjk..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  exit 0
fi
cat >&2 <<'MSG'
The browser tests need Debian's Chromium at /usr/bin/chromium and a Japanese font. Install them:
    sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk
(on other systems, install Chromium and link it to /usr/bin/chromium), then run make test again.
MSG
exit 1
