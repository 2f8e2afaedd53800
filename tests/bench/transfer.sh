#!/usr/bin/env bash
# transfer: a bank-transfer reducer (read two balances, check funds, two
# updates) over 100,000 accounts, each call its own transaction, from 64
# connections: strand's C procedure against the same logic as a PL/pgSQL
# procedure on PostgreSQL 15, in one run on this machine, both with
# synchronous_commit on (issue "Reducers in C", acceptance 3).
#
# Two ways of calling (tests/bench/transfer_client.c, libpq):
#   plain      one CALL at a time per connection (request, reply, next);
#   pipelined  40 CALLs in flight per connection (pipeline mode, a Sync
#              after every CALL).
# Prints calls per second (median of the rounds; the servers alternate
# which goes first) and the ratio strand / PostgreSQL. Targets: 300,000
# transfers per second pipelined, and 10x PostgreSQL.
#
# After each run: no call failed, and the balances still add up to what
# they did (money moves, none is made or lost).
#
# Usage: tests/bench/transfer.sh [STRAND_BINARY [CLIENT_BINARY]]
#   (defaults build/server/strand, build/tests/transfer_client)
# Settings: BENCH_SECONDS (default 10) per run, BENCH_ROUNDS (3),
# BENCH_CONNECTIONS (64), BENCH_DEPTHS ("1 40"), BENCH_ACCOUNTS (100000).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$(realpath "${1:-$here/../../build/server/strand}")
# shellcheck source=../lib/bench.sh
source "$here/../lib/bench.sh"
client=$(realpath "${2:-$here/../../build/tests/transfer_client}")

seconds=${BENCH_SECONDS:-10}
rounds=${BENCH_ROUNDS:-3}
conns=${BENCH_CONNECTIONS:-64}
depths=${BENCH_DEPTHS:-1 40}
accounts=${BENCH_ACCOUNTS:-100000}
balance=1000000

fail() { echo "transfer: $*" >&2; strand_log_tail 20; exit 1; }
[[ -x "$bin" ]] || fail "no strand binary at $bin"
[[ -x "$client" ]] || fail "no client at $client (cmake --build build --target transfer_client)"

q() { timeout 300 "$PSQL" -X -h 127.0.0.1 -p "$1" -U postgres -d postgres -At -v ON_ERROR_STOP=1 -c "$2"; }
name_of() { [[ $1 == "$STRAND_PORT" ]] && echo strand || echo postgres; }
total() { q "$1" 'SELECT bal FROM acct' | awk '{ n++; s += $1 } END { printf "%d %.0f\n", n, s }'; }

awk -v n="$accounts" -v bal="$balance" 'BEGIN {
    print "CREATE TABLE acct (id int PRIMARY KEY, bal int8 NOT NULL);"
    for (s = 1; s <= n; s += 1000) {
        line = "INSERT INTO acct VALUES "
        for (i = s; i < s + 1000 && i <= n; i++) line = line (i > s ? ", " : "") "(" i ", " bal ")"
        print line ";"
    }
}' >"$work/load.sql"

# The same logic twice. Updates go in account order so that PostgreSQL's
# concurrent transfers cannot deadlock (strand runs each call alone).
cat >"$work/strand.sql" <<'EOF'
CREATE PROCEDURE transfer(a int, b int, amount int8) LANGUAGE c AS $$
void transfer(strand_ctx *ctx, int32_t a, int32_t b, int64_t amount) {
    strand_result *ra = strand_exec(ctx, "SELECT bal FROM acct WHERE id = $1", STRAND_INT4(a));
    strand_result *rb = strand_exec(ctx, "SELECT bal FROM acct WHERE id = $1", STRAND_INT4(b));
    if (strand_nrows(ra) != 1 || strand_nrows(rb) != 1) strand_error(ctx, "P0002", "no such account");
    if (strand_int8(strand_get(ra, 0, 0)) < amount) strand_error(ctx, "P0001", "insufficient funds");
    strand_exec(ctx, "UPDATE acct SET bal = bal - $2 WHERE id = $1", STRAND_INT4(a), STRAND_INT8(amount));
    strand_exec(ctx, "UPDATE acct SET bal = bal + $2 WHERE id = $1", STRAND_INT4(b), STRAND_INT8(amount));
}
$$;
EOF
cat >"$work/postgres.sql" <<'EOF'
CREATE PROCEDURE transfer(a int, b int, amount int8) LANGUAGE plpgsql AS $$
DECLARE
    bal_a int8;
    bal_b int8;
