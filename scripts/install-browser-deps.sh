#!/usr/bin/env bash
# Installs the Debian package the web console's browser test (__tests__/ui) needs, and nothing else:
#   chromium   the headless browser that playwright-core drives (executablePath /usr/bin/chromium);
#              the test never downloads a browser build of its own.
#
# Idempotent and silent when everything is present; run it as often as you like (the test does).
set -euo pipefail

exec bash "$(dirname "$0")/install-debian-packages.sh" install-browser-deps chromium
