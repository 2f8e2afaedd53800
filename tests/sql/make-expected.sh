#!/usr/bin/env bash
# Usage: tests/sql/make-expected.sh [NAME...]
# Regenerates tests/sql/expected/NAME.out for the named golden files (all of
# tests/sql/*.sql by default) by running them, exactly as run.sh does,
# against a throwaway PostgreSQL 15 cluster (C locale, UTF8, trust) that is
# created in a temporary folder and removed afterwards.
# Review the diff of expected/ before committing: the output is the contract.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
test_clean_client_env
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

names=("$@")
if ((${#names[@]} == 0)); then
    for f in "$SQL_DIR"/*.sql; do
        names+=("$(basename "$f" .sql)")
    done
fi
for name in "${names[@]}"; do
    [[ -f "$SQL_DIR/$name.sql" ]] || { echo "no such file: $SQL_DIR/$name.sql" >&2; exit 2; }
done

version=$("$PG_BIN/postgres" --version)
case "$version" in
*" 15."*) ;;
*) echo "need PostgreSQL 15, $PG_BIN/postgres is: $version" >&2; exit 1 ;;
esac

# PostgreSQL refuses to run as root: run the server as the postgres user.
as_pg=()
tmp=$(mktemp -d "${TMPDIR:-/tmp}/strand-expected.XXXXXX")
if ((EUID == 0)); then
    chown postgres: "$tmp"
    as_pg=(runuser -u postgres --)
fi
pgdata=$tmp/data
started=0
cleanup() {
    if ((started)); then
        "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

"${as_pg[@]}" "$PG_BIN/initdb" -D "$pgdata" --no-locale -E UTF8 -A trust -U postgres >"$tmp/initdb.log" 2>&1 ||
    { cat "$tmp/initdb.log" >&2; exit 1; }

for _ in 1 2 3 4 5; do
    port=$(test_pick_port)
    if "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$pgdata" -l "$tmp/postgres.log" -w -t 30 \
        -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
        started=1
        break
    fi
done
if ((!started)); then
    cat "$tmp/postgres.log" >&2
    exit 1
fi

mkdir -p "$SQL_DIR/expected"
for name in "${names[@]}"; do
    status=0
    sql_run_file "$port" "$name" "$SQL_DIR/expected/$name.out" || status=$?
    if ((status == 124)); then
        echo "$name: psql timed out" >&2
        exit 1
    fi
    echo "expected/$name.out: $(wc -l <"$SQL_DIR/expected/$name.out") lines"
done
