#!/usr/bin/env bash
# pg-as-strand.sh — strand's command line in front of real PostgreSQL 15, so
# that tests written for strand (crash_transfers) can be checked against the
# real thing first:
#
#   pg-as-strand.sh start [--data DIR] [--port N] [--listen ADDR]
#
# The first start runs initdb on DIR (C locale, UTF8, superuser postgres,
# trust). The script then execs postgres itself (fsync on, Unix socket in
# /tmp like strand's), so the process the caller started is the postmaster
# and SIGKILL of it is a crash; SIGTERM is a clean shutdown that exits 0.
#
# A killed postmaster leaves its backends running for a moment (each one is
# in its own session, so killing the process group does not reach them);
# they exit once they notice, and a new postmaster refuses to start while they
# are still attached to the old shared memory. Before starting, the script
# waits (up to PG_AS_STRAND_WAIT seconds, default 30) until they are gone.
#
# As root, PostgreSQL refuses to run: as tests/lib/postgres.sh does, the
# server runs as the postgres user (through setpriv, which execs, so the pid
# stays the postmaster's). DIR's parent must then be searchable by postgres.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

fail() {
    echo "pg-as-strand: $*" >&2
    exit 2
}

[[ "${1:-}" == start ]] || fail "usage: $0 start [--data DIR] [--port N] [--listen ADDR]"
shift
data=./strand-data
port=5432
listen=127.0.0.1
while (($# > 0)); do
    (($# >= 2)) || fail "option $1 needs a value"
    case "$1" in
    --data) data=$2 ;;
    --port) port=$2 ;;
    --listen) listen=$2 ;;
    *) fail "unknown option $1" ;;
    esac
    shift 2
done
data=$(realpath -m -- "$data")
cd /

version=$("$PG_BIN/postgres" --version)
case "$version" in
*" 15."*) ;;
*) fail "need PostgreSQL 15, $PG_BIN/postgres is: $version" ;;
esac

AS=()
if ((EUID == 0)); then
    AS=(setpriv --reuid=postgres --regid=postgres --init-groups --)
fi

if [[ ! -f "$data/PG_VERSION" ]]; then
    mkdir -p -- "$data"
    if ((EUID == 0)); then chown postgres: "$data"; fi
    "${AS[@]}" "$PG_BIN/initdb" -D "$data" --no-locale -E UTF8 -U postgres --auth=trust >&2 ||
        fail "initdb failed"
fi

# Backends of a killed postmaster still attached to its shared memory
# (postmaster.pid line 7: "key shmid").
old_backends_attached() {
    local shmid
    [[ -f "$data/postmaster.pid" ]] || return 1
    shmid=$(sed -n 7p "$data/postmaster.pid" | awk '{print $2}')
    [[ -n "$shmid" ]] || return 1
    ipcs -m | awk -v id="$shmid" '$2 == id && $6 > 0 { found = 1 } END { exit !found }'
}
deadline=$((SECONDS + ${PG_AS_STRAND_WAIT:-30}))
if old_backends_attached; then echo "pg-as-strand: waiting for the previous postmaster's backends to exit" >&2; fi
while old_backends_attached; do
    ((SECONDS < deadline)) || fail "backends of the previous postmaster are still running"
    sleep 0.05
done

exec "${AS[@]}" "$PG_BIN/postgres" -D "$data" -p "$port" -k /tmp -c listen_addresses="$listen" -c fsync=on
