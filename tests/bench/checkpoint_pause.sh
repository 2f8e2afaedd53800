#!/usr/bin/env bash
# checkpoint_pause: what a CHECKPOINT of a large table does to the latency of
# point selects running beside it, strand and PostgreSQL 15 side by side in
# one run on the same rows; prints, per server, the select latencies
# without a checkpoint (baseline) and during checkpoints, and the ratio.
#
# Table t (id int PRIMARY KEY, a int, b text), BENCH_ROWS rows, b 40 bytes,
# loaded by psql in 1000-row INSERT transactions. The load is pgbench
#     \set id random(1, :rows)   SELECT a FROM t WHERE id = :id;
# -n -M prepared, BENCH_CLIENTS clients, -j up to the cores, with -l: one log
# line per transaction (its latency and when it ended). Each round, for each
# server (the order alternates), two runs, each right after
# `UPDATE t SET a = a + 1` over every row (so that PostgreSQL's CHECKPOINT
# has every page to write; PostgreSQL also runs VACUUM t after it) and after
# the server has gone idle (reclaiming, background writes):
#   baseline:   BENCH_SECONDS of selects, no checkpoint;
#   checkpoint: the same selects; from the first second on, CHECKPOINTs
#     from psql one after the other (an UPDATE of one row before each but the
#     first, so that none has nothing to do) as long as the next one is
#     expected to end a second before the run does. The run lasts
#     BENCH_SECONDS, or longer when the first checkpoint is expected to take
#     longer (the duration of a probe CHECKPOINT taken after the same UPDATE
#     at setup, times 1.5, plus 2 s).
# Figures, from the logs: latency p50 / p99 / p99.9 / max of the baseline's
# transactions after its first second, and of the checkpoint run's
# transactions that overlapped a checkpoint (psql's CHECKPOINT command, start
# to answer); also "stall": the longest time in which no transaction ended.
#
# strand: -c checkpoint_timeout=1h -c max_wal_size=10GB; PostgreSQL 15:
# checkpoint_timeout=1h max_wal_size=10GB autovacuum=off (VACUUM is run by
# hand; autovacuum would otherwise vacuum t in the middle of a run), and its
# defaults otherwise (fsync on, shared_buffers 128MB); data folders under
# ${TMPDIR:-/tmp}.
#
# Usage: tests/bench/checkpoint_pause.sh [STRAND_BINARY]   (default build/server/strand)
# Settings: BENCH_ROWS (default 1000000), BENCH_SECONDS (10), BENCH_CLIENTS
# (4), BENCH_ROUNDS (3), BENCH_THREADS (pgbench -j, default the cores, at
# most the clients).
# Exits 0 whatever the figures; non-zero if a server failed or a check did.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$(realpath "${1:-$here/../../build/server/strand}")
# shellcheck source=../lib/bench.sh
source "$here/../lib/bench.sh"

rows=${BENCH_ROWS:-1000000}
seconds=${BENCH_SECONDS:-10}
clients=${BENCH_CLIENTS:-4}
rounds=${BENCH_ROUNDS:-3}
cores=$(nproc 2>/dev/null || echo 2)
threads=${BENCH_THREADS:-$((clients < cores ? clients : cores))}
pg_settings=(checkpoint_timeout=1h max_wal_size=10GB autovacuum=off)
export STRAND_START_ARGS="-c checkpoint_timeout=1h -c max_wal_size=10GB"

fail() {
    echo "checkpoint_pause: $*" >&2
    strand_log_tail 15
    if [[ -n ${PG_TMP:-} && -f $PG_TMP/postgres.log ]]; then
        echo "---- postgres log (last 15 lines) ----" >&2; tail -n 15 "$PG_TMP/postgres.log" >&2
    fi
    exit 1
}
[[ -x "$bin" ]] || fail "no strand binary at $bin"

# ---- the workload -----------------------------------------------------------
awk -v rows="$rows" 'BEGIN { srand(42)
    print "CREATE TABLE t (id int PRIMARY KEY, a int, b text);"
    for (start = 1; start <= rows; start += 1000) {
        printf "INSERT INTO t VALUES "
        for (i = start; i < start + 1000 && i <= rows; i++)
            printf "%s(%d, %d, '\''%08x%08x%08x%08x-%07d'\'')", (i > start ? ", " : ""), i, i % 1000,
                int(rand() * 4294967296), int(rand() * 4294967296), int(rand() * 4294967296), int(rand() * 4294967296), i
        print ";"
    } }' >"$work/load.sql"
printf '\\set id random(1, %d)\nSELECT a FROM t WHERE id = :id;\n' "$rows" >"$work/select.sql"

