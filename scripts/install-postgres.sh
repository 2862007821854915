#!/usr/bin/env bash
# Makes a PostgreSQL server available for the state-backend tests (__tests__/e2e/environments):
#   - finds initdb and pg_ctl (PATH, /usr/local/bin, /usr/lib/postgresql/<version>/bin, /usr/local/pgsql/bin);
#   - only when none is found, installs Debian's server packages (postgresql: the distribution's
#     supported version, with its client programs) — no cluster is created or started here;
#   - makes sure the system user `postgres` exists (initdb refuses to run as root; the tests run
#     the server as that user with `runuser -u postgres`).
# Prints one line on stdout: the folder that holds initdb, pg_ctl, createdb and psql.
#
# Idempotent and quiet when everything is present; run it as often as you like.
set -euo pipefail

# A folder holds a usable server when both programs are executable there.
server_bin_dir() {
  local dir candidates=()
  local initdb
  if initdb=$(command -v initdb 2>/dev/null); then candidates+=("$(dirname "$(readlink -f "$initdb")")" "$(dirname "$initdb")"); fi
  candidates+=(/usr/local/bin)
  # Newest major version first (version-sort, descending).
  while IFS= read -r dir; do candidates+=("$dir"); done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -V -r)
  candidates+=(/usr/local/pgsql/bin)
  for dir in "${candidates[@]}"; do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      # /usr/local/bin often holds symlinks into the versioned folder: report the real one, where
      # psql and createdb of the same version live too.
      dirname "$(readlink -f "$dir/initdb")"
      return 0
    fi
  done
  return 1
}

as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo --non-interactive "$@"
  else
    echo "install-postgres: $* needs root — run this script as root (or install sudo)" >&2
    exit 1
  fi
}

if ! bin=$(server_bin_dir); then
  echo "install-postgres: no initdb/pg_ctl found; installing Debian's postgresql packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  # Wait for a concurrent apt/dpkg instead of failing. The Debian package would create and start
  # a default cluster on port 5432: policy-rc.d keeps it from starting (the tests start their own).
  apt_get() { as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -q "$@" >>"$log" 2>&1; }
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [[ ! -e "$policy" ]]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
    own_policy=1
  fi
  status=0
  # A stale package list makes apt ask for files the mirror no longer has: refresh once and retry.
  apt_get install --no-install-recommends postgresql || { apt_get update && apt_get install --no-install-recommends postgresql; } || status=$?
  if [[ "$own_policy" == 1 ]]; then as_root rm -f "$policy"; fi
  if [[ "$status" != 0 ]]; then
    cat "$log" >&2
    echo "install-postgres: apt-get could not install postgresql (output above)" >&2
    exit 1
  fi
  if ! bin=$(server_bin_dir); then
    echo "install-postgres: postgresql is installed but initdb/pg_ctl are still not found" >&2
    exit 1
  fi
fi

if ! id -u postgres >/dev/null 2>&1; then
  echo "install-postgres: creating the system user postgres" >&2
  as_root useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home --shell /usr/sbin/nologin postgres
fi

echo "$bin"
