#!/usr/bin/env bash
# commit: small write transactions through pgbench, strand and PostgreSQL 15
# side by side on the same machine, same data, same client settings; prints
# each one's commits per second (median of the rounds) and the ratio
# strand / PostgreSQL, for each number of clients and synchronous_commit on
# and off. Headline: 8 clients, synchronous_commit on, prepared (target >= 2.5x).
#
# Each transaction (pgbench -n, -M prepared; simple as well if asked):
#     \set aid random(1, :rows)   \set delta random(-5000, 5000)   \set hid random(1, 9e18)
#     BEGIN; UPDATE acct SET bal = bal + :delta WHERE id = :aid;
#            INSERT INTO hist VALUES (:hid, :aid, :delta); END;
# on acct (id int PRIMARY KEY, bal int NOT NULL), BENCH_ROWS rows, and
# hist (id int8 PRIMARY KEY, aid int, delta int), dropped and created again
# before every run. hist ids are random in 1 .. 9e18 (no sequences in strand
# yet): a collision within one run of n transactions has probability about
# n^2 / 1.8e19 (1e-8 for a million); it would abort a client and be reported.
# synchronous_commit is set per connection through PGOPTIONS
# ('-c synchronous_commit=off'), and checked with SHOW on each server first.
#
# After every run: pgbench's exit status, aborted clients and failed
# transactions; hist holds as many rows as pgbench counted commits (up to one
# more per client whose commit the timer cut off), and the acct balances
# moved by exactly the sum of hist's deltas. A run that fails any of these
# is reported (and flagged in the table, '!'); the exit status is then 1.
#
# Usage: tests/bench/commit.sh [STRAND_BINARY]   (default build/server/strand)
# Settings: BENCH_SECONDS (default 10) per run, BENCH_ROUNDS (3; servers
# alternate which one goes first each round), BENCH_CLIENTS ("1 8 32"),
# BENCH_SYNC ("on off"), BENCH_PROTOCOLS ("prepared"; "prepared simple" adds
# the simple protocol), BENCH_ROWS (100000), BENCH_THREADS (pgbench -j,
# default the number of cores, at most the clients).
# PostgreSQL runs with its default settings, fsync=on and synchronous_commit=on
# spelt out, its data folder under ${TMPDIR:-/tmp} like strand's; CHECKPOINT
# runs before each of its runs so none of them meets a timed checkpoint.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$(realpath "${1:-$here/../../build/server/strand}")
# shellcheck source=../lib/bench.sh
source "$here/../lib/bench.sh"

seconds=${BENCH_SECONDS:-10}
rounds=${BENCH_ROUNDS:-3}
clients_list=${BENCH_CLIENTS:-1 8 32}
sync_list=${BENCH_SYNC:-on off}
protocols=${BENCH_PROTOCOLS:-prepared}
rows=${BENCH_ROWS:-100000}
cores=$(nproc 2>/dev/null || echo 2)

fail() { echo "commit: $*" >&2; strand_log_tail 20; exit 1; }
[[ -x "$bin" ]] || fail "no strand binary at $bin"

# ---- the workload -----------------------------------------------------------
hist_ddl='CREATE TABLE hist (id int8 PRIMARY KEY, aid int NOT NULL, delta int NOT NULL);'
awk -v rows="$rows" -v hist="$hist_ddl" 'BEGIN {
    print "CREATE TABLE acct (id int PRIMARY KEY, bal int NOT NULL);"
    print hist
    for (start = 1; start <= rows; start += 100) {   # 100 rows per INSERT, as memory.sh
        line = "INSERT INTO acct VALUES "
        for (i = start; i < start + 100 && i <= rows; i++)
            line = line (i > start ? ", " : "") "(" i ", 0)"
        print line ";"
    }
}' >"$work/load.sql"
cat >"$work/commit.sql" <<EOF
\\set aid random(1, $rows)
\\set delta random(-5000, 5000)
\\set hid random(1, 9000000000000000000)
BEGIN;
UPDATE acct SET bal = bal + :delta WHERE id = :aid;
INSERT INTO hist VALUES (:hid, :aid, :delta);
END;
EOF

