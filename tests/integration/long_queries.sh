#!/usr/bin/env bash
# Usage: tests/integration/long_queries.sh STRAND-BINARY
# A long SELECT runs in steps (session.c Q1): other sessions' queries are
# answered while it runs, it still returns every row and the right answer,
# statement_timeout and a cancel stop it between steps, an error after
# rows went out ends it cleanly, and what follows it in the same Query
# runs after it.
set -uo pipefail
bin=$1
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/../lib/server.sh"
source "$here/../lib/tap.sh"
test_clean_client_env

rows=${LONG_QUERY_ROWS:-50000000}
trap strand_cleanup EXIT
strand_start "$bin" || { strand_log_tail; exit 1; }
psql_q() { test_psql "$STRAND_PORT" -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_q -c "CREATE TABLE kv (id int PRIMARY KEY, v text)" -c "INSERT INTO kv VALUES (1, 'one'), (2, 'two')"

# 20 point queries from other sessions while process $1 runs a long query:
# "answered running" (20 yes: all answered, and it still ran after them).
point_queries_during() {
    local answered=0 running=no v
    sleep 0.3
    for i in $(seq 1 20); do
        v=$(psql_q -At -c "SELECT v FROM kv WHERE id = $((i % 2 + 1))")
        [[ $v == one || $v == two ]] && answered=$((answered + 1))
    done
    kill -0 "$1" 2>/dev/null && running=yes
    echo "$answered $running"
}

# Session A counts n rows; session B's point queries are answered meanwhile.
psql_q -At -c "SELECT count(*), sum(x) FROM generate_series(1, $rows) AS x" >"$STRAND_TMP/a.out" 2>&1 &
a=$!
check "20 point queries answered while the long query still ran" "20 yes" "$(point_queries_during "$a")"
wait "$a"
check "the long query's answer" "$rows|$((rows * (rows + 1) / 2))" "$(cat "$STRAND_TMP/a.out")"

# The same through the extended protocol (Parse, Bind, Execute): pgbench's.
pgbench=/usr/lib/postgresql/15/bin/pgbench
[[ -x $pgbench ]] || pgbench=pgbench
echo "SELECT count(*) FROM generate_series(1, $rows) AS x;" >"$STRAND_TMP/long.sql"
"$pgbench" -n -M extended -t 1 -f "$STRAND_TMP/long.sql" -h 127.0.0.1 -p "$STRAND_PORT" -U postgres postgres \
    >"$STRAND_TMP/b.out" 2>&1 &
a=$!
check "point queries answered while an extended-protocol long query ran" "20 yes" "$(point_queries_during "$a")"
wait "$a"
check "the extended-protocol long query completed" "0 1" "$? $(grep -c 'number of transactions actually processed: 1/1' "$STRAND_TMP/b.out")"

# Rows stream out of a long query in order, all of them.
check "every row of a long ordered scan" "200000 20000100000 1 200000" \
    "$(psql_q -At -c "SELECT x FROM generate_series(1, 200000) AS x" |
        awk '{ n++; s += $1; if (n == 1) f = $1; l = $1 } END { printf "%d %.0f %d %d\n", n, s, f, l }')"

# statement_timeout and a cancel stop it at a step.
check "statement_timeout ends a long query" "ERROR:  canceling statement due to statement timeout" \
    "$(psql_q -c "SET statement_timeout = '200ms'" -c "SELECT count(*) FROM generate_series(1, 2000000000)" 2>&1)"
timeout -s INT 0.5 psql -X -h 127.0.0.1 -p "$STRAND_PORT" -U postgres -c \
    "SELECT count(*) FROM generate_series(1, 2000000000)" >"$STRAND_TMP/c.out" 2>&1
check "a cancel ends a long query" "ERROR:  canceling statement due to user request" "$(tail -1 "$STRAND_TMP/c.out")"

# An error after rows went out: the error ends the statement, the session goes on.
out=$(psql_q -At -c "SELECT 1 / (x - 150000) FROM generate_series(1, 300000) AS x" 2>&1 | tail -1)
check "an error after rows were sent" "ERROR:  division by zero" "$out"
check "the session goes on after it" "two" "$(psql_q -At -c "SELECT v FROM kv WHERE id = 2")"

# What follows a long query in the same Query runs after it, in one transaction.
check "statements after a long one in the same Query" "5000000
two" "$(psql_q -At -c "SELECT count(*) FROM generate_series(1, 5000000); SELECT v FROM kv WHERE id = 2")"
check "a long query inside a transaction block" "3000000" \
    "$(psql_q -At -c "BEGIN" -c "SELECT count(*) FROM generate_series(1, 3000000)" -c "COMMIT" | sed -n 1p)"
check "the server is alive" "1" "$(psql_q -At -c "SELECT 1")"
tap_summary
