#!/usr/bin/env bash
# Browser tests need Chromium. Prefer Debian's /usr/bin/chromium (Playwright cannot download its own
# browser on some networks); install it when running as root on Debian, else use Playwright's own.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-browser: installing Debian's chromium" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "ensure-browser: /usr/bin/chromium not found; using Playwright's own Chromium" >&2
npx playwright install chromium
