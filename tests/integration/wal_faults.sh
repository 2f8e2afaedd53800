#!/usr/bin/env bash
# wal_faults: what strand does when its write-ahead log cannot be written or
# flushed (DESIGN.md: "a failed fsync stops the server from acknowledging
# further commits rather than pretending"). strand runs with tests/lib/faultfs
# preloaded, touching only files under wal/; for each fault, on a fresh data
# folder:
#   a. CREATE TABLE t and some committed rows, each acknowledged;
#   b. the fault turned on: an INSERT fails with the fault's SQLSTATE
#      (58030 io_error for EIO, 53100 disk_full for ENOSPC) and faultfs shows
#      it injected the fault;
#   c. the fault turned off: writes (INSERT, UPDATE, an explicit transaction,
#      CREATE TABLE) are still refused with 58030 or 53100 until a restart,
#      while reads keep working and show exactly the acknowledged rows;
#   d. the server log names the cause ("Input/output error" or "No space left
#      on device");
#   e. strand is stopped (SIGTERM, SIGKILL if it will not stop) and started
#      again without faults on the same folder: every acknowledged row is
#      there (the refused ones may or may not be: they were never
#      acknowledged; the script says which), new writes work and survive one
#      more restart.
# Faults: write=EIO, sync=EIO (fdatasync/fsync), write=ENOSPC, and a torn
# write (half a write reaches the file, the rest fails with EIO).
#
# Usage: wal_faults.sh STRAND_BINARY LIBFAULTFS_SO
# Settings (environment): WAL_FAULTS_SQL_TIMEOUT (seconds per psql call,
# default 20), WAL_FAULTS_KEEP=1 keeps the work folder, plus server.sh's
# STRAND_START_TIMEOUT and STRAND_STOP_TIMEOUT.
# Prints TAP lines ("ok N - ...", "not ok N - ...", "1..N") and a final
# "N passed, N failed"; exits 1 if anything failed.
set -uo pipefail