# ---- the disk under both data folders ---------------------------------------
# 8 kB overwritten in a preallocated file, then fdatasync (what PostgreSQL's
# WAL flush does with wal_sync_method=fdatasync, Linux's default).
fsync_probe() {
    local f=$work/fsync.probe
    if command -v python3 >/dev/null 2>&1 && python3 - "$f" 2>/dev/null <<'EOF'; then return 0; fi
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o600)
block = b"\0" * 8192
os.write(fd, block * 64)
os.fsync(fd)
lat, start = [], time.perf_counter()
while len(lat) < 500 and (len(lat) < 20 or time.perf_counter() - start < 3):
    os.pwrite(fd, block, (len(lat) % 64) * 8192)
    t = time.perf_counter()
    os.fdatasync(fd)
    lat.append(time.perf_counter() - t)
os.close(fd)
lat.sort()
n = len(lat)
print("fdatasync of an 8 kB overwrite: median %.3f ms, p90 %.3f ms, max %.3f ms over %d calls (%.0f/s at the median)"
      % (lat[n // 2] * 1e3, lat[n * 9 // 10] * 1e3, lat[-1] * 1e3, n, 1 / lat[n // 2] if lat[n // 2] else 0))
EOF
    # No python3: dd with O_DSYNC over a file already written (no allocation).
    dd if=/dev/zero of="$f" bs=8k count=200 conv=fsync status=none
    local t0 t1
    t0=$(date +%s%N)
    dd if=/dev/zero of="$f" bs=8k count=200 oflag=dsync conv=notrunc status=none
    t1=$(date +%s%N)
    awk -v ns=$((t1 - t0)) 'BEGIN { printf "8 kB O_DSYNC write (dd): mean %.3f ms over 200 writes (%.0f/s)\n", ns / 200 / 1e6, 200e9 / ns }'
}

# ---- helpers ----------------------------------------------------------------
name_of() { [[ $1 == "$STRAND_PORT" ]] && echo strand || echo postgres; }
q() { timeout 300 "$PSQL" -X -h 127.0.0.1 -p "$1" -U postgres -d postgres -At -v ON_ERROR_STOP=1 -c "$2"; } # q PORT SQL
options_for() { [[ $1 == on ]] && echo '' || echo "-c synchronous_commit=$1"; }

# sum_of PORT SQL -> "rows sum" of the single integer column SQL returns
# (strand has no count() or sum() yet).
sum_of() {
    local out
    out=$(q "$1" "$2") || return 1
    awk 'NF { n++; s += $1 } END { printf "%d %d\n", n, s }' <<<"$out"
}

# What SHOW synchronous_commit says on PORT with the options for SYNC.
declare -A applied=()
check_setting() { # check_setting PORT SYNC -> sets applied[name,sync] to "ok" or why not
    local port=$1 sync=$2 out key
    key="$(name_of "$port"),$sync"
    if out=$(PGOPTIONS=$(options_for "$sync") q "$port" 'SHOW synchronous_commit' 2>&1); then
        if [[ $out == "$sync" ]]; then applied[$key]=ok; else applied[$key]="SHOW synchronous_commit says '$out'"; fi
    else
        applied[$key]=$(head -n 1 <<<"$out")
    fi
}

declare -A bal_sum=()  # the acct balance total each server should have now
failures=0
# run_one PORT CLIENTS SYNC PROTOCOL ROUND: one pgbench run and its checks;
# appends "name clients sync protocol round status tps processed" to results.
run_one() {
    local port=$1 c=$2 sync=$3 mode=$4 round=$5 name out rc status=ok tps=0 done=0 aborted failed
    local j=$((c < cores ? c : cores)) log
    name=$(name_of "$port")
    log=$work/run.$name.$c.$sync.$mode.$round.out
    note() { status=FAIL; failures=$((failures + 1)); echo "  !! $name, $c clients, synchronous_commit $sync, $mode, round $round: $*"; }
    if [[ $name == strand ]] && ! strand_alive; then
        note "strand is not running (it died earlier; see the log at the end)"
        echo "$name $c $sync $mode $round $status 0 0" >>"$work/results"
        return 0
    fi
    if ! out=$(q "$port" "DROP TABLE hist; $hist_ddl" 2>&1); then
        note "could not recreate hist: $out"
        echo "$name $c $sync $mode $round $status 0 0" >>"$work/results"
        return 0
    fi
    q "$port" CHECKPOINT >/dev/null 2>&1 || true
    rc=0
    PGOPTIONS=$(options_for "$sync") timeout $((seconds + 120)) "$pgbench" -n -M "$mode" -f "$work/commit.sql" \
        -c "$c" -j "$j" -T "$seconds" -h 127.0.0.1 -p "$port" -U postgres postgres >"$log" 2>&1 || rc=$?
    tps=$(awk '/^tps = / { printf "%d", $3 }' "$log")
    done=$(awk -F': ' '/^number of transactions actually processed:/ { split($2, n, "/"); print n[1] }' "$log")
    failed=$(awk -F': ' '/^number of failed transactions:/ { split($2, n, " "); print n[1] }' "$log")
    aborted=$(grep -c 'aborted in command' "$log" || true)
    tps=${tps:-0} done=${done:-0}
    if ((rc == 124)); then
        note "pgbench did not finish within $((seconds + 120)) s (killed)"
    elif ((rc != 0)); then
        note "pgbench exited with status $rc ($aborted clients aborted): $(grep -m 3 'error' "$log" | tr '\n' ' ')"
    elif [[ -z $failed || $failed != 0 ]]; then
        note "pgbench reports ${failed:-an unknown number of} failed transactions"
    fi
    # The commits are all there, and each moved a balance by its delta.
    local h a
    if [[ $name == strand ]] && ! strand_alive; then
        note "strand died during the run"
    elif ! h=$(sum_of "$port" 'SELECT delta FROM hist' 2>&1) || ! a=$(sum_of "$port" 'SELECT bal FROM acct' 2>&1); then
        note "could not read the tables back: $h $a"
    else
        read -r hn hs <<<"$h"
        read -r an as <<<"$a"
        if [[ $status == ok ]] && ((hn < done || hn > done + c)); then
            note "hist has $hn rows, pgbench counted $done commits"
        fi
        if ((an != rows)); then
            note "acct has $an rows, not $rows"
        elif ((as != ${bal_sum[$name]} + hs)); then
            note "the balances total $as, expected ${bal_sum[$name]} + $hs (hist's deltas)"
        fi
        bal_sum[$name]=$as
    fi
    printf '  %-8s %2d clients  synchronous_commit %-3s  %-8s  %8d tps  %s\n' "$name" "$c" "$sync" "$mode" "$tps" "$status"
    echo "$name $c $sync $mode $round $status $tps $done" >>"$work/results"
}

# ---- run --------------------------------------------------------------------
strand_start "$bin" || fail "strand did not start"
pg_start fsync=on synchronous_commit=on max_connections=100 || fail "PostgreSQL did not start"
for port in "$STRAND_PORT" "$PG_PORT"; do
    out=$(timeout 600 "$PSQL" -X -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
        -f "$work/load.sql" 2>&1) || fail "loading $(name_of "$port") failed: $out"
    a=$(sum_of "$port" 'SELECT bal FROM acct') || fail "reading acct back from $(name_of "$port") failed"
    [[ $a == "$rows 0" ]] || fail "$(name_of "$port") has '$a' (rows, total balance) after the load, want '$rows 0'"
    bal_sum[$(name_of "$port")]=0
done
q "$PG_PORT" 'VACUUM (ANALYZE) acct' >/dev/null

echo "commit: $rows accounts, ${seconds}s per run, $rounds round(s) (servers alternate first), clients: $clients_list," \
    "protocols: $protocols, pgbench -j up to $cores on the same machine ($cores cores)"
echo "disk: data folders under ${TMPDIR:-/tmp} ($(stat -f -c %T "$work" 2>/dev/null || echo unknown filesystem));" \
    "$(fsync_probe 2>&1 || echo 'fdatasync probe failed')"
echo "PostgreSQL: $("$PG_BIN/postgres" --version), fsync=$(q "$PG_PORT" 'SHOW fsync'), wal_sync_method=$(q "$PG_PORT" 'SHOW wal_sync_method')," \
    "shared_buffers=$(q "$PG_PORT" 'SHOW shared_buffers'), max_connections=$(q "$PG_PORT" 'SHOW max_connections')"
for sync in $sync_list; do
    for port in "$STRAND_PORT" "$PG_PORT"; do check_setting "$port" "$sync"; done
    for name in strand postgres; do
        [[ ${applied[$name,$sync]} == ok ]] ||
            echo "NOTE: $name, synchronous_commit $sync (PGOPTIONS='$(options_for "$sync")'): SHOW synchronous_commit" \
                "does not confirm it (${applied[$name,$sync]}); those cells are marked '?'"
    done
done

: >"$work/results"
for round in $(seq 1 "$rounds"); do
    echo "round $round/$rounds"
    if ((round % 2)); then order="$STRAND_PORT $PG_PORT"; else order="$PG_PORT $STRAND_PORT"; fi
    for mode in $protocols; do
        for sync in $sync_list; do
            for c in $clients_list; do
                for port in $order; do run_one "$port" "$c" "$sync" "$mode" "$round"; done
            done
        done
    done
done
if strand_alive; then
    strand_stop || { echo "commit: strand did not stop cleanly" >&2; failures=$((failures + 1)); }
else
    echo "commit: strand died during the benchmark" >&2
    strand_log_tail 40
    failures=$((failures + 1))
fi

# ---- the table --------------------------------------------------------------
# Median over the rounds of each cell (successful runs only; '!' when a run
# failed: see the '!!' lines above), min..max beside it.
echo
printf '%-7s %-4s %-8s %12s %12s %7s   %-17s %-17s\n' clients sync protocol strand_tps pg_tps ratio strand_min..max pg_min..max
for mode in $protocols; do
    for sync in $sync_list; do
        for c in $clients_list; do
            mark_s=""; mark_p=""
            [[ ${applied[strand,$sync]} == ok ]] || mark_s="?"
            [[ ${applied[postgres,$sync]} == ok ]] || mark_p="?"
            awk -v c="$c" -v sync="$sync" -v mode="$mode" -v ms="$mark_s" -v mp="$mark_p" '
                function median(v, n,   i, j, t) {
                    for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
                    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
                }
                $2 == c && $3 == sync && $4 == mode {
                    if ($6 != "ok") { bad[$1]++; next }
                    k = $1; n[k]++; v[k, n[k]] = $7
                    if (!(k in lo) || $7 < lo[k]) lo[k] = $7
                    if (!(k in hi) || $7 > hi[k]) hi[k] = $7
                }
                END {
                    for (k in n) { for (i = 1; i <= n[k]; i++) w[i] = v[k, i]; med[k] = median(w, n[k]) }
                    s = ("strand" in med) ? sprintf("%d", med["strand"]) : "FAIL"
                    p = ("postgres" in med) ? sprintf("%d", med["postgres"]) : "FAIL"
                    r = (("strand" in med) && ("postgres" in med) && med["postgres"] > 0) ? sprintf("%.2f", med["strand"] / med["postgres"]) : "-"
                    s = s ms (bad["strand"] ? "!" : ""); p = p mp (bad["postgres"] ? "!" : "")
                    r = r ((ms != "" || mp != "") ? "?" : "") ((bad["strand"] || bad["postgres"]) ? "!" : "")
                    sr = ("strand" in lo) ? lo["strand"] ".." hi["strand"] : "-"
                    pr = ("postgres" in lo) ? lo["postgres"] ".." hi["postgres"] : "-"
                    head = (c == 8 && sync == "on" && mode == "prepared") ? "  <- headline (target >= 2.5)" : ""
                    printf "%-7s %-4s %-8s %12s %12s %7s   %-17s %-17s%s\n", c, sync, mode, s, p, r, sr, pr, head
                }' "$work/results"
        done
    done
done
echo "('?' = SHOW synchronous_commit did not confirm the setting on that server; '!' = a run of that cell failed, see '!!' above)"
if ((failures)); then
    echo "commit: $failures failed run(s) or check(s)" >&2
    exit 1
fi
