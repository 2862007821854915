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

# cryptsetup-bin clevis clevis-luks tang jose curl: luks-tang.test.ts (LUKS2 + clevis bound to a loopback tang).
exec bash "$(dirname "$0")/install-debian-packages.sh" install-ansible-deps ansible ansible-lint debootstrap debian-archive-keyring \
  cryptsetup-bin clevis clevis-luks tang jose curl