if (($# != 2)); then
    echo "usage: $0 STRAND_BINARY LIBFAULTFS_SO" >&2
    exit 2
fi
bin=$(realpath "$1") || exit 2
so=$(realpath "$2") || exit 2
[[ -x "$bin" ]] || {
    echo "$0: not an executable: $bin" >&2
    exit 2
}
[[ -f "$so" ]] || {
    echo "$0: no such file: $so" >&2
    exit 2
}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/server.sh
source "$here/../lib/server.sh"
test_clean_client_env

SQL_TIMEOUT=${WAL_FAULTS_SQL_TIMEOUT:-20}
MATCH=/wal/
# Every SQLSTATE a refused write may carry once the log has failed.
REFUSED="58030 53100"

work=$(mktemp -d "${TMPDIR:-/tmp}/strand-wal-faults.XXXXXX") || exit 1
if [[ "$work/" == *"$MATCH"* ]]; then
    echo "$0: the work folder $work already contains $MATCH; set TMPDIR elsewhere" >&2
    exit 2
fi
STRAND_PID=
cleanup() {
    if strand_alive; then
        kill -KILL "$STRAND_PID" 2>/dev/null
        wait "$STRAND_PID" 2>/dev/null
    fi
    if [[ "${WAL_FAULTS_KEEP:-}" == 1 ]]; then
        echo "# work folder kept: $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# ---- TAP ----

# shellcheck source=../lib/tap.sh
source "$here/../lib/tap.sh"

# ---- the server ----

# set_fault CONTROL TEXT: replaces faultfs's control file with rename(2), so a
# running strand sees the change at its next write or flush ("" = no faults).
set_fault() {
    printf '%s' "$2" >"$1.new" && mv -f "$1.new" "$1"
}

# server_start DATA [CONTROL]: starts strand on DATA (created on first start,
# kept afterwards) on a free port and waits until it answers; with CONTROL,
# faultfs is preloaded, touching files under wal/ as CONTROL says. Sets
# STRAND_PORT and STRAND_PID; appends to STRAND_LOG. A start that loses its
# port to another process is retried on another one.
server_start() {
    local data=$1 control=${2:-} attempt mark status
    local env=()
    if [[ -n "$control" ]]; then
        # A sanitizer build refuses a preloaded library ahead of its runtime
        # unless told not to check.
        env=(LD_PRELOAD="$so" FAULTFS_MATCH="$MATCH" FAULTFS_CONTROL="$control"
            ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
    fi
    for attempt in 1 2 3 4 5; do
        STRAND_PORT=$(test_pick_port) || return 1
        mark=$(wc -l <"$STRAND_LOG")
        echo "== start${control:+ (faultfs preloaded)}, attempt $attempt: port $STRAND_PORT, data $data" >>"$STRAND_LOG"
        env "${env[@]}" "$bin" start --data "$data" --port "$STRAND_PORT" --listen 127.0.0.1 </dev/null >>"$STRAND_LOG" 2>&1 &
        STRAND_PID=$!
        strand_wait_ready && return 0
        if strand_alive; then
            echo "strand did not answer SELECT 1 within ${STRAND_START_TIMEOUT:-10} s" >>"$STRAND_LOG"
            kill -KILL "$STRAND_PID" 2>/dev/null
            wait "$STRAND_PID" 2>/dev/null
            STRAND_PID=
            return 1
        fi
        status=0
        wait "$STRAND_PID" 2>/dev/null || status=$?
        echo "== exited with status $status" >>"$STRAND_LOG"
        STRAND_PID=
        tail -n +"$((mark + 1))" "$STRAND_LOG" | grep -q "Address already in use" || return 1
    done
    return 1
}

# server_stop_any: SIGTERM, then SIGKILL after STRAND_STOP_TIMEOUT seconds.
# A server whose log has failed may refuse to stop cleanly; that is allowed,
# but a crash (a fatal signal of its own) is not. Reports one TAP line.
server_stop_any() {
    local what=$1 status deadline how
    if [[ -z "$STRAND_PID" ]]; then
        not_ok "$what" "strand was not running"
        return
    fi
    if ! strand_alive; then
        status=0
        wait "$STRAND_PID" 2>/dev/null || status=$?
        STRAND_PID=
        not_ok "$what" "strand was no longer running (exit status $status): a failed log must not end the server"
        return
    fi
    kill -TERM "$STRAND_PID" 2>/dev/null
    deadline=$((SECONDS + ${STRAND_STOP_TIMEOUT:-10}))
    while strand_alive && ((SECONDS < deadline)); do sleep 0.05; done
    how="SIGTERM"
    if strand_alive; then
        kill -KILL "$STRAND_PID" 2>/dev/null
        how="SIGKILL after ${STRAND_STOP_TIMEOUT:-10} s of SIGTERM"
    fi
    status=0
    wait "$STRAND_PID" 2>/dev/null || status=$?
    STRAND_PID=
    case $status in
    132 | 133 | 134 | 135 | 136 | 139) not_ok "$what" "strand crashed: exit status $status after $how" ;;
    *) ok "$what ($how, exit status $status)" ;;
    esac
}

# ---- SQL ----

# run_sql PORT SQL: one statement (its own session, autocommit). OUT holds
# psql's stdout and stderr with verbose errors ("ERROR:  58030: ..."), RC its
# exit status (124: timed out).
run_sql() {
    OUT=$(timeout "$SQL_TIMEOUT" "$PSQL" -X -h 127.0.0.1 -p "$1" -U postgres -d postgres -At \
        -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c "$2" 2>&1)
    RC=$?
}

# run_script PORT SCRIPT: several statements in one session, stopping at the
# first error.
run_script() {
    OUT=$(printf '%s\n' "$2" | timeout "$SQL_TIMEOUT" "$PSQL" -X -h 127.0.0.1 -p "$1" -U postgres -d postgres -At \
        -v ON_ERROR_STOP=1 -v VERBOSITY=verbose 2>&1)
    RC=$?
}

# The SQLSTATE of the first error in OUT, if any.
sqlstate() { sed -nE 's/^(ERROR|FATAL|PANIC):  ([0-9A-Z]{5}): .*/\2/p' <<<"$OUT" | head -n 1; }

# expect_refused DESCRIPTION CODES SUCCESS_TAG: the last run_sql/run_script
# must have ended in an error with one of CODES. What decides is the error: a
# client gets an error for the query, so the write was not acknowledged, even
# if the command's tag (SUCCESS_TAG, "INSERT 0 1") came before it. PostgreSQL
# sends the tag first too when the implicit transaction commits after it (the
# extended protocol's Sync, a multi-statement simple query), though for one
# statement in a simple query it commits first; such a tag is noted.
expect_refused() {
    local what=$1 codes=$2 tag=$3 state
    state=$(sqlstate)
    if ((RC == 124)); then
        not_ok "$what" "no answer within $SQL_TIMEOUT s (a commit waiting for a flush that never comes?)" "$OUT"
    elif [[ -n "$state" && " $codes " == *" $state "* ]]; then
        ok "$what (SQLSTATE $state)"
        if grep -qxF "$tag" <<<"$OUT"; then
            note "the command tag \"$tag\" came before the error (PostgreSQL commits a one-statement simple query before its CommandComplete)"
        fi
    else
        not_ok "$what" "expected SQLSTATE ${codes// / or }, got ${state:-no SQLSTATE}:" "$OUT"
    fi
}

# expect_out DESCRIPTION WANT: the last run_sql/run_script succeeded and
# printed exactly WANT.
expect_out() {
    if ((RC == 0)) && [[ "$OUT" == "$2" ]]; then
        ok "$1"
    else
        not_ok "$1" "expected:" "$2" "got (psql exit status $RC):" "$OUT"
    fi
}

lines() { printf '%s\n' "$@"; }

# The server log without faultfs's own lines.
server_log() { grep -v '^faultfs: ' "$STRAND_LOG"; }

# ---- one fault ----

# scenario NAME DIRECTIVE CODES CAUSE: the whole sequence above for one fault;
# CODES are the SQLSTATEs the first failed INSERT may carry, CAUSE is what
# the server log must mention ("" = not checked).
scenario() {
    local name=$1 directive=$2 codes=$3 cause=$4
    local dir=$work/$name
    local data=$dir/data control=$dir/faults
    local acked=() attempted=(100 101 102) id state
    mkdir -p "$dir"
    STRAND_LOG=$dir/strand.log
    : >"$STRAND_LOG"
    local failed_before=$failed
    note "---- $name: faultfs \"${directive//$'\n'/; }\" on files under $MATCH ----"

    # a. A table and acknowledged rows, with faultfs loaded but idle.
    set_fault "$control" ""
    if ! server_start "$data" "$control"; then
        not_ok "$name: strand starts with faultfs preloaded" "$(tail -n 20 "$STRAND_LOG")"
        return
    fi
    if grep -qF "$so" "/proc/$STRAND_PID/maps" 2>/dev/null; then
        ok "$name: strand starts with faultfs preloaded"
    else
        not_ok "$name: strand starts with faultfs preloaded" "$so is not mapped into strand (pid $STRAND_PID)"
    fi
    run_sql "$STRAND_PORT" "CREATE TABLE t (id int PRIMARY KEY, v text)"
    expect_out "$name: CREATE TABLE t is acknowledged" "CREATE TABLE"
    for id in 1 2 3; do
        run_sql "$STRAND_PORT" "INSERT INTO t VALUES ($id, 'row $id')"
        ((RC == 0)) && [[ "$OUT" == "INSERT 0 1" ]] && acked+=("$id")
    done
    run_script "$STRAND_PORT" "BEGIN;
INSERT INTO t VALUES (4, 'row 4');
INSERT INTO t VALUES (5, 'row 5');
COMMIT;"
    ((RC == 0)) && [[ "$OUT" == $'BEGIN\nINSERT 0 1\nINSERT 0 1\nCOMMIT' ]] && acked+=(4 5)
    if [[ "${acked[*]}" == "1 2 3 4 5" ]]; then
        ok "$name: rows 1-3 (autocommit) and 4-5 (one transaction) are acknowledged"
    else
        not_ok "$name: rows 1-3 (autocommit) and 4-5 (one transaction) are acknowledged" \
            "acknowledged: ${acked[*]:-none}; last output:" "$OUT"
        note "$name: without faults the writes already fail; skipping the rest"
        server_stop_any "$name: strand stops"
        strand_log_tail 30
        return
    fi

    # b. The fault on: the next commit cannot be made durable.
    set_fault "$control" "$directive"$'\n'
    run_sql "$STRAND_PORT" "INSERT INTO t VALUES (100, 'refused under the fault')"
    expect_refused "$name: an INSERT under the fault fails" "$codes" "INSERT 0 1"
    if grep -q '^faultfs: .*(injected)$' "$STRAND_LOG"; then
        ok "$name: faultfs injected the fault: $(grep -m 1 '^faultfs: .*(injected)$' "$STRAND_LOG" | sed "s|$work/||")"
    else
        not_ok "$name: faultfs injected the fault" \
            "no \"faultfs: ... (injected)\" line in the server log: strand never wrote or flushed a file under $MATCH" \
            "through the calls faultfs intercepts while the fault was on"
    fi

    # c. The fault off again: the log stays failed until a restart; reads work.
    set_fault "$control" ""
    run_sql "$STRAND_PORT" "INSERT INTO t VALUES (101, 'refused after the fault')"
    expect_refused "$name: with the fault off, an INSERT is still refused" "$REFUSED" "INSERT 0 1"
    run_sql "$STRAND_PORT" "UPDATE t SET v = 'refused update' WHERE id = 1"
    expect_refused "$name: an UPDATE is refused" "$REFUSED" "UPDATE 1"
    run_script "$STRAND_PORT" "BEGIN;
INSERT INTO t VALUES (102, 'refused in a transaction');
COMMIT;"
    expect_refused "$name: an explicit transaction's write is not committed" "$REFUSED" "COMMIT"
    run_sql "$STRAND_PORT" "CREATE TABLE t_refused (id int)"
    expect_refused "$name: CREATE TABLE is refused" "$REFUSED" "CREATE TABLE"
    run_sql "$STRAND_PORT" "SELECT id FROM t ORDER BY id"
    expect_out "$name: reads work and show exactly the acknowledged rows" "$(lines "${acked[@]}")"
    run_sql "$STRAND_PORT" "SELECT v FROM t WHERE id = 1"
    expect_out "$name: the refused UPDATE changed nothing" "row 1"
    run_script "$STRAND_PORT" "BEGIN;
SELECT id FROM t WHERE id = 2;
COMMIT;"
    expect_out "$name: a transaction that only reads still commits" $'BEGIN\n2\nCOMMIT'

    # d. The log says why.
    if [[ -z "$cause" ]]; then
        :
    elif server_log | grep -qiF "$cause"; then
        ok "$name: the server log names the cause: $(server_log | grep -iF -m 1 "$cause" | sed "s|$work/||")"
    else
        not_ok "$name: the server log names the cause (\"$cause\")" "$(server_log | tail -n 15)"
    fi

    # e. Restart without the fault: nothing acknowledged is lost.
    server_stop_any "$name: strand stops"
    if ! server_start "$data"; then
        not_ok "$name: strand restarts on the same data folder without faults" "$(tail -n 30 "$STRAND_LOG")"
        return
    fi
    ok "$name: strand restarts on the same data folder without faults"
    check_rows "$name" "${#acked[@]}" "${acked[@]}" "${attempted[@]}"
    run_sql "$STRAND_PORT" "SELECT v FROM t WHERE id = 1"
    case $OUT in
    "row 1") ok "$name: after the restart row 1 is as acknowledged" ;;
    "refused update") ok "$name: after the restart row 1 is as acknowledged or as the refused UPDATE left it (the UPDATE)" ;;
    *) not_ok "$name: after the restart row 1 is as acknowledged or as the refused UPDATE left it" "$OUT" ;;
    esac
    after_restart "$name" "$data" "${acked[@]}"
}

