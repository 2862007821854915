#!/usr/bin/env bash
# Installs the Debian packages the Ansible tests (__tests__/ansible) need, and nothing else:
#   ansible        Debian 12's bundle: ansible-core 2.14 + community.general (chroot connection),
#                  ansible.posix (sysctl, mount), community.crypto (luks_device)
#   ansible-lint   6.13.1, the linter the tests run with the production profile
#   debootstrap    builds the throw-away Debian root the playbook runs against
#   debian-archive-keyring  lets debootstrap verify the mirror's Release file
# openssh-server, nftables, auditd and fail2ban are deliberately NOT installed on this host: the tests
# run sshd -t, nft -c and fail2ban-client -t inside the Debian root, so no daemon ever starts here.
#
# Idempotent and silent when everything is present; run it as often as you like (.ci/run does).
set -euo pipefail

packages=(ansible ansible-lint debootstrap debian-archive-keyring)
packages+=(cryptsetup-bin clevis clevis-luks tang jose curl)  # luks-tang.test.ts: LUKS2 + clevis bound to a loopback tang

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
  echo "install-ansible-deps: missing Debian packages: ${missing[*]} — run this script as root (or install sudo)" >&2
  exit 1
fi

echo "install-ansible-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Wait for a concurrent apt/dpkg (e.g. two test files calling this at once) instead of failing.
apt_get() { apt-get -o DPkg::Lock::Timeout=600 -y -q "$@" >>"$log" 2>&1; }
# A stale package list makes apt ask for files the mirror no longer has: refresh once and retry.
if ! apt_get install --no-install-recommends "${missing[@]}"; then
  if ! { apt_get update && apt_get install --no-install-recommends "${missing[@]}"; }; then
    cat "$log" >&2
    echo "install-ansible-deps: apt-get could not install ${missing[*]} (output above)" >&2
    exit 1
  fi
fi
