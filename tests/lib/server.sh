# shellcheck shell=bash
# Shared helpers for the test scripts: a clean client environment, a free
# port, and starting / checking / stopping a strand for one test.
# Sourced by tests/sql/run.sh, tests/sql/make-expected.sh and
# tests/integration/with-server.sh; defines functions only.
#
# After strand_start BINARY:
#   STRAND_PORT  the TCP port (also the Unix socket /tmp/.s.PGSQL.$STRAND_PORT)
#   STRAND_PID   the server's process id
#   STRAND_TMP   a private temporary folder (data folder, log), removed by strand_cleanup
#   STRAND_LOG   the server's stdout + stderr
#
# Settings (environment): STRAND_START_TIMEOUT (seconds, default 10),
# STRAND_STOP_TIMEOUT (seconds, default 10), STRAND_START_ARGS (more
# arguments for `strand start`, split on blanks: -c name=value settings).

# Remove every libpq / psql variable that could change what a client does
# or prints (PGHOST, PGOPTIONS, PGTZ, PGCLIENTENCODING, PSQLRC, ...), and fix
# the locale and pager so that output is the same on every machine.
test_clean_client_env() {
    local v
    for v in $(compgen -e); do
        case "$v" in
        PG* | PSQL*) unset "$v" ;;
        esac
    done
    unset LANG LANGUAGE LC_CTYPE LC_MESSAGES LC_NUMERIC LC_TIME LC_COLLATE LC_MONETARY
    export LC_ALL=C.UTF-8
    export PAGER='' PSQL_PAGER=''
    export TZ=UTC
}

# True when something accepts TCP connections on 127.0.0.1:$1.
test_port_busy() {
    bash -c "</dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Prints a port in 20000-40000 with no TCP listener and no Unix socket.
test_pick_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 20001))
        if ! test_port_busy "$p" && [[ ! -e /tmp/.s.PGSQL.$p && ! -e /tmp/.s.PGSQL.$p.lock ]]; then
            echo "$p"
            return 0
        fi
    done
    echo "no free port found" >&2
    return 1
}

# psql 15 itself rather than Debian's wrapper, which would pick the newest
# client installed; the golden files are psql 15's output.
if [[ -z "${PSQL:-}" ]]; then
    if [[ -x /usr/lib/postgresql/15/bin/psql ]]; then
        PSQL=/usr/lib/postgresql/15/bin/psql
    else
        PSQL=psql
    fi
fi

# The client command every test uses to reach a server on 127.0.0.1:PORT.
# Usage: test_psql PORT [psql arguments...]
test_psql() {
    local port=$1
    shift
    "$PSQL" -X -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"
}

strand_alive() {
    [[ -n "${STRAND_PID:-}" ]] && kill -0 "$STRAND_PID" 2>/dev/null
}

# Start BINARY on a free port and wait until it answers SELECT 1.
# A start that fails (say another test took the port between the check and
# the bind) is retried on another port a few times.
strand_start() {
    local bin=$1 attempt status
    STRAND_TMP=$(mktemp -d "${TMPDIR:-/tmp}/strand-test.XXXXXX")
    STRAND_LOG=$STRAND_TMP/strand.log
    for attempt in 1 2 3 4 5; do
        STRAND_PORT=$(test_pick_port) || return 1
        rm -rf "$STRAND_TMP/data"
        echo "== attempt $attempt: $bin start --data $STRAND_TMP/data --port $STRAND_PORT --listen 127.0.0.1" >>"$STRAND_LOG"
        # shellcheck disable=SC2086 # STRAND_START_ARGS is a list of words
        "$bin" start --data "$STRAND_TMP/data" --port "$STRAND_PORT" --listen 127.0.0.1 ${STRAND_START_ARGS:-} \
            </dev/null >>"$STRAND_LOG" 2>&1 &
        STRAND_PID=$!
        if strand_wait_ready; then
            return 0
        fi
        if strand_alive; then
            # Running but never answered: no point in trying another port.
            echo "strand did not answer SELECT 1 within ${STRAND_START_TIMEOUT:-10} s" >&2
            return 1
        fi
        status=0
        wait "$STRAND_PID" 2>/dev/null || status=$?
        echo "== exited with status $status" >>"$STRAND_LOG"
        STRAND_PID=
    done
    echo "strand failed to start" >&2
    return 1
}

# Poll until the server answers, it dies, or the timeout passes.
strand_wait_ready() {
    local deadline=$((SECONDS + ${STRAND_START_TIMEOUT:-10})) out
    while ((SECONDS < deadline)); do
        strand_alive || return 1
        out=$(test_psql "$STRAND_PORT" -Atc 'SELECT 1' 2>/dev/null) && [[ "$out" == 1 ]] && return 0
        sleep 0.1
    done
    return 1
}

# Stop the server with SIGTERM, killing it after STRAND_STOP_TIMEOUT seconds.
# Fails if it had already died, did not stop, or exited with a status other
# than 0 or "killed by SIGTERM" (a sanitizer report exits non-zero).
strand_stop() {
    local status deadline
    [[ -n "${STRAND_PID:-}" ]] || return 0
    if ! strand_alive; then
        status=0
        wait "$STRAND_PID" 2>/dev/null || status=$?
        echo "strand died before the end of the test (exit status $status)" >&2
        STRAND_PID=
        return 1
    fi
    kill -TERM "$STRAND_PID" 2>/dev/null || true
    deadline=$((SECONDS + ${STRAND_STOP_TIMEOUT:-10}))
    while strand_alive && ((SECONDS < deadline)); do sleep 0.05; done
    if strand_alive; then
        kill -KILL "$STRAND_PID" 2>/dev/null || true
        wait "$STRAND_PID" 2>/dev/null || true
        echo "strand did not stop within ${STRAND_STOP_TIMEOUT:-10} s of SIGTERM (killed)" >&2
        STRAND_PID=
        return 1
    fi
    status=0
    wait "$STRAND_PID" 2>/dev/null || status=$?
    STRAND_PID=
    if ((status != 0 && status != 128 + 15)); then
        echo "strand exited with status $status after SIGTERM" >&2
        return 1
    fi
    return 0
}

# Stop the server cleanly and start BINARY again on the same data folder and
# port (what a restart keeps is the test's to check). Fails if either
# step does.
strand_restart() {
    local bin=$1 data=$STRAND_TMP/data
    strand_stop || return 1
    # shellcheck disable=SC2086 # STRAND_START_ARGS is a list of words
    "$bin" start --data "$data" --port "$STRAND_PORT" --listen 127.0.0.1 ${STRAND_START_ARGS:-} \
        </dev/null >>"$STRAND_LOG" 2>&1 &
    STRAND_PID=$!
    strand_wait_ready
}

strand_log_tail() {
    [[ -f "${STRAND_LOG:-}" ]] || return 0
    echo "---- strand log (last ${1:-40} lines) ----" >&2
    tail -n "${1:-40}" "$STRAND_LOG" >&2
    echo "---- end of strand log ----" >&2
}

# Kill a server still running (on an early exit) and remove the temp folder.
strand_cleanup() {
    if strand_alive; then
        kill -KILL "$STRAND_PID" 2>/dev/null || true
        wait "$STRAND_PID" 2>/dev/null || true
    fi
    STRAND_PID=
    if [[ -n "${STRAND_TMP:-}" ]]; then rm -rf "$STRAND_TMP"; fi
    STRAND_TMP=
}