# check_rows NAME N ACKED... ATTEMPTED...: after a restart, every one of the N
# acknowledged ids is in t, and nothing else but ids of refused writes.
check_rows() {
    local name=$1 nacked=$2 id
    shift 2
    local acked=("${@:1:nacked}") attempted=("${@:nacked+1}")
    local -A present=() allowed=()
    local missing=() unknown=() refused_present=() refused_absent=()
    run_sql "$STRAND_PORT" "SELECT id FROM t ORDER BY id"
    if ((RC != 0)); then
        not_ok "$name: after the restart every acknowledged row is there" "SELECT failed:" "$OUT"
        return
    fi
    for id in $OUT; do present[$id]=1; done
    for id in "${acked[@]}"; do
        allowed[$id]=1
        [[ -n "${present[$id]:-}" ]] || missing+=("$id")
    done
    for id in "${attempted[@]}"; do
        allowed[$id]=1
        if [[ -n "${present[$id]:-}" ]]; then refused_present+=("$id"); else refused_absent+=("$id"); fi
    done
    for id in "${!present[@]}"; do [[ -n "${allowed[$id]:-}" ]] || unknown+=("$id"); done
    if ((${#missing[@]} == 0)); then
        ok "$name: after the restart every acknowledged row is there (${acked[*]})"
    else
        not_ok "$name: after the restart every acknowledged row is there" "missing: ${missing[*]}; t holds:" "$OUT"
    fi
    if ((${#unknown[@]} == 0)); then
        ok "$name: and no row that was never written"
    else
        not_ok "$name: and no row that was never written" "unexpected ids: ${unknown[*]}"
    fi
    note "$name: refused (never acknowledged) rows present after the restart: ${refused_present[*]:-none};" \
        "absent: ${refused_absent[*]:-none}"
}

# after_restart NAME DATA ACKED...: new writes work once restarted, and they
# (with the old rows) survive one more clean restart.
after_restart() {
    local name=$1 data=$2 id
    shift 2
    run_sql "$STRAND_PORT" "INSERT INTO t VALUES (200, 'after the restart')"
    expect_out "$name: after the restart an INSERT is acknowledged again" "INSERT 0 1"
    run_sql "$STRAND_PORT" "CREATE TABLE t_after (id int PRIMARY KEY)"
    expect_out "$name: and so is CREATE TABLE" "CREATE TABLE"
    run_sql "$STRAND_PORT" "INSERT INTO t_after VALUES (1)"
    if strand_stop; then
        ok "$name: strand stops cleanly after recovering"
    else
        not_ok "$name: strand stops cleanly after recovering" "$(tail -n 20 "$STRAND_LOG")"
    fi
    if ! server_start "$data"; then
        not_ok "$name: strand starts a third time" "$(tail -n 30 "$STRAND_LOG")"
        return
    fi
    run_sql "$STRAND_PORT" "SELECT id FROM t WHERE id <= 5 OR id = 200 ORDER BY id"
    expect_out "$name: the acknowledged rows and the one written after recovery survive another restart" \
        "$(lines "$@" 200)"
    run_sql "$STRAND_PORT" "SELECT id FROM t_after"
    expect_out "$name: so does the table created after recovery" "1"
    if strand_stop; then
        ok "$name: strand stops cleanly"
    else
        not_ok "$name: strand stops cleanly" "$(tail -n 20 "$STRAND_LOG")"
    fi
    if grep -qE 'ERROR: (Address|Leak|Thread|Undefined)Sanitizer|runtime error:' "$STRAND_LOG"; then
        not_ok "$name: no sanitizer reports" "$(grep -E -A 5 'Sanitizer|runtime error:' "$STRAND_LOG" | head -n 30)"
    fi
    if ((failed > failed_before)); then strand_log_tail 40; fi
}

scenario write-eio "write=EIO" "58030" "Input/output error"
scenario sync-eio "sync=EIO" "58030" "Input/output error"
scenario write-enospc "write=ENOSPC" "53100" "No space left on device"
# A torn write: the first write call after the fault is armed reaches the file
# only half, the next one (the writer completing it) fails; recovery must stop
# at the torn record and the log must go on after it. A writer that treats the
# short write itself as the error may report it as disk full, as PostgreSQL
# does.
scenario torn-write $'short times=1\nwrite=EIO after=1' "58030 53100" ""

tap_summary
