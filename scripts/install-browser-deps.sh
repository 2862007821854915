#!/usr/bin/env bash
# Installs the Debian package the web console's browser test (__tests__/ui) needs, and nothing else:
#   chromium   the headless browser that playwright-core drives (executablePath /usr/bin/chromium);
#              the test never downloads a browser build of its own.
#
# Idempotent and silent when everything is present; run it as often as you like (the test does).
set -euo pipefail

packages=(chromium)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
((${#missing[@]} == 0)) && exit 0

if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo --non-interactive "$0" "$@"
  fi
  echo "install-browser-deps: missing Debian packages: ${missing[*]} — run this script as root (or install sudo)" >&2
  exit 1
fi

echo "install-browser-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Wait for a concurrent apt/dpkg (e.g. another test file installing its packages) instead of failing.
apt_get() { apt-get -o DPkg::Lock::Timeout=600 -y -q "$@" >>"$log" 2>&1; }
# A stale package list makes apt ask for files the mirror no longer has: refresh once and retry.
if ! apt_get install --no-install-recommends "${missing[@]}"; then
  if ! { apt_get update && apt_get install --no-install-recommends "${missing[@]}"; }; then
    cat "$log" >&2
    echo "install-browser-deps: apt-get could not install ${missing[*]} (output above)" >&2
    exit 1
  fi
fi
