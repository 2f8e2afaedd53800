#!/usr/bin/env bash
# Usage: tests/integration/copy_slow_reader.sh STRAND-BINARY
# A COPY TO STDOUT of a large table (COPY_SLOW_BYTES, default 1 GiB of
# text) to a client that reads slower than strand writes: strand's memory
# must stay bounded (session.c C2: the COPY waits for the client), every
# byte must arrive, and other sessions must be served meanwhile.
set -uo pipefail
bin=$1
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/../lib/server.sh"
source "$here/../lib/tap.sh"
test_clean_client_env

bytes=${COPY_SLOW_BYTES:-1073741824}
row_text=1000 # bytes of text per row; a row's line is a few bytes longer
rows=$((bytes / row_text))
limit_mb=${COPY_SLOW_LIMIT_MB:-128}

# Under AddressSanitizer freed memory waits in a quarantine (256 MB by
# default) before reuse, which would look like growth: keep it small.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=8"
trap strand_cleanup EXIT
strand_start "$bin" || { strand_log_tail; exit 1; }
psql_q() { test_psql "$STRAND_PORT" -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_q -c "CREATE TABLE big (id int PRIMARY KEY, t text)"
awk -v rows="$rows" -v w="$row_text" 'BEGIN {
    s = sprintf("%*s", w, ""); gsub(/ /, "x", s)
    for (i = 1; i <= rows; i++) print i "\t" s
}' | psql_q -c "\\copy big FROM STDIN"
check "loaded $rows rows of $row_text bytes" "$rows" "$(psql_q -At -c "SELECT id FROM big WHERE id = $rows")"

rss_mb() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$STRAND_PID/status"; }
# What the load leaves behind (its WAL record, a checkpoint) settles first.
psql_q -c "CHECKPOINT"
base=$(rss_mb)
for _ in $(seq 1 50); do
    sleep 0.5
    now=$(rss_mb)
    ((now == base)) && break
    base=$now
done

# The slow reader: 1 MiB, then 5 ms of nothing, so strand outruns it.
slow_reader() {
    /usr/bin/python3 -c '
import sys, time
n = 0
while True:
    b = sys.stdin.buffer.read(1 << 20)
    if not b: break
    n += len(b)
    time.sleep(0.005)
print(n)'
}
psql_q -c "COPY big TO STDOUT" | slow_reader >"$STRAND_TMP/received" &
reader=$!
peak=$base
served=0
while kill -0 "$reader" 2>/dev/null; do
    now=$(rss_mb)
    ((now > peak)) && peak=$now
    [[ "$(psql_q -At -c 'SELECT 1' 2>/dev/null)" == 1 ]] && served=$((served + 1))
    sleep 0.2
done
wait "$reader"
expected=$(awk -v rows="$rows" -v w="$row_text" 'BEGIN { n = 0; for (i = 1; i <= rows; i++) n += length(i "") + 1 + w + 1; printf "%d", n }')
check "every byte arrived" "$expected" "$(cat "$STRAND_TMP/received")"
echo "# strand RSS before the COPY ${base} MB, peak during it ${peak} MB; ${served} other queries answered meanwhile"
grew=$((peak - base))
if ((grew < limit_mb)); then ok "memory bounded: grew $grew MB (limit $limit_mb MB)"; else not_ok "memory bounded" "grew $grew MB, limit $limit_mb MB"; fi
if ((served > 0)); then ok "other sessions were served during the COPY"; else not_ok "other sessions were served during the COPY"; fi
if kill -0 "$STRAND_PID"; then ok "strand still running"; else not_ok "strand still running"; fi
tap_summary
