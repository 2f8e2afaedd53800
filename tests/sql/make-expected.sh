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

names=("$@")
if ((${#names[@]} == 0)); then
    for f in "$SQL_DIR"/*.sql; do
        names+=("$(basename "$f" .sql)")
    done
fi
for name in "${names[@]}"; do
    [[ -f "$SQL_DIR/$name.sql" ]] || { echo "no such file: $SQL_DIR/$name.sql" >&2; exit 2; }
done

# shellcheck source=../lib/postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/postgres.sh"
trap pg_cleanup EXIT
pg_start fsync=off
port=$PG_PORT
export RESTART_KIND=postgres RESTART_BIN=$PG_BIN RESTART_DATA=$PG_TMP/data RESTART_PORT=$PG_PORT \
    RESTART_LOG=$PG_TMP/postgres.log RESTART_AS="${PG_AS[*]}"

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
