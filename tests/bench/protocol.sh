#!/usr/bin/env bash
# protocol: round trips per second of a trivial query (SELECT 1) through
# pgbench, over the simple and the extended protocol, plain and over TLS,
# for strand, PostgreSQL 15 and a do-nothing server (tests/bench/
# null_server.c: strand's pgwire answering "1" to everything, the machine's
# ceiling for a round trip); prints each one's throughput, strand /
# PostgreSQL, and strand's share of the ceiling. The three servers take
# turns, BENCH_ROUNDS rounds (default 3), and the median round is kept.
# Usage: tests/bench/protocol.sh [BUILD_DIR]   (default build; needs
#   BUILD_DIR/server/strand and BUILD_DIR/tests/null_server)
# Settings: BENCH_SECONDS (5), BENCH_CLIENTS (8), BENCH_ROUNDS (3).
# All three use the same self-signed certificate (strand's).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(realpath "${1:-$here/../../build}")
# shellcheck source=../lib/bench.sh
source "$here/../lib/bench.sh"

seconds=${BENCH_SECONDS:-5}
clients=${BENCH_CLIENTS:-8}
rounds=${BENCH_ROUNDS:-3}

strand_start "$build/server/strand"
cert=$STRAND_TMP/data/server.crt key=$STRAND_TMP/data/server.key

# PostgreSQL reads the key only if it owns it and nobody else may read it.
pg_tls=$(mktemp -d "${TMPDIR:-/tmp}/strand-bench-tls.XXXXXX")
chmod 755 "$pg_tls"
cp "$cert" "$key" "$pg_tls/"
chmod 600 "$pg_tls/server.key"
((EUID == 0)) && chown postgres: "$pg_tls/server.key" "$pg_tls/server.crt"
pg_start ssl=on "ssl_cert_file=$pg_tls/server.crt" "ssl_key_file=$pg_tls/server.key"

null_port=$(test_pick_port)
"$build/tests/null_server" "$null_port" "$cert" "$key" 2>"$work/null.log" &
null_pid=$!
trap 'kill $null_pid 2>/dev/null; strand_stop >/dev/null 2>&1 || true; strand_cleanup; pg_cleanup; rm -rf "$work" "$pg_tls"' EXIT
for _ in $(seq 1 50); do test_port_busy "$null_port" && break; sleep 0.1; done

echo 'SELECT 1;' >"$work/select1.sql"

tps() { # PORT MODE SSLMODE
    PGSSLMODE=$3 "$pgbench" -n -M "$2" -f "$work/select1.sql" -c "$clients" -j 2 -T "$seconds" \
        -h 127.0.0.1 -p "$1" -U postgres postgres 2>&1 | awk '/^tps = / { printf "%d", $3 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "protocol: SELECT 1, $clients clients, ${seconds}s per run, $rounds rounds (median), pgbench on the same machine"
for tls in disable require; do
    for mode in simple extended; do
        : >"$work/s" >"$work/p" >"$work/n"
        for ((r = 1; r <= rounds; r++)); do
            tps "$STRAND_PORT" "$mode" "$tls" >>"$work/s"; echo >>"$work/s"
            tps "$PG_PORT" "$mode" "$tls" >>"$work/p"; echo >>"$work/p"
            tps "$null_port" "$mode" "$tls" >>"$work/n"; echo >>"$work/n"
        done
        s=$(median <"$work/s") p=$(median <"$work/p") n=$(median <"$work/n")
        awk -v m="$mode" -v t="$([[ $tls == require ]] && echo tls || echo plain)" -v s="$s" -v p="$p" -v n="$n" \
            'BEGIN { printf "protocol %-8s %-5s strand %7d   postgres %7d   ceiling %7d   strand/postgres %.2f   share of ceiling %3.0f%%\n", m, t, s, p, n, (p ? s / p : 0), (n ? 100 * s / n : 0) }'
    done
done
