#!/usr/bin/env bash
# Usage: tests/isolation/run.sh TESTER-BINARY STRAND-BINARY NAME
#        tests/isolation/run.sh --pg TESTER-BINARY NAME
# Runs tests/isolation/specs/NAME.spec through the isolation tester against a
# strand started for it (--blocked=roundtrip) and compares the transcript
# byte for byte with tests/isolation/expected/NAME.out. Passes only on an
# exact match with strand still running at the end.
# With --pg it runs against a throwaway PostgreSQL 15 instead
# (--blocked=pg), which checks the spec, the tester and this script.
set -uo pipefail

pg=0
if [[ "${1:-}" == --pg ]]; then
    pg=1
    shift
    (($# == 2)) || { echo "usage: $0 --pg TESTER-BINARY NAME" >&2; exit 2; }
    tester=$1
    name=$2
else
    (($# == 3)) || { echo "usage: $0 TESTER-BINARY STRAND-BINARY NAME   or   $0 --pg TESTER-BINARY NAME" >&2; exit 2; }
    tester=$1
    bin=$2
    name=$3
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
test_clean_client_env

expected=$ISO_DIR/expected/$name.out
if [[ ! -f "$ISO_DIR/specs/$name.spec" ]]; then
    echo "no such spec: $ISO_DIR/specs/$name.spec" >&2
    exit 2
fi
if [[ ! -f "$expected" ]]; then
    echo "missing $expected (make it with tests/isolation/make-expected.sh $name)" >&2
    exit 1
fi

if ((pg)); then
    # shellcheck source=../lib/postgres.sh
    source "$ISO_DIR/../lib/postgres.sh"
    work=$(mktemp -d "${TMPDIR:-/tmp}/strand-iso.XXXXXX")
    trap 'pg_cleanup; rm -rf "$work"' EXIT
    pg_start fsync=off || exit 1
    port=$PG_PORT
    mode=pg
else
    trap strand_cleanup EXIT
    # Roundtrip mode takes a step that has not answered after two round
    # trips for parked on a lock; a COMMIT waiting for its fsync must not
    # look like that, so commits here are acknowledged at once (their
    # visibility and locks are the same either way: none of these specs
    # crashes the server).
    export STRAND_START_ARGS="-c synchronous_commit=off"
    if ! strand_start "$bin"; then
        strand_log_tail
        exit 1
    fi
    work=$STRAND_TMP
    port=$STRAND_PORT
    mode=roundtrip
fi

out=$work/$name.out
status=0
iso_run_spec "$tester" "$port" "$mode" "$name" "$out" || status=$?
fail=0
if ((status == 124)); then
    echo "the isolation tester timed out after ${ISOLATION_TEST_TIMEOUT:-300} s" >&2
    fail=1
elif ((status != 0)); then
    echo "the isolation tester failed (exit status $status)" >&2
    fail=1
fi
if ! diff -u --label "expected/$name.out" --label "actual/$name.out" "$expected" "$out"; then
    fail=1
fi
if ((!pg)) && ! strand_stop; then
    fail=1
fi
if ((fail)); then
    ((pg)) || strand_log_tail
    echo "isolation/$name: FAILED" >&2
    exit 1
fi
echo "isolation/$name: ok"
