#!/usr/bin/env bash
# Usage: tests/sql/run.sh STRAND-BINARY NAME
# Runs tests/sql/NAME.sql through psql against a strand started for it and
# compares the output byte for byte with tests/sql/expected/NAME.out.
# Passes only on an exact match with strand still running at the end.
set -uo pipefail

if (($# != 2)); then
    echo "usage: $0 STRAND-BINARY NAME" >&2
    exit 2
fi
bin=$1
name=$2
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
test_clean_client_env

# After a restart inside the file the server running is not our child:
# stop it by its pid file instead (SIGTERM, then wait for its lock).
strand_adopt_restarted() {
    local pid
    pid=$(cat "$STRAND_TMP/data/strand.pid" 2>/dev/null) || return 0
    [[ -n "$pid" && "$pid" != "$STRAND_PID" ]] || return 0
    wait "$STRAND_PID" 2>/dev/null || true
    STRAND_PID=
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do
        flock -n "$STRAND_TMP/data/strand.pid" true 2>/dev/null && return 0
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    echo "the restarted strand did not stop within 10 s of SIGTERM" >&2
    return 1
}

expected=$SQL_DIR/expected/$name.out
if [[ ! -f "$SQL_DIR/$name.sql" ]]; then
    echo "no such test: $SQL_DIR/$name.sql" >&2
    exit 2
fi
if [[ ! -f "$expected" ]]; then
    echo "missing $expected (make it with tests/sql/make-expected.sh $name)" >&2
    exit 1
fi

trap strand_cleanup EXIT
if ! strand_start "$bin"; then
    strand_log_tail
    exit 1
fi

out=$STRAND_TMP/$name.out
status=0
# A file may crash and restart the server (\! $SQL_RESTART): see lib.sh.
export RESTART_KIND=strand RESTART_BIN=$bin RESTART_DATA=$STRAND_TMP/data RESTART_PORT=$STRAND_PORT \
    RESTART_LOG=$STRAND_LOG
sql_run_file "$STRAND_PORT" "$name" "$out" || status=$?
strand_adopt_restarted
fail=0
if ((status == 124)); then
    echo "psql timed out after ${SQL_TEST_TIMEOUT:-60} s" >&2
    fail=1
fi
if ! diff -u --label "expected/$name.out" --label "actual/$name.out" "$expected" "$out"; then
    fail=1
fi
if ! strand_stop; then
    fail=1
fi
if ((fail)); then
    strand_log_tail
    echo "sql/$name: FAILED" >&2
    exit 1
fi
echo "sql/$name: ok"
