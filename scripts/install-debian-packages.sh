#!/usr/bin/env bash
# Usage: install-debian-packages.sh LABEL PACKAGE...
# Installs the Debian packages that are missing, as root or through sudo; the install-*-deps.sh
# scripts call it with their own lists. Idempotent and silent when everything is present.
set -euo pipefail

label=$1
shift
packages=("$@")

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
((${#missing[@]} == 0)) && exit 0

if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo --non-interactive bash "$0" "$label" "${packages[@]}"
  fi
  echo "$label: missing Debian packages: ${missing[*]} — run this script as root (or install sudo)" >&2
  exit 1
fi

echo "$label: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Wait for a concurrent apt/dpkg (e.g. two test files calling this at once) instead of failing.
apt_get() { apt-get -o DPkg::Lock::Timeout=600 -y -q "$@" >>"$log" 2>&1; }
# A stale package list makes apt ask for files the mirror no longer has: refresh once and retry.
if ! apt_get install --no-install-recommends "${missing[@]}"; then
  if ! { apt_get update && apt_get install --no-install-recommends "${missing[@]}"; }; then
    cat "$log" >&2
    echo "$label: apt-get could not install ${missing[*]} (output above)" >&2
    exit 1
  fi
fi
