#!/usr/bin/env bash
# Randomized differential test: the same generated statements through psql
# against strand and against a throwaway PostgreSQL 15; every result and
# every error (SQLSTATE, message, position) must be identical.
# Usage: tests/differential/run.sh STRAND_BINARY GENERATOR [SEED] [COUNT]
#   GENERATOR is an awk program in this folder (gen_exprs.awk, ...).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$(realpath "$1")
gen=$2
seed=${3:-${DIFF_SEED:-20261124}}
count=${4:-${DIFF_COUNT:-1500}}
# shellcheck source=../lib/server.sh
source "$here/../lib/server.sh"
# shellcheck source=../lib/postgres.sh
source "$here/../lib/postgres.sh"
test_clean_client_env

work=$(mktemp -d "${TMPDIR:-/tmp}/strand-diff.XXXXXX")
trap 'strand_cleanup; pg_cleanup; rm -rf "$work"' EXIT

awk -v seed="$seed" -v count="$count" -f "$here/$gen" >"$work/input.sql"
strand_start "$bin" || { strand_log_tail; exit 1; }
pg_start fsync=off || exit 1
test_psql "$STRAND_PORT" -a -f - <"$work/input.sql" >"$work/strand.out" 2>&1
test_psql "$PG_PORT" -a -f - <"$work/input.sql" >"$work/postgres.out" 2>&1
status=0
strand_stop || status=1
if ! diff -u "$work/postgres.out" "$work/strand.out" >"$work/diff"; then
    echo "$gen (seed $seed): strand differs from PostgreSQL 15:"
    head -n 60 "$work/diff"
    status=1
fi
((status == 0)) && echo "$gen (seed $seed): $count statements, identical results"
((status == 0)) || strand_log_tail
exit $status
