#!/usr/bin/env bash
# cli-start: `strand start` with its embedded defaults creates ./strand-data
# and serves psql over TCP (127.0.0.1:5432) and the Unix socket
# /tmp/.s.PGSQL.5432; a second server on a taken port fails with a clear
# error and leaves the first one serving.
# Usage: cli-start.sh STRAND_BINARY
set -uo pipefail
bin=$(realpath "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/server.sh
source "$here/../lib/server.sh"
test_clean_client_env

passed=0 failed=0
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@" >/dev/null 2>&1; then
        echo "ok - $what"
        passed=$((passed + 1))
    else
        echo "not ok - $what"
        failed=$((failed + 1))
    fi
}

work=$(mktemp -d "${TMPDIR:-/tmp}/strand-cli.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT

wait_ready() { # wait_ready PORT HOST
    for _ in $(seq 1 100); do
        "$PSQL" -X -h "$2" -p "$1" -U postgres -d postgres -Atc 'SELECT 1' >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# 1. Defaults. If something else already holds 5432 (a developer's own
#    PostgreSQL), the defaults are checked through the error path instead.
if test_port_busy 5432; then
    (cd "$work" && "$bin" start >"$work/busy.log" 2>&1)
    status=$?
    check "default start on a taken port 5432 exits non-zero" test "$status" -ne 0
    check "and says the address is in use" grep -q "Address already in use" "$work/busy.log"
else
    (cd "$work" && exec "$bin" start >"$work/default.log" 2>&1) &
    pids+=($!)
    check "strand start with defaults answers on 127.0.0.1:5432" wait_ready 5432 127.0.0.1
    check "the data folder ./strand-data was created" test -d "$work/strand-data"
    check "psql over TCP: CREATE, INSERT, SELECT" bash -c "
        '$PSQL' -X -h 127.0.0.1 -p 5432 -U postgres -Atc \"CREATE TABLE cli (id int PRIMARY KEY); INSERT INTO cli VALUES (7)\" &&
        test \"\$('$PSQL' -X -h 127.0.0.1 -p 5432 -U postgres -Atc 'SELECT id FROM cli')\" = 7"
    check "psql over the Unix socket /tmp/.s.PGSQL.5432 sees the same data" bash -c "
        test \"\$('$PSQL' -X -h /tmp -p 5432 -U postgres -Atc 'SELECT id * 2 FROM cli')\" = 14"
    kill "${pids[0]}" && wait "${pids[0]}"
    check "SIGTERM stops it cleanly and removes the socket" test ! -e /tmp/.s.PGSQL.5432
    pids=()
fi

# 2. A taken port: clear error, the first server keeps serving.
port=$(test_pick_port)
"$bin" start --data "$work/a" --port "$port" >"$work/a.log" 2>&1 &
pids+=($!)
check "first server on port $port" wait_ready "$port" 127.0.0.1
"$bin" start --data "$work/b" --port "$port" >"$work/b.log" 2>&1
status=$?
check "second server on the same port exits with status 1" test "$status" -eq 1
check "with PostgreSQL's message" grep -q "could not bind IPv4 address \"127.0.0.1\": Address already in use" "$work/b.log"
check "the first server still answers" wait_ready "$port" 127.0.0.1
check "and its Unix socket too" wait_ready "$port" /tmp

# 3. Bad command lines.
"$bin" start --port nope >"$work/c.log" 2>&1
check "an invalid port is refused" test $? -eq 2

# 4. Any listen address: loopback is trusted, other addresses must use SCRAM
#    (the default strand_hba.conf), so postgres without a password is refused.
port2=$(test_pick_port)
"$bin" start --data "$work/d" --listen 0.0.0.0 --port "$port2" >"$work/d.log" 2>&1 &
d_pid=$!
check "listening on 0.0.0.0 is allowed" wait_ready "$port2" 127.0.0.1
ext=$(hostname -I 2>/dev/null | awk '{ print $1 }')
if [[ -n "$ext" && "$ext" != 127.* ]]; then
    out=$(PGPASSWORD=wrong PGCONNECT_TIMEOUT=5 "$PSQL" -X -w -h "$ext" -p "$port2" -U postgres -d postgres -c "SELECT 1" 2>&1)
    check "from $ext (not loopback) SCRAM is required" grep -q 'password authentication failed for user "postgres"' <<<"$out"
fi
check "the default strand_hba.conf was written" grep -q "scram-sha-256" "$work/d/strand_hba.conf"
kill -TERM "$d_pid"
wait "$d_pid"

echo "$passed passed, $failed failed"
((failed == 0))