# ---- helpers ----------------------------------------------------------------
now_us() { echo $(($(date +%s%N) / 1000)); }
q() { timeout 900 "$PSQL" -X -h 127.0.0.1 -p "$1" -U postgres -d postgres -At -v ON_ERROR_STOP=1 -c "$2"; } # q PORT SQL
name_of() { [[ $1 == "$STRAND_PORT" ]] && echo strand || echo postgres; }

# CPU time (clock ticks) of the server on PORT: strand's process, or the
# postmaster and all its children.
cpu_ticks() {
    local pids p total=0 t
    if [[ $1 == "$STRAND_PORT" ]]; then
        pids=$STRAND_PID
    else
        p=$(head -n 1 "$PG_TMP/data/postmaster.pid")
        pids="$p $(ps -o pid= --ppid "$p" | tr '\n' ' ')"
    fi
    for p in $pids; do
        # fields 14 and 15 (utime, stime), counted after the ")" that ends the name
        t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null) || t=0
        total=$((total + ${t:-0}))
    done
    echo "$total"
}
# Wait until the server used under 2 % of a core for half a second (at most 60 s).
settle() {
    local a b deadline=$((SECONDS + 60))
    a=$(cpu_ticks "$1")
    while ((SECONDS < deadline)); do
        sleep 0.5
        b=$(cpu_ticks "$1")
        (((b - a) * 1000 / $(getconf CLK_TCK) < 10)) && return 0
        a=$b
    done
    echo "  (note: $(name_of "$1") still busy after 60 s of waiting to settle)"
}
# Every row updated (and vacuumed, PostgreSQL), then idle.
dirty_all() {
    local out
    out=$(q "$1" 'UPDATE t SET a = a + 1' 2>&1) || fail "$(name_of "$1"): UPDATE of every row: $out"
    [[ $out == "UPDATE $rows" ]] || [[ $out == "" ]] || fail "$(name_of "$1"): UPDATE of every row said '$out'"
    if [[ $1 == "$PG_PORT" ]]; then out=$(q "$1" 'VACUUM t' 2>&1) || fail "postgres: VACUUM: $out"; fi
    settle "$1"
}
checkpoint_us() { # CHECKPOINT on PORT; prints "start_us end_us"
    local t0 out
    t0=$(now_us)
    out=$(q "$1" CHECKPOINT 2>&1) || fail "$(name_of "$1"): CHECKPOINT: $out"
    echo "$t0 $(now_us)"
}

# pgbench PORT DURATION LOGPREFIX (in the background: sets BENCH_PID)
start_pgbench() {
    "$pgbench" -n -M prepared -f "$work/select.sql" -c "$clients" -j "$threads" -T "$2" -l --log-prefix="$3" \
        -h 127.0.0.1 -p "$1" -U postgres postgres >"$3.out" 2>&1 &
    BENCH_PID=$!
}
finish_pgbench() { # LOGPREFIX WHO: waits, checks pgbench's result
    local rc=0 failed
    wait "$BENCH_PID" || rc=$?
    ((rc == 0)) || fail "$2: pgbench exited with status $rc: $(grep -m 3 -i 'error\|abort' "$1.out" | tr '\n' ' ')"
    failed=$(awk -F': ' '/^number of failed transactions:/ { split($2, n, " "); print n[1] }' "$1.out")
    [[ ${failed:-0} == 0 ]] || fail "$2: pgbench reports $failed failed transactions"
}

# stats LOGPREFIX FROM_US TO_US INTERVALS_FILE -> "n p50 p99 p999 max stall after before" (ms;
# after / before: how long after the start of the CHECKPOINT it overlapped
# the stall began, and how long before that CHECKPOINT returned it ended; "-"
# without intervals)
# Transactions ending after FROM_US and starting before TO_US; with an
# intervals file ("start_us end_us" lines), only those that overlapped one
# of them, and stall = the longest gap between two transaction ends
# that overlaps an interval.
stats() {
    local prefix=$1 from=$2 to=$3 iv=${4:-/dev/null}
    cat "$prefix".[0-9]* | awk -v from="$from" -v to="$to" -v ivfile="$iv" '
        BEGIN { while ((getline line < ivfile) > 0) { split(line, f, " "); n++; s[n] = f[1]; e[n] = f[2] } }
        $3 ~ /^[0-9]+$/ {
            end = $5 * 1000000 + $6; start = end - $3
            if (end < from || start > to) next
            if (n) { hit = 0; for (i = 1; i <= n && !hit; i++) if (start < e[i] && end > s[i]) hit = 1; if (!hit) next }
            printf "%d %.0f\n", $3, end
        }' >"$work/sel"
    # stall: all ends in [from, to], sorted; the longest gap (overlapping an interval, if any)
    cat "$prefix".[0-9]* | awk -v from="$from" -v to="$to" '$3 ~ /^[0-9]+$/ { end = $5 * 1000000 + $6; if (end >= from && end <= to) printf "%.0f\n", end }' |
        sort -n | awk -v ivfile="$iv" '
        BEGIN { while ((getline line < ivfile) > 0) { split(line, f, " "); n++; s[n] = f[1]; e[n] = f[2] } }
        NR > 1 { g = $1 - prev
            if (g > best) { ok = !n; for (i = 1; i <= n && !ok; i++) if (prev < e[i] && $1 > s[i]) ok = i; if (ok) { best = g; at = ok; b0 = prev; b1 = $1 } } }
        { prev = $1 }
        END {
            if (n && at) printf "%.3f %.3f %.3f\n", best / 1000, (b0 - s[at]) / 1000, (e[at] - b1) / 1000
            else printf "%.3f - -\n", best / 1000
        }' >"$work/stall"
    cut -d' ' -f1 "$work/sel" | sort -n | awk -v stall="$(cat "$work/stall")" '
        { v[NR] = $1 }
        function pct(p,   k) { k = int(NR * p + 0.999999); if (k < 1) k = 1; if (k > NR) k = NR; return v[k] / 1000 }
        END {
            if (NR == 0) { print "0 0 0 0 0", stall; exit }
            printf "%d %.3f %.3f %.3f %.3f %s\n", NR, pct(0.5), pct(0.99), pct(0.999), v[NR] / 1000, stall
        }'
}

