#!/usr/bin/env bash
# copy: COPY FROM STDIN of BENCH_ROWS rows (default 1,000,000; four columns:
# int key, text, float8, bool) through psql's \copy, and COPY TO STDOUT of
# them back, strand and PostgreSQL 15 side by side, alternating for
# BENCH_ROUNDS rounds (default 3); prints rows per second of each and the
# ratio strand / PostgreSQL (best round of each).
# Usage: tests/bench/copy.sh [STRAND_BINARY]   (default build/server/strand)
# PostgreSQL runs with its default settings (fsync on), strand with its own.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$(realpath "${1:-$here/../../build/server/strand}")
# shellcheck source=../lib/bench.sh
source "$here/../lib/bench.sh"

rows=${BENCH_ROWS:-1000000}
rounds=${BENCH_ROUNDS:-3}

awk -v rows="$rows" 'BEGIN { for (i = 1; i <= rows; i++) printf "%d\tname %d\t%d.5\t%s\n", i, i, i % 1000, (i % 2 ? "t" : "f") }' \
    >"$work/rows.tsv"

strand_start "$bin"
pg_start

now() { date +%s.%N; }

copy_in() { # PORT: prints seconds
    local port=$1 t0 t1
    test_psql "$port" -q -v ON_ERROR_STOP=1 -c "DROP TABLE IF EXISTS cp" 2>/dev/null \
        -c "CREATE TABLE cp (id int PRIMARY KEY, name text, score float8, ok bool)" >/dev/null
    t0=$(now)
    test_psql "$port" -q -v ON_ERROR_STOP=1 -c "\\copy cp FROM '$work/rows.tsv'" >/dev/null
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

copy_out() { # PORT: prints seconds
    local port=$1 t0 t1
    t0=$(now)
    test_psql "$port" -q -v ON_ERROR_STOP=1 -c "\\copy cp TO '$work/out.tsv'" >/dev/null
    t1=$(now)
    cmp -s "$work/out.tsv" "$work/rows.tsv" || { echo "port $port: COPY TO returned other rows" >&2; exit 1; }
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

best() { sort -g | head -1; }
echo "copy: $rows rows, $rounds rounds alternating, psql \\copy on the same machine"
: >"$work/s_in" >"$work/p_in" >"$work/s_out" >"$work/p_out"
for ((r = 1; r <= rounds; r++)); do
    copy_in "$STRAND_PORT" >>"$work/s_in"; echo >>"$work/s_in"
    copy_in "$PG_PORT" >>"$work/p_in"; echo >>"$work/p_in"
    copy_out "$STRAND_PORT" >>"$work/s_out"; echo >>"$work/s_out"
    copy_out "$PG_PORT" >>"$work/p_out"; echo >>"$work/p_out"
done
for dir in in out; do
    s=$(best <"$work/s_$dir")
    p=$(best <"$work/p_$dir")
    awk -v d="$dir" -v n="$rows" -v s="$s" -v p="$p" \
        'BEGIN { printf "copy %-3s strand %9.0f rows/s (%.2f s)   postgres %9.0f rows/s (%.2f s)   ratio %.2f\n", d, n / s, s, n / p, p, p / s }'
done