BEGIN
    SELECT bal INTO bal_a FROM acct WHERE id = a;
    SELECT bal INTO bal_b FROM acct WHERE id = b;
    IF bal_a IS NULL OR bal_b IS NULL THEN
        RAISE EXCEPTION 'no such account' USING ERRCODE = 'P0002';
    END IF;
    IF bal_a < amount THEN
        RAISE EXCEPTION 'insufficient funds';
    END IF;
    IF a < b THEN
        UPDATE acct SET bal = bal - amount WHERE id = a;
        UPDATE acct SET bal = bal + amount WHERE id = b;
    ELSE
        UPDATE acct SET bal = bal + amount WHERE id = b;
        UPDATE acct SET bal = bal - amount WHERE id = a;
    END IF;
END $$;
EOF

strand_start "$bin" || fail "strand did not start"
pg_start fsync=on synchronous_commit=on max_connections=$((conns + 10)) || fail "PostgreSQL did not start"
for port in "$STRAND_PORT" "$PG_PORT"; do
    name=$(name_of "$port")
    "$PSQL" -X -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 -f "$work/load.sql" >/dev/null ||
        fail "loading $name failed"
    "$PSQL" -X -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 -f "$work/$name.sql" >/dev/null ||
        fail "creating $name's procedure failed"
    [[ "$(total "$port")" == "$accounts $((accounts * balance))" ]] || fail "$name's accounts are not as loaded"
done
q "$PG_PORT" 'VACUUM (ANALYZE) acct' >/dev/null

echo "transfer: $accounts accounts, $conns connections, ${seconds}s per run, $rounds round(s), synchronous_commit on," \
    "$(nproc) cores shared by both servers and the client"
failures=0
run() { # run PORT DEPTH ROUND
    local port=$1 depth=$2 name out rate
    name=$(name_of "$port")
    q "$port" CHECKPOINT >/dev/null 2>&1 || true
    out=$("$client" "host=127.0.0.1 port=$port user=postgres dbname=postgres" "$conns" "$depth" "$seconds" \
        "$accounts" 2>&1) || {
        echo "  !! $name depth $depth: $out"
        failures=$((failures + 1))
    }
    rate=$(awk '/^calls/ { print $8 }' <<<"$out")
    grep -q ' errors 0 ' <<<"$out" || {
        echo "  !! $name depth $depth: calls failed: $out"
        failures=$((failures + 1))
    }
    [[ "$(total "$port")" == "$accounts $((accounts * balance))" ]] || {
        echo "  !! $name depth $depth: the balances no longer add up"
        failures=$((failures + 1))
    }
    printf '  %-8s depth %2d  round %d  %9d calls/s\n' "$name" "$depth" "$3" "${rate:-0}"
    echo "$name $depth ${rate:-0}" >>"$work/results"
}
for round in $(seq 1 "$rounds"); do
    for depth in $depths; do
        if ((round % 2)); then order="$STRAND_PORT $PG_PORT"; else order="$PG_PORT $STRAND_PORT"; fi
        for port in $order; do run "$port" "$depth" "$round"; done
    done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }'; }
echo
echo "| calling | strand calls/s | PostgreSQL calls/s | ratio |"
echo "|---|---:|---:|---:|"
for depth in $depths; do
    s=$(awk -v d="$depth" '$1 == "strand" && $2 == d { print $3 }' "$work/results" | median)
    p=$(awk -v d="$depth" '$1 == "postgres" && $2 == d { print $3 }' "$work/results" | median)
    label=$([[ $depth == 1 ]] && echo "plain" || echo "pipelined ($depth in flight)")
    awk -v l="$label" -v s="$s" -v p="$p" 'BEGIN { printf "| %s | %d | %d | %.2f |\n", l, s, p, p ? s / p : 0 }'
done
strand_stop || fail "strand did not stop cleanly"
((failures == 0)) || exit 1