declare -A probe=()
: >"$work/results"
# run_pair PORT ROUND: baseline then checkpoint run; appends to results
# "name round kind n p50 p99 p999 max stall after before [first_s checkpoints]" and prints them.
run_pair() {
    local port=$1 round=$2 name prefix t0 dur iv stop first_s k b c cs ce last bf cf
    name=$(name_of "$port")
    # baseline
    dirty_all "$port"
    prefix=$work/base.$name.$round
    t0=$(now_us)
    start_pgbench "$port" "$seconds" "$prefix"
    finish_pgbench "$prefix" "$name baseline"
    b=$(stats "$prefix" $((t0 + 1000000)) $((t0 + 1000000 * (seconds + 5))))
    echo "$name $round baseline $b" >>"$work/results"
    read -r -a bf <<<"$b"
    printf '  %-8s baseline    %8d selects  p50 %7.3f  p99 %7.3f  p99.9 %7.3f  max %8.3f  stall %8.3f ms\n' "$name" "${bf[@]:0:6}"
    # during checkpoints
    dirty_all "$port"
    dur=$(awk -v p="${probe[$name]}" -v s="$seconds" 'BEGIN { d = int(p * 1.5 + 2.999); print (d > s ? d : s) }')
    prefix=$work/ckpt.$name.$round
    iv=$prefix.intervals
    : >"$iv"
    t0=$(now_us)
    start_pgbench "$port" "$dur" "$prefix"
    sleep 1
    stop=$((t0 + dur * 1000000 - 1000000)) # the last checkpoint should end a second before the run
    k=0 last=0
    while :; do
        if ((k > 0)); then q "$port" "UPDATE t SET a = a + 1 WHERE id = $((k % rows + 1))" >/dev/null || fail "$name: UPDATE of one row"; fi
        c=$(checkpoint_us "$port")
        echo "$c" >>"$iv"
        k=$((k + 1))
        read -r cs ce <<<"$c"
        last=$((ce - cs))
        ((k == 1)) && first_s=$(awk -v us="$last" 'BEGIN { printf "%.3f", us / 1e6 }')
        (($(now_us) + last + 200000 < stop)) || break # (200 ms for the UPDATE and psql)
    done
    finish_pgbench "$prefix" "$name checkpoint run"
    read -r _ ce < <(tail -n 1 "$iv")
    c=$(stats "$prefix" $((t0 + 1000000)) $((t0 + 1000000 * (dur + 5))) "$iv")
    echo "$name $round checkpoint $c $first_s $k" >>"$work/results"
    read -r -a cf <<<"$c"
    printf '  %-8s checkpoint  %8d selects  p50 %7.3f  p99 %7.3f  p99.9 %7.3f  max %8.3f  stall %8.3f ms\n' "$name" "${cf[@]:0:6}"
    printf '  %-8s             (the longest stall began %s ms after a CHECKPOINT started and ended %s ms before it returned)\n' \
        "" "${cf[6]}" "${cf[7]}"
    printf '  %-8s             (%d CHECKPOINTs over %.1f s of a %d s run, the first %s s%s)\n' "" "$k" \
        "$(awk -v a="$(head -n 1 "$iv" | cut -d' ' -f1)" -v b="$ce" 'BEGIN { print (b - a) / 1e6 }')" "$dur" "$first_s" \
        "$(if ((ce + 1000000 > t0 + dur * 1000000)); then echo ", the last ended less than 1 s before the selects did"; fi)"
}

