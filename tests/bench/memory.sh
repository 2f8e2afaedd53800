#!/usr/bin/env bash
# memory: how much memory a table takes, strand and PostgreSQL 15 side by side
# on the same rows (int4 primary key, int4, int4, 84-character text).
# strand: resident set size of the server process (VmRSS) once loaded, minus
# its size with the table empty, per row. PostgreSQL: pg_total_relation_size
# (heap, TOAST, indexes, free space and visibility maps) per row, before and
# after VACUUM (ANALYZE). Then random single-row updates through pgbench on
# both, and how much that memory grew. Targets: <= 130 B/row, <= 10% growth.
# Usage: tests/bench/memory.sh [STRAND_BINARY]   (default build/server/strand)
# Settings: BENCH_ROWS (default 1000000), BENCH_UPDATES (1000000),
# BENCH_CLIENTS (8). PostgreSQL runs with its default settings (autovacuum on).
# Exits 0 whatever the figures; non-zero only if a server or a check failed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$(realpath "${1:-$here/../../build/server/strand}")
# shellcheck source=../lib/bench.sh
source "$here/../lib/bench.sh"

rows=${BENCH_ROWS:-1000000}
updates=${BENCH_UPDATES:-1000000}
clients=${BENCH_CLIENTS:-8}

fail() { echo "memory: $*" >&2; strand_log_tail 20; exit 1; }

# Row i: (i, 2i, i % 1000, "row i " padded with letters to exactly 84 characters),
# 100 rows per INSERT (strand binds long statements in quadratic time).
echo 'CREATE TABLE mem (id int4 PRIMARY KEY, a int4, b int4, filler text);' >"$work/create.sql"
awk -v rows="$rows" 'BEGIN {
    pad = "abcdefghijklmnopqrstuvwxyz"; pad = pad pad pad pad
    for (start = 1; start <= rows; start += 100) {
        printf "INSERT INTO mem VALUES "
        for (i = start; i < start + 100 && i <= rows; i++) {
            f = "row " i " "
            printf "%s(%d, %d, %d, '\''%s%s'\'')", (i > start ? ", " : ""), i, 2 * i, i % 1000, f, substr(pad, 1, 84 - length(f))
        }
        print ";"
    }
}' >"$work/load.sql"
printf '\\set id random(1, %d)\nUPDATE mem SET b = b + 1 WHERE id = :id;\n' "$rows" >"$work/update.sql"

q() { test_psql "$1" -At -v ON_ERROR_STOP=1 -c "$2"; } # q PORT SQL
rss() { # the strand server's VmRSS in bytes, read three times a second apart (the last one)
    local kb
    for _ in 1 2 3; do
        sleep 1
        strand_alive || fail "strand died"
        kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$STRAND_PID/status")
    done
    echo $((kb * 1024))
}
relsize() { q "$PG_PORT" "SELECT pg_total_relation_size('mem')"; }
check_loaded() { # the last row is there, the one after it is not
    [[ $(q "$1" "SELECT id FROM mem WHERE id = $rows") == "$rows" &&
        -z $(q "$1" "SELECT id FROM mem WHERE id = $rows + 1") ]] || fail "load check failed on port $1"
}
run_updates() { # run_updates PORT -> "tps processed"
    "$pgbench" -n -M simple -f "$work/update.sql" -c "$clients" -j 2 -t $((updates / clients)) \
        -h 127.0.0.1 -p "$1" -U postgres postgres >"$work/pgbench.out" 2>&1 ||
        { cat "$work/pgbench.out" >&2; fail "pgbench failed on port $1"; }
    awk '/^tps = / { tps = $3 } /^number of transactions actually processed:/ { split($6, n, "/"); done = n[1] }
        END { printf "%d %d\n", tps, done }' "$work/pgbench.out"
}
check_updated() { # every row still there, and the increments of b add up to the updates done
    q "$1" "SELECT b - id % 1000 FROM mem" | awk -v rows="$rows" -v done="$2" -v port="$1" '
        $1 < 0 { bad++ } { n++; sum += $1 }
        END { if (n != rows || sum != done || bad) {
            printf "update check failed on port %s: %d rows (want %d), %d increments (want %d), %d rows below their initial b\n",
                port, n, rows, sum, done, bad > "/dev/stderr"; exit 1 } }' || fail "update check failed"
}

strand_start "$bin"
pg_start

q "$STRAND_PORT" "$(cat "$work/create.sql")" >/dev/null
s_base=$(rss)
test_psql "$STRAND_PORT" -q -v ON_ERROR_STOP=1 -f "$work/load.sql" >/dev/null || fail "loading strand failed"
s_load=$(rss)
check_loaded "$STRAND_PORT"

test_psql "$PG_PORT" -q -v ON_ERROR_STOP=1 -f "$work/create.sql" -f "$work/load.sql" >/dev/null
p_load=$(relsize)
q "$PG_PORT" "VACUUM (ANALYZE) mem" >/dev/null
p_vac=$(relsize)
check_loaded "$PG_PORT"

out=$(run_updates "$STRAND_PORT") && read -r s_tps s_done <<<"$out"
s_upd=$(rss)
out=$(run_updates "$PG_PORT") && read -r p_tps p_done <<<"$out"
p_upd=$(relsize)
autovac=$(q "$PG_PORT" "SELECT autovacuum_count FROM pg_stat_user_tables WHERE relname = 'mem'")
check_updated "$STRAND_PORT" "$s_done"
check_updated "$PG_PORT" "$p_done"
strand_stop || fail "strand did not stop cleanly"

awk -v rows="$rows" -v clients="$clients" -v sb="$s_base" -v sl="$s_load" -v su="$s_upd" \
    -v pl="$p_load" -v pv="$p_vac" -v pu="$p_upd" -v st="$s_tps" -v pt="$p_tps" \
    -v n=$((updates / clients * clients)) -v av="$autovac" 'BEGIN {
    s = (sl - sb) / rows; p = pl / rows; sg = 100 * (su - sl) / (sl - sb); pg = 100 * (pu - pv) / pv
    printf "memory: %d rows of (int4 pk, int4, int4, text(84))\n", rows
    printf "load      strand %6.1f B/row (RSS %.1f MB over %.1f MB empty)   postgres %6.1f B/row (pg_total_relation_size, after VACUUM %.1f)   ratio %.2f\n",
        s, (sl - sb) / 1048576, sb / 1048576, p, pv / rows, s / p
    printf "updates   %d by %d clients: strand %d tps, RSS %+.1f%%   postgres %d tps, relation %+.1f%% (from after VACUUM; autovacuum ran %d times)\n",
        n, clients, st, sg, pt, pg, av
    printf "target    <= 130 B/row: %s   growth <= 10%%: %s\n", (s <= 130 ? "PASS" : "FAIL"), (sg <= 10 ? "PASS" : "FAIL")
}'
