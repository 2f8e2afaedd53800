# shellcheck shell=bash
# A throwaway PostgreSQL 15 cluster for tests that compare with the real
# thing: C locale, UTF8, trust, listening on 127.0.0.1 and a private socket
# folder. Sourced after tests/lib/server.sh; defines functions only.
#
# After pg_start [postgres -c settings...]:
#   PG_PORT  the TCP port          PG_TMP  its private folder (removed by pg_cleanup)

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_STARTED=0

pg_start() {
    local version
    version=$("$PG_BIN/postgres" --version)
    case "$version" in
    *" 15."*) ;;
    *) echo "need PostgreSQL 15, $PG_BIN/postgres is: $version" >&2; return 1 ;;
    esac
    # PostgreSQL refuses to run as root: run the server as the postgres user.
    PG_AS=()
    PG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/strand-pg.XXXXXX")
    if ((EUID == 0)); then
        chown postgres: "$PG_TMP"
        PG_AS=(runuser -u postgres --)
    fi
    "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_TMP/data" --no-locale -E UTF8 -A trust -U postgres >"$PG_TMP/initdb.log" 2>&1 ||
        { cat "$PG_TMP/initdb.log" >&2; return 1; }
    local settings="" s
    for s in "$@"; do settings+=" -c $s"; done
    for _ in 1 2 3 4 5; do
        PG_PORT=$(test_pick_port) || return 1
        if "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/postgres.log" -w -t 30 \
            -o "-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1$settings" start >/dev/null; then
            PG_STARTED=1
            return 0
        fi
    done
    cat "$PG_TMP/postgres.log" >&2
    return 1
}

pg_cleanup() {
    if ((PG_STARTED)); then
        "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    PG_STARTED=0
    if [[ -n "${PG_TMP:-}" ]]; then rm -rf "$PG_TMP"; fi
    PG_TMP=
}