# ---- run --------------------------------------------------------------------
strand_start "$bin" || fail "strand did not start"
pg_start "${pg_settings[@]}" || fail "PostgreSQL did not start"
for port in "$STRAND_PORT" "$PG_PORT"; do
    name=$(name_of "$port")
    t0=$(now_us)
    out=$(timeout 1800 "$PSQL" -X -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 -f "$work/load.sql" 2>&1) ||
        fail "loading $name failed: $out"
    n=$(q "$port" 'SELECT id FROM t' | wc -l)
    ((n == rows)) || fail "$name has $n rows after the load, want $rows"
    load_s=$(awk -v us=$(($(now_us) - t0)) 'BEGIN { printf "%.1f", us / 1e6 }')
    [[ $name == postgres ]] && q "$port" 'VACUUM (ANALYZE) t' >/dev/null
    q "$port" CHECKPOINT >/dev/null || fail "$name: CHECKPOINT after the load"
    # The probe: how long a checkpoint after an UPDATE of every row takes (sets the run length).
    dirty_all "$port"
    read -r cs ce < <(checkpoint_us "$port")
    probe[$name]=$(awk -v us=$((ce - cs)) 'BEGIN { printf "%.3f", us / 1e6 }')
    echo "$name: loaded $rows rows in $load_s s; probe CHECKPOINT after an UPDATE of every row (nothing else running): ${probe[$name]} s"
done
if [[ -f $PG_TMP/postgres.log ]]; then
    echo "postgres: that probe checkpoint: $(grep 'checkpoint complete' "$PG_TMP/postgres.log" | tail -n 1 | sed 's/.*checkpoint complete: //')"
fi

echo "checkpoint_pause: $rows rows, $clients clients, pgbench -M prepared -j $threads, runs of ${seconds} s or more, $rounds round(s)" \
    "(servers alternate first), $cores cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "PostgreSQL: $("$PG_BIN/postgres" --version), ${pg_settings[*]}; strand: $STRAND_START_ARGS; latencies in ms"
pg_from=$(wc -l <"$PG_TMP/postgres.log")
for round in $(seq 1 "$rounds"); do
    echo "round $round/$rounds"
    if ((round % 2)); then order="$STRAND_PORT $PG_PORT"; else order="$PG_PORT $STRAND_PORT"; fi
    for port in $order; do
        run_pair "$port" "$round"
        if [[ $(name_of "$port") == strand ]] && ! strand_alive; then fail "strand died"; fi
    done
done
strand_stop || fail "strand did not stop cleanly"

echo
echo "postgres checkpoints during the runs (log_checkpoints), the first of each run with its buffers:"
tail -n +"$((pg_from + 1))" "$PG_TMP/postgres.log" | grep 'checkpoint complete' | awk '$0 ~ /wrote [0-9][0-9][0-9]+ buffers/' |
    sed 's/.*checkpoint complete: /  /' | head -n "$rounds" || true

# ---- the table --------------------------------------------------------------
echo
echo "median over $rounds round(s); baseline = no checkpoint, ckpt = selects that overlapped a CHECKPOINT; ms"
printf '%-9s %9s %9s %9s %9s %9s %9s %10s %10s %9s %9s\n' server base_p50 ckpt_p50 base_p99 ckpt_p99 base_p99.9 ckpt_p99.9 base_max ckpt_max ckpt_stall p99_ratio
for name in strand postgres; do
    awk -v name="$name" '
        function median(v, n,   i, j, t) {
            for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
            return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        function med(kind, col,   i, w, m) { m = 0; for (i = 1; i <= cnt[kind]; i++) w[i] = val[kind, i, col]; return median(w, cnt[kind]) }
        $1 == name { k = $3; cnt[k]++; for (c = 4; c <= NF; c++) val[k, cnt[k], c] = $c }
        END {
            if (!cnt["baseline"] || !cnt["checkpoint"]) { printf "%-9s no data\n", name; exit }
            bp99 = med("baseline", 6); cp99 = med("checkpoint", 6)
            printf "%-9s %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %10.3f %10.3f %9.3f %9.2f\n", name,
                med("baseline", 5), med("checkpoint", 5), bp99, cp99, med("baseline", 7), med("checkpoint", 7),
                med("baseline", 8), med("checkpoint", 8), med("checkpoint", 9), (bp99 > 0 ? cp99 / bp99 : 0)
            printf "%-9s   (the first CHECKPOINT of each run took %s s, median; %s CHECKPOINTs per run, median; baseline stall %.3f ms)\n",
                "", med("checkpoint", 12), med("checkpoint", 13), med("baseline", 9)
        }' "$work/results"
done
echo "(p99_ratio = during-checkpoint p99 / baseline p99; stall = the longest time in which no select ended)"
