#!/usr/bin/env bash
# Usage: tests/isolation/make-expected.sh [NAME...]
# Regenerates tests/isolation/expected/NAME.out for the named specs (all of
# tests/isolation/specs/*.spec by default) by running them through the
# isolation tester (--blocked=pg) against a throwaway PostgreSQL 15 cluster
# (C locale, UTF8, trust) created in a temporary folder and removed
# afterwards. The tester is compiled into that folder, or taken from
# $ISOLATION_TESTER when set.
# With ISOLATION_REPEAT=N (default 1) every spec runs N times and must print
# the same transcript each time, or nothing is written for it.
# Review the diff of expected/ before committing: the output is the contract.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
test_clean_client_env

names=("$@")
if ((${#names[@]} == 0)); then
    for f in "$ISO_DIR"/specs/*.spec; do
        names+=("$(basename "$f" .spec)")
    done
fi
for name in "${names[@]}"; do
    [[ -f "$ISO_DIR/specs/$name.spec" ]] || { echo "no such spec: $ISO_DIR/specs/$name.spec" >&2; exit 2; }
done

# shellcheck source=../lib/postgres.sh
source "$ISO_DIR/../lib/postgres.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/strand-iso.XXXXXX")
cleanup() {
    pg_cleanup
    rm -rf "$work"
}
trap cleanup EXIT

tester=${ISOLATION_TESTER:-}
if [[ -z "$tester" ]]; then
    tester=$work/isolation_tester
    iso_build_tester "$tester"
fi
pg_start fsync=off

repeat=${ISOLATION_REPEAT:-1}
mkdir -p "$ISO_DIR/expected"
for name in "${names[@]}"; do
    for ((i = 1; i <= repeat; i++)); do
        status=0
        iso_run_spec "$tester" "$PG_PORT" pg "$name" "$work/$name.$i.out" || status=$?
        if ((status != 0)); then
            echo "$name: the tester failed (exit status $status) on run $i" >&2
            exit 1
        fi
        if ((i > 1)) && ! diff -u "$work/$name.1.out" "$work/$name.$i.out" >&2; then
            echo "$name: run $i printed something else than run 1" >&2
            exit 1
        fi
    done
    cp "$work/$name.1.out" "$ISO_DIR/expected/$name.out"
    echo "expected/$name.out: $(wc -l <"$ISO_DIR/expected/$name.out") lines ($repeat identical run(s))"
done
