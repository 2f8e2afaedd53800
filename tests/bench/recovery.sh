#!/usr/bin/env bash
# recovery: how long a server takes to come back after SIGKILL, strand and
# PostgreSQL 15 side by side in one run, on the same rows, one server
# running at a time; prints each restart, the medians over the rounds and
# the ratio PostgreSQL / strand (> 1: strand is back sooner).
#
# Table t (id int PRIMARY KEY, a int, b text), BENCH_ROWS rows, b 40 bytes
# (32 pseudo-random hex digits, '-', the id), loaded by psql in BENCH_BATCH-row
# INSERTs, each its own transaction. Every round, for each server (the
# order alternates), on a fresh data folder:
#   A "WAL replay": CREATE TABLE, CHECKPOINT (so that replay covers only the
#     load), the load, no checkpoint, kill -9; the restart replays the load.
#   B "snapshot":   CREATE TABLE, CHECKPOINT, the load, CHECKPOINT, kill -9;
#     strand loads the snapshot the CHECKPOINT wrote, PostgreSQL replays
#     next to nothing.
# The restart time runs from the start command (strand start / postgres,
# launched directly, no pg_ctl) until `SELECT 1` answers through psql, tried
# every 10 ms. PostgreSQL is killed with its children (kill -9 on the
# postmaster and every process it started, then waiting for them all to be
# gone) so it restarts with crash recovery; in PostgreSQL 15 that includes
# the end-of-recovery checkpoint (its `checkpoint complete` line is shown).
# After every restart the table is read back: BENCH_ROWS rows, and the last
# row's b as loaded. The servers' own figures (strand: `loaded snapshot`,
# `redo done`; PostgreSQL: `redo done ... elapsed`) are printed beside.
#
# strand runs with -c checkpoint_timeout=1h -c max_wal_size=10GB, PostgreSQL
# 15 with checkpoint_timeout=1h max_wal_size=10GB and otherwise its defaults
# (fsync on, full_page_writes on, shared_buffers 128MB); data folders under
# ${TMPDIR:-/tmp}.
#
# Usage: tests/bench/recovery.sh [STRAND_BINARY]   (default build/server/strand)
# Settings: BENCH_ROWS (default 1000000), BENCH_ROUNDS (3), BENCH_BATCH (rows
# per INSERT, 1000), BENCH_READY_TIMEOUT (seconds a restart may take, 600).
# Exits 0 whatever the figures; non-zero if a server failed or a check did.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$(realpath "${1:-$here/../../build/server/strand}")
# shellcheck source=../lib/bench.sh
source "$here/../lib/bench.sh"

rows=${BENCH_ROWS:-1000000}
rounds=${BENCH_ROUNDS:-3}
batch=${BENCH_BATCH:-1000}
ready_timeout=${BENCH_READY_TIMEOUT:-600}
pg_settings=(checkpoint_timeout=1h max_wal_size=10GB)
strand_settings=(-c checkpoint_timeout=1h -c max_wal_size=10GB)

S_PID='' S_DIR=$work/strand-data S_LOG=$work/strand.log S_PORT=''
PG_JOB=''
cleanup() {
    if [[ -n $S_PID ]] && kill -0 "$S_PID" 2>/dev/null; then kill -KILL "$S_PID" 2>/dev/null || true; fi
    { [[ -n $S_PID ]] && wait "$S_PID"; } 2>/dev/null || true
    pg_kill_all >/dev/null 2>&1 || true
    pg_cleanup
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "recovery: $*" >&2
    if [[ -f $S_LOG ]]; then echo "---- strand log (last 15 lines) ----" >&2; tail -n 15 "$S_LOG" >&2; fi
    if [[ -n ${PG_TMP:-} && -f $PG_TMP/postgres.log ]]; then
        echo "---- postgres log (last 15 lines) ----" >&2; tail -n 15 "$PG_TMP/postgres.log" >&2
    fi
    exit 1
}
[[ -x "$bin" ]] || fail "no strand binary at $bin"

