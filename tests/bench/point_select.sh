#!/usr/bin/env bash
# point_select: primary-key point lookups through pgbench, strand and
# PostgreSQL 15 side by side on the same machine, same data, same client
# settings; prints each one's throughput and the ratio strand / PostgreSQL.
# Usage: tests/bench/point_select.sh [STRAND_BINARY]   (default build/server/strand)
# Settings: BENCH_SECONDS (default 10), BENCH_CLIENTS (4), BENCH_ROWS (10000).
# PostgreSQL runs with its default settings; the workload is read-only.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$(realpath "${1:-$here/../../build/server/strand}")
# shellcheck source=../lib/bench.sh
source "$here/../lib/bench.sh"

seconds=${BENCH_SECONDS:-10}
clients=${BENCH_CLIENTS:-4}
rows=${BENCH_ROWS:-10000}

awk -v rows="$rows" 'BEGIN {
    print "CREATE TABLE kv (id int PRIMARY KEY, v text);"
    for (b = 0; b * 100 < rows; b++) {
        line = "INSERT INTO kv VALUES "
        for (i = b * 100 + 1; i <= b * 100 + 100 && i <= rows; i++)
            line = line (i > b * 100 + 1 ? ", " : "") "(" i ", '\''value " i "'\'')"
        print line ";"
    }
}' >"$work/load.sql"
printf '\\set id random(1, %d)\nSELECT v FROM kv WHERE id = :id;\n' "$rows" >"$work/point.sql"

strand_start "$bin"
pg_start
for port in "$STRAND_PORT" "$PG_PORT"; do
    test_psql "$port" -q -v ON_ERROR_STOP=1 -f "$work/load.sql" >/dev/null
done

tps() { # tps PORT MODE
    "$pgbench" -n -M "$2" -f "$work/point.sql" -c "$clients" -j 2 -T "$seconds" -h 127.0.0.1 -p "$1" -U postgres postgres 2>&1 |
        awk '/^tps = / { printf "%d", $3 }'
}

echo "point_select: $rows rows, $clients clients, ${seconds}s per run, pgbench on the same machine"
for mode in simple prepared; do
    s=$(tps "$STRAND_PORT" "$mode")
    p=$(tps "$PG_PORT" "$mode")
    awk -v m="$mode" -v s="$s" -v p="$p" \
        'BEGIN { printf "point_select %-8s strand %7d tps   postgres %7d tps   ratio %.2f\n", m, s, p, (p ? s / p : 0) }'
done
