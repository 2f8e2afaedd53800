#!/usr/bin/env bash
# Crashes the server a golden file runs against and starts it again on the
# same data folder and port: a .sql file says `\! $SQL_RESTART` then `\c`.
# strand gets SIGKILL; PostgreSQL an immediate shutdown (its crash, with
# crash recovery at the restart). Waits until the server answers again.
#
# Environment (set by tests/sql/run.sh or make-expected.sh):
#   RESTART_KIND   strand | postgres
#   RESTART_BIN    the strand binary, or PostgreSQL's bin folder
#   RESTART_DATA   the data folder
#   RESTART_PORT   the port
#   RESTART_LOG    where the new server's output goes
#   RESTART_AS     (postgres) the command prefix that runs as the postgres user, if any
set -euo pipefail
: "${RESTART_KIND:?}" "${RESTART_BIN:?}" "${RESTART_DATA:?}" "${RESTART_PORT:?}" "${RESTART_LOG:?}"

if [[ $RESTART_KIND == postgres ]]; then
    # shellcheck disable=SC2086 # RESTART_AS is a command prefix
    ${RESTART_AS:-} "$RESTART_BIN/pg_ctl" -D "$RESTART_DATA" -l "$RESTART_LOG" -m immediate -w -t 60 restart >/dev/null
    exit
fi

pid=$(cat "$RESTART_DATA/strand.pid")
kill -KILL "$pid"
# The server holds a flock on strand.pid while it lives; the kernel drops it
# when the process dies (even before its parent reaps it).
for _ in $(seq 1 500); do
    flock -n "$RESTART_DATA/strand.pid" true 2>/dev/null && break
    sleep 0.01
done
setsid "$RESTART_BIN" start --data "$RESTART_DATA" --port "$RESTART_PORT" --listen 127.0.0.1 \
    </dev/null >>"$RESTART_LOG" 2>&1 &
for _ in $(seq 1 600); do
    if psql -X -h 127.0.0.1 -p "$RESTART_PORT" -U postgres -d postgres -Atc 'SELECT 1' >/dev/null 2>&1; then exit 0; fi
    sleep 0.05
done
echo "strand did not come back after the restart" >&2
exit 1