# ---- the rows ---------------------------------------------------------------
# Row i: (i, i % 1000, 32 hex digits from a fixed-seed generator '-' i as
# 7 digits): 40 bytes that compress like real data rather than to nothing.
b_of() { # the b of row $1 as loaded (the generator run again up to it: the last row only)
    awk -v rows="$rows" -v want="$1" 'BEGIN { srand(42)
        for (i = 1; i <= rows; i++) {
            b = sprintf("%08x%08x%08x%08x-%07d", int(rand() * 4294967296), int(rand() * 4294967296),
                        int(rand() * 4294967296), int(rand() * 4294967296), i)
            if (i == want) { print b; exit }
        } }'
}
awk -v rows="$rows" -v batch="$batch" 'BEGIN { srand(42)
    for (start = 1; start <= rows; start += batch) {
        printf "INSERT INTO t VALUES "
        for (i = start; i < start + batch && i <= rows; i++)
            printf "%s(%d, %d, '\''%08x%08x%08x%08x-%07d'\'')", (i > start ? ", " : ""), i, i % 1000,
                int(rand() * 4294967296), int(rand() * 4294967296), int(rand() * 4294967296), int(rand() * 4294967296), i
        print ";"
    } }' >"$work/load.sql"
last_b=$(b_of "$rows")

