#!/usr/bin/env bash
# queries: the query engine's costs and what clients see of them, in one run.
#  1. parse + plan time per statement for typical OLTP statements, and the
#     plan cache's hit (tests/bench/parse_plan.c, in-process);
#  2. point-select throughput (pgbench, primary-key lookups) over the simple
#     and the prepared protocol, and of a point join (a primary-key lookup
#     joined to another table by its key: an index nested loop), prepared:
#     strand, PostgreSQL 15 and the do-nothing server (null_server.c, the
#     machine's ceiling), taking turns, the median of BENCH_ROUNDS rounds;
#  3. point-select latency (p50, p99) from 8 clients, idle and while another
#     session runs full scans and aggregates over 1,000,000 rows, strand
#     next to PostgreSQL.
# Usage: tests/bench/queries.sh [BUILD_DIR]   (default build; needs
#   BUILD_DIR/server/strand, BUILD_DIR/tests/null_server and parse_plan)
# Settings: BENCH_SECONDS (5), BENCH_CLIENTS (8), BENCH_ROUNDS (3),
#   BENCH_ROWS (100000 point-select rows), BENCH_BIG (1000000 scanned rows).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(realpath "${1:-$here/../../build}")
# shellcheck source=../lib/bench.sh
source "$here/../lib/bench.sh"

seconds=${BENCH_SECONDS:-5}
clients=${BENCH_CLIENTS:-8}
rounds=${BENCH_ROUNDS:-3}
rows=${BENCH_ROWS:-100000}
big=${BENCH_BIG:-1000000}

echo "== 1. parse and plan, in-process"
"$build/tests/parse_plan" 20000

strand_start "$build/server/strand"
pg_start
null_port=$(test_pick_port)
"$build/tests/null_server" "$null_port" 2>"$work/null.log" &
null_pid=$!
trap 'kill $null_pid 2>/dev/null; strand_stop >/dev/null 2>&1 || true; strand_cleanup; pg_cleanup; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do test_port_busy "$null_port" && break; sleep 0.1; done

awk -v rows="$rows" 'BEGIN { for (i = 1; i <= rows; i++) printf "%d\tvalue %d\n", i, i }' >"$work/kv.tsv"
awk -v n="$big" 'BEGIN { for (i = 1; i <= n; i++) printf "%d\t%d\trow %d\n", i, (i * 7919) % 1000, i }' >"$work/big.tsv"
for port in "$STRAND_PORT" "$PG_PORT"; do
    test_psql "$port" -q -v ON_ERROR_STOP=1 \
        -c "CREATE TABLE kv (id int PRIMARY KEY, v text)" -c "\\copy kv FROM '$work/kv.tsv'" \
        -c "CREATE TABLE big (id int PRIMARY KEY, g int, t text)" -c "\\copy big FROM '$work/big.tsv'" >/dev/null
done
test_psql "$PG_PORT" -q -c "VACUUM ANALYZE" >/dev/null
printf '\\set id random(1, %d)\nSELECT v FROM kv WHERE id = :id;\n' "$rows" >"$work/point.sql"
printf '\\set id random(1, %d)\nSELECT b.t, k.v FROM big b JOIN kv k ON k.id = b.g + 1 WHERE b.id = :id;\n' \
    "$big" >"$work/join.sql"

tps() { # PORT MODE [SCRIPT]
    "$pgbench" -n -M "$2" -f "$work/${3:-point}.sql" -c "$clients" -j 2 -T "$seconds" -h 127.0.0.1 -p "$1" \
        -U postgres postgres 2>&1 | awk '/^tps = / { printf "%d", $3 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "== 2. point selects: $rows rows, $clients clients, ${seconds}s per run, $rounds rounds (median)"
for run in "point_select simple point" "point_select prepared point" "point_join prepared join"; do
    read -r what mode script <<<"$run"
    : >"$work/s" >"$work/p" >"$work/n"
    for ((r = 1; r <= rounds; r++)); do
        echo "$(tps "$STRAND_PORT" "$mode" "$script")" >>"$work/s"
        echo "$(tps "$PG_PORT" "$mode" "$script")" >>"$work/p"
        echo "$(tps "$null_port" "$mode" "$script")" >>"$work/n"
    done
    s=$(median <"$work/s") p=$(median <"$work/p") n=$(median <"$work/n")
    awk -v w="$what" -v m="$mode" -v s="$s" -v p="$p" -v n="$n" 'BEGIN { printf "%-12s %-8s strand %7d   postgres %7d   ceiling %7d   strand/postgres %.2f   share of ceiling %3.0f%%\n", w, m, s, p, n, (p ? s / p : 0), (n ? 100 * s / n : 0) }'
done

# Latency percentiles (ms) of one pgbench run's per-transaction log.
latency() { # PORT
    rm -f "$work"/lat.*
    "$pgbench" -n -M prepared -f "$work/point.sql" -c "$clients" -j 2 -T "$seconds" -l --log-prefix="$work/lat" \
        -h 127.0.0.1 -p "$1" -U postgres postgres >/dev/null 2>&1
    cat "$work"/lat.* | awk '{ print $3 }' | sort -n |
        awk '{ v[NR] = $1 } END { printf "p50 %7.3f ms   p99 %7.3f ms   (%d selects)", v[int(NR * 0.5) + 1] / 1000, v[int(NR * 0.99) + 1] / 1000, NR }'
}

# Another session scanning and aggregating the big table, over and over.
scanner_start() { # PORT
    (while :; do
        test_psql "$1" -q -c "SELECT count(*), sum(g), avg(g) FROM big" \
            -c "SELECT g, count(*) FROM big WHERE t LIKE '%7' GROUP BY g ORDER BY 2 DESC LIMIT 3" >/dev/null 2>&1 || true
    done) &
    scanner=$!
}
scanner_stop() { kill "$scanner" 2>/dev/null; wait "$scanner" 2>/dev/null || true; }

echo "== 3. point-select latency, $clients clients (prepared), idle and during full scans of $big rows"
for who in strand postgres; do
    port=$STRAND_PORT
    [[ $who == postgres ]] && port=$PG_PORT
    echo "latency $who idle        $(latency "$port")"
    scanner_start "$port"
    sleep 1
    echo "latency $who under scans $(latency "$port")"
    scanner_stop
done