# ---- helpers ----------------------------------------------------------------
now_ns() { date +%s%N; }
q() { timeout 600 "$PSQL" -X -h 127.0.0.1 -p "$1" -U postgres -d postgres -At -v ON_ERROR_STOP=1 -c "$2"; } # q PORT SQL
secs() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }
dir_bytes() { if [[ -d $1 ]]; then du -sb "$1" | awk '{ print $1 }'; else echo 0; fi; }
lsn_bytes() { # 0/161B81A -> bytes
    local hi=${1%/*} lo=${1#*/}
    echo $(((16#$hi << 32) + 16#$lo))
}

# Launch, kill -9, wait for an answer.
s_launch() {
    "$bin" start --data "$S_DIR" --port "$S_PORT" --listen 127.0.0.1 "${strand_settings[@]}" </dev/null >>"$S_LOG" 2>&1 &
    S_PID=$!
}
s_kill() {
    kill -KILL "$S_PID" 2>/dev/null || true
    { wait "$S_PID"; } 2>/dev/null || true
    S_PID=''
}
pg_opts() { local s o="-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1"; for s in "${pg_settings[@]}"; do o+=" -c $s"; done; echo "$o"; }
pg_launch() {
    # shellcheck disable=SC2046 # the options are words
    "${PG_AS[@]}" "$PG_BIN/postgres" -D "$PG_TMP/data" $(pg_opts) </dev/null >>"$PG_TMP/postgres.log" 2>&1 &
    PG_JOB=$!
    # shellcheck disable=SC2034 # read by pg_cleanup (tests/lib/postgres.sh)
    PG_STARTED=1
}
# kill -9 the postmaster and every process it started, and wait until all are gone.
pg_kill_all() {
    local pm pids p deadline
    [[ -f ${PG_TMP:-}/data/postmaster.pid ]] || return 0
    pm=$(head -n 1 "$PG_TMP/data/postmaster.pid")
    [[ -n $pm ]] && kill -0 "$pm" 2>/dev/null || return 0
    pids="$pm $(ps -o pid= --ppid "$pm" | tr '\n' ' ')"
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    deadline=$((SECONDS + 30))
    for p in $pids; do
        while kill -0 "$p" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.01; done
    done
    if [[ -n $PG_JOB ]]; then { wait "$PG_JOB"; } 2>/dev/null || true; PG_JOB=''; fi
    # shellcheck disable=SC2034 # read by pg_cleanup (tests/lib/postgres.sh)
    PG_STARTED=0
}
# wait_answer PORT T0_NS ALIVE_PID -> nanoseconds from T0 until SELECT 1 answered
wait_answer() {
    local port=$1 t0=$2 pid=$3 out deadline=$((SECONDS + ready_timeout))
    while :; do
        if out=$("$PSQL" -X -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc 'SELECT 1' 2>/dev/null) && [[ $out == 1 ]]; then
            echo $(($(now_ns) - t0))
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { echo "the server exited while starting" >&2; return 1; }
        ((SECONDS < deadline)) || { echo "no answer within $ready_timeout s" >&2; return 1; }
        sleep 0.01
    done
}
# check_rows PORT WHO: the table holds the rows as loaded.
check_rows() {
    local n b
    n=$(q "$1" 'SELECT id FROM t' | wc -l) || fail "$2: could not read t back"
    ((n == rows)) || fail "$2: t has $n rows after the restart, want $rows"
    b=$(q "$1" "SELECT b FROM t WHERE id = $rows") || fail "$2: could not read row $rows"
    [[ $b == "$last_b" ]] || fail "$2: row $rows has b '$b', want '$last_b'"
}
load() { # load PORT WHO -> prints the seconds it took
    local t0 out
    out=$(q "$1" 'CREATE TABLE t (id int PRIMARY KEY, a int, b text)' 2>&1) || fail "$2: CREATE TABLE: $out"
    out=$(q "$1" CHECKPOINT 2>&1) || fail "$2: CHECKPOINT after CREATE TABLE: $out"
    t0=$(now_ns)
    out=$(timeout 1800 "$PSQL" -X -h 127.0.0.1 -p "$1" -U postgres -d postgres -q -v ON_ERROR_STOP=1 -f "$work/load.sql" 2>&1) ||
        fail "$2: the load failed: $out"
    secs $(($(now_ns) - t0))
}

# One case on strand: fresh data folder, load, [CHECKPOINT], kill -9, timed restart.
# Appends "strand CASE ROUND restart_ns load_s checkpoint_s" to results; prints a line.
run_strand() {
    local case=$1 round=$2 load_s ckpt_s=- t0 ns from out note wal_bytes
    rm -rf "$S_DIR"
    S_PORT=$(test_pick_port) || fail "no free port"
    echo "== round $round case $case" >>"$S_LOG"
    s_launch
    wait_answer "$S_PORT" "$(now_ns)" "$S_PID" >/dev/null || fail "strand did not start"
    load_s=$(load "$S_PORT" strand)
    if [[ $case == B ]]; then
        t0=$(now_ns)
        out=$(q "$S_PORT" CHECKPOINT 2>&1) || fail "strand: CHECKPOINT after the load: $out"
        ckpt_s=$(secs $(($(now_ns) - t0)))
    fi
    s_kill
    sizes[strand, $case]="wal/ $(mb "$(dir_bytes "$S_DIR/wal")") on disk, snapshots/ $(mb "$(dir_bytes "$S_DIR/snapshots")")"
    from=$(wc -l <"$S_LOG")
    t0=$(now_ns)
    s_launch
    ns=$(wait_answer "$S_PORT" "$t0" "$S_PID") || fail "strand: restart (case $case)"
    # The server's own account of this start.
    note=$(tail -n +"$((from + 1))" "$S_LOG" | awk '
        /loaded snapshot/ { match($0, /: [0-9]+ rows in [0-9.]+ s/); s = s "snapshot " substr($0, RSTART + 2, RLENGTH - 2) "; " }
        /redo done at/ { if (match($0, /[0-9]+ rows in [0-9.]+ s/)) s = s "redo " substr($0, RSTART, RLENGTH); else s = s "redo: nothing" }
        END { print s }')
    # WAL the restart replayed (its LSNs from the log).
    wal_bytes=$(tail -n +"$((from + 1))" "$S_LOG" | awk '/redo starts at/ { a = $NF } /redo done at/ { b = $6; sub(/:$/, "", b) } END { print a, b }')
    if [[ $wal_bytes =~ ^([0-9A-F]+/[0-9A-F]+)\ ([0-9A-F]+/[0-9A-F]+)$ ]]; then
        wal_bytes=$(($(lsn_bytes "${BASH_REMATCH[2]}") - $(lsn_bytes "${BASH_REMATCH[1]}")))
        sizes[strand, $case]+=", WAL replayed $(mb "$wal_bytes")"
    fi
    check_rows "$S_PORT" "strand (case $case, round $round)"
    s_kill
    echo "strand $case $round $ns $load_s $ckpt_s" >>"$work/results"
    printf '  %-8s case %s  load %7.2f s  checkpoint %6s s  restart %8s s  (server: %s)\n' strand "$case" "$load_s" "$ckpt_s" "$(secs "$ns")" "$note"
}

run_postgres() {
    local case=$1 round=$2 load_s ckpt_s=- t0 ns from out note before after
    pg_cleanup
    pg_start "${pg_settings[@]}" || fail "PostgreSQL did not start"
    before=$(q "$PG_PORT" 'SELECT pg_current_wal_lsn()')
    load_s=$(load "$PG_PORT" postgres)
    after=$(q "$PG_PORT" "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$before')")
    if [[ $case == B ]]; then
        t0=$(now_ns)
        out=$(q "$PG_PORT" CHECKPOINT 2>&1) || fail "postgres: CHECKPOINT after the load: $out"
        ckpt_s=$(secs $(($(now_ns) - t0)))
    fi
    pg_kill_all
    sizes[postgres, $case]="pg_wal/ $(mb "$(dir_bytes "$PG_TMP/data/pg_wal")") on disk, base/ $(mb "$(dir_bytes "$PG_TMP/data/base")"), WAL written by the load $(mb "${after%.*}")"
    from=$(wc -l <"$PG_TMP/postgres.log")
    t0=$(now_ns)
    pg_launch
    ns=$(wait_answer "$PG_PORT" "$t0" "$PG_JOB") || fail "postgres: restart (case $case)"
    note=$(tail -n +"$((from + 1))" "$PG_TMP/postgres.log" | awk '
        /redo done at/ { if (match($0, /elapsed: [0-9.]+ s/)) s = s "redo " substr($0, RSTART + 9, RLENGTH - 9) "; " }
        /redo is not required/ { s = s "redo not required; " }
        /checkpoint complete/ && !c { c = 1; if (match($0, /total=[0-9.]+ s/)) s = s "end-of-recovery checkpoint " substr($0, RSTART + 6, RLENGTH - 6) }
        END { print s }')
    check_rows "$PG_PORT" "postgres (case $case, round $round)"
    pg_kill_all
    echo "postgres $case $round $ns $load_s $ckpt_s" >>"$work/results"
    printf '  %-8s case %s  load %7.2f s  checkpoint %6s s  restart %8s s  (server: %s)\n' postgres "$case" "$load_s" "$ckpt_s" "$(secs "$ns")" "$note"
}

# ---- run --------------------------------------------------------------------
declare -A sizes=()
: >"$work/results"
echo "recovery: $rows rows of (int PRIMARY KEY, int, 40-byte text), $batch rows per INSERT transaction, $rounds round(s)" \
    "(servers alternate first), $(nproc 2>/dev/null || echo '?') cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "PostgreSQL: $("$PG_BIN/postgres" --version), ${pg_settings[*]}, otherwise defaults; strand: ${strand_settings[*]}"
echo "data folders under ${TMPDIR:-/tmp} ($(stat -f -c %T "$work" 2>/dev/null || echo unknown filesystem)); restart = start command until SELECT 1 answers (polled every 10 ms)"
for round in $(seq 1 "$rounds"); do
    echo "round $round/$rounds"
    for case in A B; do
        k=$round; [[ $case == B ]] && k=$((round + 1))
        if ((k % 2)); then
            run_strand "$case" "$round"; run_postgres "$case" "$round"
        else
            run_postgres "$case" "$round"; run_strand "$case" "$round"
        fi
    done
done

# ---- the table --------------------------------------------------------------
echo
echo "restart after kill -9, median of $rounds round(s) (min..max):"
printf '%-14s %10s %10s %8s   %-17s %-17s %12s %12s\n' case strand_s pg_s pg/strand strand_min..max pg_min..max strand_rows/s pg_rows/s
for case in A B; do
    awk -v c="$case" -v rows="$rows" '
        function median(v, n,   i, j, t) {
            for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
            return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        }
        $2 == c {
            k = $1; s = $4 / 1e9; n[k]++; v[k, n[k]] = s
            if (!(k in lo) || s < lo[k]) lo[k] = s
            if (!(k in hi) || s > hi[k]) hi[k] = s
        }
        END {
            for (k in n) { for (i = 1; i <= n[k]; i++) w[i] = v[k, i]; med[k] = median(w, n[k]) }
            name = c == "A" ? "A WAL replay" : "B snapshot"
            printf "%-14s %10.3f %10.3f %8.2f   %-17s %-17s %12s %12s\n", name, med["strand"], med["postgres"],
                (med["strand"] > 0 ? med["postgres"] / med["strand"] : 0),
                sprintf("%.3f..%.3f", lo["strand"], hi["strand"]), sprintf("%.3f..%.3f", lo["postgres"], hi["postgres"]),
                sprintf("%.0f", rows / med["strand"]), sprintf("%.0f", rows / med["postgres"])
        }' "$work/results"
done
echo "(rows/s = rows / restart time; for case B it counts rows the snapshot or the heap already held)"
awk '
    function median(v, n,   i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    { n[$1]++; l[$1, n[$1]] = $5 }
    $2 == "B" { m[$1]++; c[$1, m[$1]] = $6 }
    END {
        for (k in n) { for (i = 1; i <= n[k]; i++) w[i] = l[k, i]; ld[k] = median(w, n[k]) }
        for (k in m) { for (i = 1; i <= m[k]; i++) w[i] = c[k, i]; ck[k] = median(w, m[k]) }
        printf "load (median): strand %.2f s, postgres %.2f s; CHECKPOINT after the load (case B, median): strand %.3f s, postgres %.3f s\n",
            ld["strand"], ld["postgres"], ck["strand"], ck["postgres"]
    }' "$work/results"
echo "data folders at the kill (last round):"
for case in A B; do
    echo "  case $case  strand:   ${sizes[strand, $case]}"
    echo "  case $case  postgres: ${sizes[postgres, $case]}"
done
