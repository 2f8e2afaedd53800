#!/usr/bin/env bash
# wal_corruption: a crashed strand whose WAL tail is torn or corrupt, or whose
# newest snapshot is corrupt, recovers to the last intact commit (wal/recover.c:
# "a torn or corrupt tail is logged with its LSN and cut off"; "a snapshot that
# fails its checksum falls back to the one before").
#
# Every scenario starts strand on a data folder of its own, commits rows that
# are each acknowledged, kills it with SIGKILL (a crash), damages the files
# with a small python3 helper that walks the record chain by the documented
# header (wal/record.c: u32 CRC, u32 length, u64 LSN, u8 type, ...), and
# starts strand again on the damaged folder (or on a copy of it, one per
# sub-case):
#   1. torn tail: the last record (the last commit) loses its second half
#      (zeros / random bytes), keeps only 10 header bytes, or the segment
#      file is truncated inside it. strand starts, its log names the LSN
#      where the log ends (the torn record's) and why, rows 1..N-1 are there
#      and row N is not. A new commit shorter than the torn one is
#      acknowledged and, after another crash, is the last record: nothing of
#      the torn bytes comes back.
#   2. a corrupt record three from the end (a payload byte, or its LSN
#      field, flipped): replay stops there (checksum / position reported);
#      the rows before it are there, that row and every later one are not. A
#      new commit of exactly the corrupt record's length is written where it
#      was, so the stale next record would line up after it if the tail had
#      not been cleared; after another crash it must not come back.
#   3. snapshots: two CHECKPOINTs between writes (updates and deletes
#      included), then a crash; the newest snapshot gets bytes flipped in its
#      middle, or is truncated to half: it is skipped, the older one loaded,
#      and every committed row is back as committed (the WAL from the older
#      snapshot's redo LSN is kept). Both snapshots corrupt (bytes flipped in
#      the middle, the zstd checksum flipped, or, with the zstd command, a
#      sound frame whose content CRC-32C is wrong) while the whole WAL is
#      still there: strand replays it all from 0/1000000.
#   3b. no damage: max_wal_size=2 starts a checkpoint after ~1 MiB of WAL; a
#      crash after it completes loses nothing (the commit that crossed the
#      threshold included).
#   3c. max_wal_size=2 and ~24 MiB of rows (so checkpoints remove segment
#      ...0001): the newest snapshot corrupt still recovers everything; both
#      corrupt makes strand refuse to start with one error line and a
#      non-zero exit, leaving the snapshots and the WAL as they were.
#   4. a second strand on the folder of a running one exits non-zero with one
#      error line naming the owner's pid; the first keeps serving; once the
#      first is killed its stale strand.pid does not block a new start.
#
# Usage: wal_corruption.sh STRAND_BINARY
# Settings (environment): WAL_CORRUPTION_KEEP=1 keeps the work folder,
# WAL_CORRUPTION_SCENARIOS (default: torn middle snapshots checkpoint_size
# snapshots_big lock),
# WAL_CORRUPTION_SQL_TIMEOUT (seconds per psql call, default 60), plus
# server.sh's STRAND_START_TIMEOUT and STRAND_STOP_TIMEOUT.
# Prints TAP lines ("ok N - ...", "not ok N - ...", "1..N") and a final
# "N passed, N failed"; exits 1 if anything failed.
set -uo pipefail

if (($# != 1)); then
    echo "usage: $0 STRAND_BINARY" >&2
    exit 2
fi
bin=$(realpath "$1") || exit 2
[[ -x "$bin" ]] || {
    echo "$0: not an executable: $bin" >&2
    exit 2
}
command -v python3 >/dev/null || {
    echo "$0: python3 is needed to read and damage the WAL" >&2
    exit 2
}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/server.sh
source "$here/../lib/server.sh"
test_clean_client_env
# Recovery of ~24 MiB and its checkpoints take longer under sanitizers.
: "${STRAND_START_TIMEOUT:=60}"

SQL_TIMEOUT=${WAL_CORRUPTION_SQL_TIMEOUT:-60}
SEG1=000000010000000000000001 # the first segment: LSN 0/1000000 is its offset 0
SEG1_LSN=$((0x1000000))

work=$(mktemp -d "${TMPDIR:-/tmp}/strand-wal-corruption.XXXXXX") || exit 1
STRAND_PID=
SECOND_PID=
ports=()
cleanup() {
    local p
    for p in "${STRAND_PID:-}" "${SECOND_PID:-}"; do
        if [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; then
            kill -KILL "$p" 2>/dev/null
            wait "$p" 2>/dev/null
        fi
    done
    # The socket files of servers this script killed (strand removes its own
    # on a clean stop, and a stale one at its next start on that port).
    for p in "${ports[@]}"; do
        [[ -S /tmp/.s.PGSQL.$p ]] && ! test_port_busy "$p" && rm -f "/tmp/.s.PGSQL.$p"
    done
    if [[ "${WAL_CORRUPTION_KEEP:-}" == 1 ]]; then
        echo "# work folder kept: $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# ---- TAP ----

# shellcheck source=../lib/tap.sh
source "$here/../lib/tap.sh"

# check_ids DESCRIPTION WANT GOT: like check for long lists of ids (one
# line each, blank-separated), reporting only what is missing and extra.
check_ids() {
    if [[ "$2" == "$3" ]]; then
        ok "$1"
        return
    fi
    if [[ "$3" =~ [^0-9\ ] ]]; then
        not_ok "$1" "expected $(wc -w <<<"$2") ids, got:" "$3"
        return
    fi
    local missing extra
    missing=$(comm -23 <(tr ' ' '\n' <<<"$2" | sort) <(tr ' ' '\n' <<<"$3" | sort) | sort -n | ranges)
    extra=$(comm -13 <(tr ' ' '\n' <<<"$2" | sort) <(tr ' ' '\n' <<<"$3" | sort) | sort -n | ranges)
    not_ok "$1" "$(wc -w <<<"$3") ids instead of $(wc -w <<<"$2")" "missing: ${missing:-none}" \
        "unexpected: ${extra:-none}"
}

# ranges: numbers (sorted, one a line) as "1-5 7 9-12".
ranges() {
    awk 'function flush() { if (have) { printf "%s%s", sep, (s == p ? s : s "-" p); sep = " " } have = 0 }
         NF == 0 { next }
         have && $1 == p + 1 { p = $1; next }
         { flush(); s = p = $1; have = 1 }
         END { flush(); print "" }'
}

# ---- the WAL and snapshot files (python3: byte-level reading and damage) ----

read -r -d '' PYTOOL <<'EOF'
import os, random, sys
cmd, path = sys.argv[1], sys.argv[2]
if cmd == "walk":
    # walk SEGMENT BASE_LSN: "offset length" of each record from offset 0 while
    # the header is sane (wal/record.c): length in [40, the rest of the file],
    # its own LSN, type 1 (commit). The first that is not ends the chain.
    base = int(sys.argv[3])
    data = open(path, "rb").read()
    off = 0
    while off + 40 <= len(data):
        n = int.from_bytes(data[off + 4:off + 8], "little")
        lsn = int.from_bytes(data[off + 8:off + 16], "little")
        if n < 40 or off + n > len(data) or lsn != base + off or data[off + 16] != 1:
            break
        print(off, n)
        off += n
    sys.exit(0)
off, n = int(sys.argv[3]), int(sys.argv[4])
with open(path, "r+b") as f:
    f.seek(off)
    old = f.read(n)
    if len(old) != n:
        sys.exit("%s: only %d of %d bytes at %d" % (path, len(old), n, off))
    if cmd == "zero":  # zero FILE OFFSET LENGTH
        new = bytes(n)
    elif cmd == "garbage":  # garbage FILE OFFSET LENGTH: non-zero random bytes
        rnd = random.Random(20240229)
        new = bytes(rnd.randrange(1, 256) for _ in range(n))
    elif cmd == "flip":  # flip FILE OFFSET LENGTH: every bit of those bytes
        new = bytes(b ^ 0xFF for b in old)
    else:
        sys.exit("unknown command " + cmd)
    f.seek(off)
    f.write(new)
    f.flush()
    os.fsync(f.fileno())
EOF
pytool() { python3 -c "$PYTOOL" "$@"; }

# wal_records DATA: "offset length" per record of segment ...0001, in order,
# after the first: the commit of the first start that creates strand's own
# catalog (the procedure table, jit/catalog.c), which the scenarios below
# do not count.
wal_records() { pytool walk "$1/wal/$SEG1" "$SEG1_LSN" | tail -n +2; }

lsn_at() { printf '0/%X' $((SEG1_LSN + $1)); } # the LSN of an offset in segment ...0001

# snap_lsn FILE: the redo LSN a snapshot's name stands for, as the log prints it.
snap_lsn() {
    local h
    h=$(basename "$1" .snap)
    printf '%X/%X' $((16#$h >> 32)) $((16#$h & 0xFFFFFFFF))
}

# ---- the server ----

# server_start DATA LOG [ARGS...]: starts strand on DATA (a new folder is
# created) on a free port, waits until it answers SELECT 1. Sets STRAND_PORT,
# STRAND_PID. On failure STRAND_PID is empty and START_STATUS holds the exit
# status (or "running" if it never answered). A start that lost its port to
# another process is retried on another one.
server_start() {
    local data=$1 log=$2 attempt mark
    shift 2
    START_STATUS=
    for attempt in 1 2 3 4 5; do
        STRAND_PORT=$(test_pick_port) || return 1
        ports+=("$STRAND_PORT")
        touch "$log"
        mark=$(wc -l <"$log")
        "$bin" start --data "$data" --port "$STRAND_PORT" --listen 127.0.0.1 "$@" </dev/null >>"$log" 2>&1 &
        STRAND_PID=$!
        strand_wait_ready && return 0
        if strand_alive; then
            kill -KILL "$STRAND_PID" 2>/dev/null
            wait "$STRAND_PID" 2>/dev/null
            STRAND_PID=
            START_STATUS=running
            echo "== did not answer SELECT 1 within $STRAND_START_TIMEOUT s (killed)" >>"$log"
            return 1
        fi
        START_STATUS=0
        wait "$STRAND_PID" 2>/dev/null || START_STATUS=$?
        STRAND_PID=
        tail -n +"$((mark + 1))" "$log" | grep -q "Address already in use" || return 1
        echo "== attempt $attempt lost its port; retrying" >>"$log"
    done
    return 1
}

# server_crash: SIGKILL, as a power cut would leave the files (the page
# cache survives, which is all an acknowledged commit relies on).
server_crash() {
    [[ -n "$STRAND_PID" ]] || return 0
    kill -KILL "$STRAND_PID" 2>/dev/null
    wait "$STRAND_PID" 2>/dev/null
    STRAND_PID=
    rm -f "/tmp/.s.PGSQL.$STRAND_PORT"
}

# stop_clean WHAT LOG: SIGTERM; reports one TAP line.
stop_clean() {
    if strand_stop 2>"$work/stop.err"; then
        ok "$1: strand stops cleanly (SIGTERM)"
    else
        not_ok "$1: strand stops cleanly (SIGTERM)" "$(cat "$work/stop.err")" "$(tail -n 15 "$2")"
    fi
}

# no_sanitizer_reports WHAT LOG...
no_sanitizer_reports() {
    local what=$1
    shift
    if grep -qE 'ERROR: (Address|Leak|Thread|Undefined|Memory)Sanitizer|runtime error:' "$@"; then
        not_ok "$what: no sanitizer reports" "$(grep -hE -A 8 'Sanitizer|runtime error:' "$@" | head -n 40)"
    fi
}

# ---- SQL ----

# sql SQL: one psql session on the running server (statements separated by
# ";" run as one simple query); OUT holds stdout and stderr, RC the status.
sql() {
    OUT=$(timeout "$SQL_TIMEOUT" "$PSQL" -X -h 127.0.0.1 -p "$STRAND_PORT" -U postgres -d postgres -At \
        -v ON_ERROR_STOP=1 -c "$1" 2>&1)
    RC=$?
}

# sql_file FILE: a script in one session.
sql_file() {
    OUT=$(timeout "$SQL_TIMEOUT" "$PSQL" -X -h 127.0.0.1 -p "$STRAND_PORT" -U postgres -d postgres -At -q \
        -v ON_ERROR_STOP=1 -f "$1" 2>&1)
    RC=$?
}

# The ids in t, one line, ascending (or psql's error).
ids() {
    sql "SELECT id FROM t ORDER BY id"
    if ((RC == 0)); then paste -sd ' ' <<<"$OUT"; else echo "psql failed ($RC): $OUT"; fi
}

seq_line() { if (($2 >= $1)); then seq -s ' ' "$1" "$2"; fi; }

# commit_rows FROM TO PAD: one INSERT (one transaction) per id, each checked
# to be acknowledged; prints the ids that were not.
commit_rows() {
    local i bad=()
    for ((i = $1; i <= $2; i++)); do
        sql "INSERT INTO t VALUES ($i, 'row $i $3')"
        [[ $RC == 0 && "$OUT" == "INSERT 0 1" ]] || bad+=("$i")
    done
    echo "${bad[*]}"
}

# redo_end LOG: sets END_LSN and END_WHY from the last "redo done" line.
redo_end() {
    local line
    line=$(grep 'redo done at ' "$1" | tail -n 1)
    END_LSN=$(sed -nE 's/.*redo done at ([0-9A-F]+\/[0-9A-F]+):.*/\1/p' <<<"$line")
    END_WHY=$(sed -nE 's/.*; the log ends at [0-9A-F]+\/[0-9A-F]+: (.*)$/\1/p' <<<"$line")
    [[ -n "$END_WHY" ]] || END_WHY=$(sed -nE 's/.*redo done at [0-9A-F]+\/[0-9A-F]+: (.*)$/\1/p' <<<"$line")
}

# A padding text: long records, so that a later commit can be shorter.
PAD=$(printf '%060d' 0 | tr 0 p)

# =============================================================================
# 1. A torn last record
# =============================================================================

N=10

# torn_case NAME HOW WHY: HOW damages the last record of a copy of the crashed
# folder; WHY is the reason the log must give for the end.
torn_case() {
    local name=$1 how=$2 why=$3
    local dir=$work/torn/$name data=$work/torn/$name/data
    local off=$LAST_OFF len=$LAST_LEN want new_recs
    mkdir -p "$dir"
    cp -a "$work/torn/base" "$data"
    case $how in
    zeros) pytool zero "$data/wal/$SEG1" $((off + len / 2)) $((len - len / 2)) ;;
    garbage) pytool garbage "$data/wal/$SEG1" $((off + len / 2)) $((len - len / 2)) ;;
    header) pytool zero "$data/wal/$SEG1" $((off + 10)) $((len - 10)) ;;
    truncate) truncate -s $((off + len / 2)) "$data/wal/$SEG1" ;;
    esac
    if ! server_start "$data" "$dir/start1.log"; then
        not_ok "torn $name: strand starts on the damaged log" "exit: $START_STATUS" "$(tail -n 15 "$dir/start1.log")"
        return
    fi
    ok "torn $name: strand starts on the damaged log"
    redo_end "$dir/start1.log"
    want=$(lsn_at "$off")
    check "torn $name: the log ends at the torn record ($want): $why" "$want: $why" "$END_LSN: $END_WHY"
    check "torn $name: rows 1..$((N - 1)) are there, row $N is not" "$(seq_line 1 $((N - 1)))" "$(ids)"

    # A commit shorter than the torn one goes where it was.
    sql "INSERT INTO t VALUES (100, 'new')"
    check "torn $name: a new commit is acknowledged" "INSERT 0 1" "$OUT"
    server_crash
    mapfile -t new_recs < <(wal_records "$data")
    if ((${#new_recs[@]} == N + 1)) && [[ "${new_recs[N]}" == "$off "* ]] && ((${new_recs[N]#* } < len)); then
        ok "torn $name: it is the last record, at the torn one's place and shorter (${new_recs[N]#* } < $len bytes)"
    else
        not_ok "torn $name: it is the last record, at the torn one's place and shorter" \
            "records (offset length): ${new_recs[*]}"
    fi
    if ! server_start "$data" "$dir/start2.log"; then
        not_ok "torn $name: strand starts after another crash" "exit: $START_STATUS" "$(tail -n 15 "$dir/start2.log")"
        return
    fi
    redo_end "$dir/start2.log"
    want=$(lsn_at $((off + ${new_recs[N]#* })))
    check "torn $name: after another crash the log ends right after the new commit ($want)" \
        "$want: end of the written log" "$END_LSN: $END_WHY"
    check "torn $name: rows 1..$((N - 1)) and 100, nothing else" "$(seq_line 1 $((N - 1))) 100" "$(ids)"
    sql "SELECT v FROM t WHERE id = 100"
    check "torn $name: the new row is as written" "new" "$OUT"
    stop_clean "torn $name" "$dir/start2.log"
    no_sanitizer_reports "torn $name" "$dir"/start*.log
}

scenario_torn() {
    local dir=$work/torn recs bad
    mkdir -p "$dir"
    note "---- 1. torn tail: $N commits, the last one torn ----"
    if ! server_start "$dir/base" "$dir/setup.log"; then
        not_ok "torn: strand starts on a new folder" "exit: $START_STATUS" "$(tail -n 15 "$dir/setup.log")"
        return
    fi
    sql "CREATE TABLE t (id int PRIMARY KEY, v text)"
    bad=$(commit_rows 1 "$N" "$PAD")
    check "torn: CREATE TABLE and $N one-row commits are acknowledged" "CREATE TABLE|" "$OUT|$bad"
    server_crash
    mapfile -t recs < <(wal_records "$dir/base")
    if ((${#recs[@]} != N + 1)); then
        not_ok "torn: the WAL holds $((N + 1)) records (CREATE TABLE and $N inserts)" \
            "records (offset length): ${recs[*]}"
        return
    fi
    ok "torn: the WAL holds $((N + 1)) records (CREATE TABLE and $N inserts)"
    LAST_OFF=${recs[N]% *} LAST_LEN=${recs[N]#* }
    note "torn: the last record is at $(lsn_at "$LAST_OFF"), $LAST_LEN bytes"
    torn_case zeros zeros "incorrect record checksum"
    torn_case garbage garbage "incorrect record checksum"
    torn_case header header "record from another position"
    torn_case truncate truncate "record cut short (torn write)"
}

# =============================================================================
# 2. A corrupt record before the end
# =============================================================================

K=3 # the corrupt record is the K-th from the end

# middle_case NAME OFFSET_IN_RECORD WHY
middle_case() {
    local name=$1 at=$2 why=$3
    local dir=$work/middle/$name data=$work/middle/$name/data
    local off=$BAD_OFF len=$BAD_LEN bad_id=$((N - K + 1)) want new_recs
    mkdir -p "$dir"
    cp -a "$work/middle/base" "$data"
    pytool flip "$data/wal/$SEG1" $((off + at)) 1
    if ! server_start "$data" "$dir/start1.log"; then
        not_ok "middle $name: strand starts on the damaged log" "exit: $START_STATUS" "$(tail -n 15 "$dir/start1.log")"
        return
    fi
    ok "middle $name: strand starts on the damaged log"
    redo_end "$dir/start1.log"
    want=$(lsn_at "$off")
    check "middle $name: replay stops at the corrupt record ($want): $why" "$want: $why" "$END_LSN: $END_WHY"
    check "middle $name: rows 1..$((bad_id - 1)) are there; $bad_id..$N are not" \
        "$(seq_line 1 $((bad_id - 1)))" "$(ids)"

    # A commit exactly as long as the corrupt record: the next stale record,
    # had it been left there, would line up after it with a matching LSN.
    sql "INSERT INTO t VALUES ($bad_id, 'ROW $bad_id ${PAD^^}')"
    check "middle $name: a new commit is acknowledged" "INSERT 0 1" "$OUT"
    server_crash
    mapfile -t new_recs < <(wal_records "$data")
    if ((${#new_recs[@]} == N - K + 2)) && [[ "${new_recs[N - K + 1]}" == "$off $len" ]]; then
        ok "middle $name: the WAL ends with the new commit, as long as the corrupt one and where it was"
    else
        not_ok "middle $name: the WAL ends with the new commit, as long as the corrupt one and where it was" \
            "expected $((N - K + 2)) records, the last \"$off $len\"; records (offset length): ${new_recs[*]}"
    fi
    if ! server_start "$data" "$dir/start2.log"; then
        not_ok "middle $name: strand starts after another crash" "exit: $START_STATUS" "$(tail -n 15 "$dir/start2.log")"
        return
    fi
    redo_end "$dir/start2.log"
    want=$(lsn_at $((off + len)))
    check "middle $name: after another crash the log ends right after the new commit ($want)" \
        "$want: end of the written log" "$END_LSN: $END_WHY"
    check "middle $name: no row after the corrupt record comes back" "$(seq_line 1 "$bad_id")" "$(ids)"
    sql "SELECT v FROM t WHERE id = $bad_id"
    check "middle $name: row $bad_id is the new one" "ROW $bad_id ${PAD^^}" "$OUT"
    stop_clean "middle $name" "$dir/start2.log"
    no_sanitizer_reports "middle $name" "$dir"/start*.log
}

scenario_middle() {
    local dir=$work/middle recs bad
    mkdir -p "$dir"
    note "---- 2. a corrupt record, the ${K}rd from the end of $((N + 1)) ----"
    if ! server_start "$dir/base" "$dir/setup.log"; then
        not_ok "middle: strand starts on a new folder" "exit: $START_STATUS" "$(tail -n 15 "$dir/setup.log")"
        return
    fi
    sql "CREATE TABLE t (id int PRIMARY KEY, v text)"
    bad=$(commit_rows 1 "$N" "$PAD")
    check "middle: CREATE TABLE and $N one-row commits are acknowledged" "CREATE TABLE|" "$OUT|$bad"
    server_crash
    mapfile -t recs < <(wal_records "$dir/base")
    if ((${#recs[@]} != N + 1)); then
        not_ok "middle: the WAL holds $((N + 1)) records" "records (offset length): ${recs[*]}"
        return
    fi
    ok "middle: the WAL holds $((N + 1)) records"
    BAD_OFF=${recs[N + 1 - K]% *} BAD_LEN=${recs[N + 1 - K]#* }
    note "middle: the record of row $((N - K + 1)) is at $(lsn_at "$BAD_OFF"), $BAD_LEN bytes"
    # A byte of the row's text (the record's last bytes), and a byte of the
    # LSN field (header offset 8..15).
    middle_case payload $((BAD_LEN - 5)) "incorrect record checksum"
    middle_case lsn 9 "record from another position"
}

# =============================================================================
# 3. Corrupt snapshots
# =============================================================================

# The rows and their texts once every statement of scenario_snapshots ran.
SNAP_WANT=$(
    for i in 1 2 3 5 6 7 9 10 11 12 13 14 15; do
        case $i in
        3 | 7) echo "$i|updated $i" ;;
        *) echo "$i|row $i $PAD" ;;
        esac
    done
)

# snap_case NAME HOW: HOW (flip-newest, truncate-newest, flip-both,
# tail-both, crc-both) on a copy.
snap_case() {
    local name=$1 how=$2
    local dir=$work/snap/$name data=$work/snap/$name/data newest older size log
    mkdir -p "$dir"
    cp -a "$work/snap/base" "$data"
    newest=$data/snapshots/$(basename "$NEWEST") older=$data/snapshots/$(basename "$OLDER")
    log=$dir/start.log
    size=$(stat -c %s "$newest")
    case $how in
    flip-newest) pytool flip "$newest" $((size / 2 - 2)) 4 ;;
    truncate-newest) truncate -s $((size / 2)) "$newest" ;;
    flip-both)
        pytool flip "$newest" $((size / 2 - 2)) 4
        pytool flip "$older" $(($(stat -c %s "$older") / 2 - 2)) 4
        ;;
    tail-both) # the zstd frame's content checksum: found bad only once all is read
        pytool flip "$newest" $((size - 4)) 4
        pytool flip "$older" $(($(stat -c %s "$older") - 4)) 4
        ;;
    crc-both) # a sound zstd frame whose content ends in a wrong CRC-32C
        local f raw
        for f in "$newest" "$older"; do
            raw=$f.raw
            if ! { zstd -q -d -c "$f" >"$raw" && pytool flip "$raw" $(($(stat -c %s "$raw") - 1)) 1 &&
                zstd -q -f --check -c "$raw" >"$f"; }; then
                not_ok "snap $name: re-compressing $f"
            fi
            rm -f "$raw"
        done
        ;;
    esac
    if ! server_start "$data" "$log"; then
        if [[ $how == *-both && $START_STATUS != running && $START_STATUS != 0 ]] &&
            grep -q '^strand: could not recover' "$log"; then
            ok "snap $name: strand refuses to start: $(grep '^strand: could not recover' "$log")"
            note "snap $name: both snapshots corrupt: strand REFUSED to start"
        else
            not_ok "snap $name: strand starts" "exit: $START_STATUS" "$(tail -n 15 "$log")"
        fi
        return
    fi
    ok "snap $name: strand starts"
    if grep -qF "skipping snapshot \"$newest\": " "$log"; then
        ok "snap $name: the newest snapshot is skipped: $(grep -F "skipping snapshot \"$newest\"" "$log" | sed 's/.*: //')"
    else
        not_ok "snap $name: the newest snapshot is skipped" "$(head -n 10 "$log")"
    fi
    if [[ $how == *-both ]]; then
        if grep -qF "skipping snapshot \"$older\": " "$log" && ! grep -q 'loaded snapshot' "$log" &&
            grep -q 'redo starts at 0/1000000$' "$log"; then
            ok "snap $name: the older one is skipped too, and redo starts at 0/1000000"
        else
            not_ok "snap $name: the older one is skipped too, and redo starts at 0/1000000" "$(head -n 10 "$log")"
        fi
    elif grep -qF "loaded snapshot \"$older\": " "$log" && grep -q "redo starts at $(snap_lsn "$older")\$" "$log"; then
        ok "snap $name: the older one is loaded, and redo starts at its LSN ($(snap_lsn "$older"))"
    else
        not_ok "snap $name: the older one is loaded, and redo starts at its LSN ($(snap_lsn "$older"))" \
            "$(head -n 10 "$log")"
    fi
    sql "SELECT id, v FROM t ORDER BY id"
    check "snap $name: every committed row is there as committed (updates and deletes replayed)" "$SNAP_WANT" "$OUT"
    [[ $how == *-both && "$OUT" == "$SNAP_WANT" ]] &&
        note "snap $name: both snapshots corrupt: strand RECOVERED everything by replaying the whole WAL"
    sql "INSERT INTO t VALUES (16, 'after recovery')"
    check "snap $name: a new commit is acknowledged" "INSERT 0 1" "$OUT"
    stop_clean "snap $name" "$log"
    no_sanitizer_reports "snap $name" "$log"
}

scenario_snapshots() {
    local dir=$work/snap snaps bad out=""
    mkdir -p "$dir"
    note "---- 3. corrupt snapshots: rows, CHECKPOINT, more, CHECKPOINT, more, crash ----"
    if ! server_start "$dir/base" "$dir/setup.log"; then
        not_ok "snap: strand starts on a new folder" "exit: $START_STATUS" "$(tail -n 15 "$dir/setup.log")"
        return
    fi
    sql "CREATE TABLE t (id int PRIMARY KEY, v text)"
    out+=$OUT
    bad=$(commit_rows 1 5 "$PAD")
    sql "CHECKPOINT"
    out+=" $OUT"
    bad+=$(commit_rows 6 10 "$PAD")
    sql "UPDATE t SET v = 'updated 3' WHERE id = 3"
    out+=" $OUT"
    sql "DELETE FROM t WHERE id = 4"
    out+=" $OUT"
    sql "CHECKPOINT"
    out+=" $OUT"
    bad+=$(commit_rows 11 15 "$PAD")
    sql "UPDATE t SET v = 'updated 7' WHERE id = 7"
    out+=" $OUT"
    sql "DELETE FROM t WHERE id = 8"
    out+=" $OUT"
    check "snap: every write and both CHECKPOINTs are acknowledged" \
        "CREATE TABLE CHECKPOINT UPDATE 1 DELETE 1 CHECKPOINT UPDATE 1 DELETE 1|" "$out|$bad"
    server_crash
    mapfile -t snaps < <(find "$dir/base/snapshots" -name '*.snap' | sort)
    if ((${#snaps[@]} != 2)); then
        not_ok "snap: the folder holds two snapshots" "$(ls -l "$dir/base/snapshots")"
        return
    fi
    ok "snap: the folder holds two snapshots"
    OLDER=${snaps[0]} NEWEST=${snaps[1]}
    note "snap: older $(basename "$OLDER") ($(stat -c %s "$OLDER") bytes), newest $(basename "$NEWEST") ($(stat -c %s "$NEWEST") bytes)"
    snap_case flip-newest flip-newest
    snap_case truncate-newest truncate-newest
    snap_case flip-both flip-both
    snap_case tail-both tail-both
    if command -v zstd >/dev/null; then
        snap_case crc-both crc-both
    else
        note "snap crc-both: skipped (no zstd command to re-compress a snapshot)"
    fi
}

# gen_load FILE STATEMENTS ROWS: a script of STATEMENTS INSERTs (each its own
# transaction) of ROWS rows with ~1 KB of text, ids 1..STATEMENTS*ROWS.
gen_load() {
    local i j text
    text=$(printf '%0990d' 0 | tr 0 b)
    for ((i = 0; i < $2; i++)); do
        printf 'INSERT INTO t VALUES '
        for ((j = 1; j <= $3; j++)); do
            printf "(%d, '%s')" $((i * $3 + j)) "$text"
            ((j < $3)) && printf ', '
        done
        printf ';\n'
    done >"$1"
}

# A crash right after a checkpoint that max_wal_size started (no damage at
# all): the commit whose WAL record crossed the threshold must be in the
# snapshot or after its redo LSN.
scenario_checkpoint_size() {
    local dir=$work/cpsize data=$work/cpsize/data log=$work/cpsize/setup.log
    mkdir -p "$dir"
    note "---- 3b. a crash after a checkpoint started by max_wal_size=2 (about 1 MiB of WAL), nothing damaged ----"
    gen_load "$dir/load.sql" 15 100
    if ! server_start "$data" "$log" -c max_wal_size=2; then
        not_ok "cpsize: strand starts with max_wal_size=2" "exit: $START_STATUS" "$(tail -n 15 "$log")"
        return
    fi
    sql "CREATE TABLE t (id int PRIMARY KEY, v text)"
    sql_file "$dir/load.sql"
    if ((RC != 0)); then
        not_ok "cpsize: 15 commits of 100 rows of 1 KB are acknowledged" "$(tail -n 5 <<<"$OUT")"
        server_crash
        return
    fi
    ok "cpsize: 15 commits of 100 rows of 1 KB are acknowledged"
    local deadline=$((SECONDS + 20))
    while ! grep -q 'checkpoint complete' "$log" && ((SECONDS < deadline)); do sleep 0.1; done
    if grep -q 'checkpoint complete' "$log"; then
        ok "cpsize: a checkpoint ran on its own: $(grep 'checkpoint complete' "$log" | sed 's/^strand LOG:  //' | paste -sd ';')"
    else
        not_ok "cpsize: a checkpoint ran on its own" "$(tail -n 15 "$log")"
    fi
    server_crash
    if ! server_start "$data" "$dir/start.log"; then
        not_ok "cpsize: strand restarts" "exit: $START_STATUS" "$(tail -n 15 "$dir/start.log")"
        return
    fi
    ok "cpsize: strand restarts: $(grep -E 'loaded snapshot|redo done' "$dir/start.log" | sed -e 's/^strand LOG:  //' -e "s|$data/||" | paste -sd ';')"
    check_ids "cpsize: all 1500 rows are there" "$(seq_line 1 1500)" "$(ids)"
    stop_clean "cpsize" "$dir/start.log"
    no_sanitizer_reports "cpsize" "$log" "$dir/start.log"
}

# Both snapshots corrupt after checkpoints removed the WAL's first segment.
BIG_STATEMENTS=240 BIG_ROWS=100

scenario_snapshots_big() {
    local dir=$work/snapbig base=$work/snapbig/base snaps log data before after want_n got
    mkdir -p "$dir"
    note "---- 3c. corrupt snapshots after the WAL's first segment is gone (max_wal_size=2, ~24 MiB) ----"
    gen_load "$dir/load.sql" "$BIG_STATEMENTS" "$BIG_ROWS"
    if ! server_start "$base" "$dir/setup.log" -c max_wal_size=2; then
        not_ok "snapbig: strand starts with max_wal_size=2" "exit: $START_STATUS" "$(tail -n 15 "$dir/setup.log")"
        return
    fi
    sql "CREATE TABLE t (id int PRIMARY KEY, v text)"
    sql_file "$dir/load.sql"
    if ((RC != 0)); then
        not_ok "snapbig: $BIG_STATEMENTS commits of $BIG_ROWS rows of 1 KB are acknowledged" "$(tail -n 5 <<<"$OUT")"
        server_crash
        return
    fi
    ok "snapbig: $BIG_STATEMENTS commits of $BIG_ROWS rows of 1 KB are acknowledged"
    sql "CHECKPOINT"
    sql "CHECKPOINT"
    check "snapbig: two more CHECKPOINTs" "CHECKPOINT" "$OUT"
    server_crash
    mapfile -t snaps < <(find "$base/snapshots" -name '*.snap' | sort)
    if ((${#snaps[@]} != 2)) || [[ -e "$base/wal/$SEG1" ]]; then
        not_ok "snapbig: two snapshots, and the first segment was removed" "$(ls -l "$base/snapshots" "$base/wal")"
        return
    fi
    ok "snapbig: two snapshots ($(basename "${snaps[0]}"), $(basename "${snaps[1]}")), and the first segment was removed"
    want_n=$((BIG_STATEMENTS * BIG_ROWS))

    # The newest corrupt: the older one and the WAL kept for it suffice.
    data=$dir/newest/data log=$dir/newest/start.log
    mkdir -p "$dir/newest"
    cp -a "$base" "$data"
    pytool flip "$data/snapshots/$(basename "${snaps[1]}")" $(($(stat -c %s "${snaps[1]}") / 2)) 4
    if server_start "$data" "$log"; then
        ok "snapbig newest: strand starts"
        if grep -q 'skipping snapshot ".*'"$(basename "${snaps[1]}")"'": ' "$log" &&
            grep -q 'loaded snapshot ".*'"$(basename "${snaps[0]}")"'": ' "$log"; then
            ok "snapbig newest: the newest snapshot is skipped, the older one loaded"
        else
            not_ok "snapbig newest: the newest snapshot is skipped, the older one loaded" "$(head -n 10 "$log")"
        fi
        got=$(ids)
        check_ids "snapbig newest: all $want_n rows are there" "$(seq_line 1 "$want_n")" "$got"
        stop_clean "snapbig newest" "$log"
    else
        not_ok "snapbig newest: strand starts" "exit: $START_STATUS" "$(tail -n 15 "$log")"
    fi
    no_sanitizer_reports "snapbig newest" "$log"

    # Both corrupt: nothing can rebuild the rows before the older snapshot.
    data=$dir/both/data log=$dir/both/start.log
    mkdir -p "$dir/both"
    cp -a "$base" "$data"
    pytool flip "$data/snapshots/$(basename "${snaps[1]}")" $(($(stat -c %s "${snaps[1]}") / 2)) 4
    pytool flip "$data/snapshots/$(basename "${snaps[0]}")" $(($(stat -c %s "${snaps[0]}") / 2)) 4
    before=$(cd "$data" && find . -type f ! -name strand.pid -printf '%p %s\n' | sort && cat snapshots/*.snap wal/* | md5sum)
    if server_start "$data" "$log"; then
        got=$(ids)
        if [[ "$got" == "$(seq_line 1 "$want_n")" ]]; then
            ok "snapbig both: strand started and recovered every row (unexpected, but nothing is lost)"
            note "snapbig both: strand RECOVERED everything"
        else
            check_ids "snapbig both: strand must not start and silently lose acknowledged rows" \
                "$(seq_line 1 "$want_n")" "$got"
        fi
        server_crash
        return
    fi
    local errs
    # The last attempt's lines only: an attempt that lost its port (another
    # test took it) is retried by server_start and says so.
    errs=$(awk '/^== attempt [0-9]+ lost its port/ { n = 0; next } { line[n++] = $0 }
                END { for (i = 0; i < n; i++) print line[i] }' "$log" | grep -v -e '^strand LOG: ' -e '^strand WARNING: ')
    if [[ $START_STATUS != running && $START_STATUS != 0 ]] && (($(wc -l <<<"$errs") == 1)) &&
        [[ "$errs" == "strand: could not recover: the write-ahead log from 0/1000000 is gone and no snapshot is readable" ]]; then
        ok "snapbig both: strand refuses to start (exit $START_STATUS) with one error line: $errs"
        note "snapbig both: both snapshots corrupt and the WAL before them removed: strand REFUSED to start"
    else
        not_ok "snapbig both: strand refuses to start with one clear error line" "exit: $START_STATUS" "$(cat "$log")"
    fi
    if grep -q 'skipping snapshot ".*'"$(basename "${snaps[1]}")"'": ' "$log" &&
        grep -q 'skipping snapshot ".*'"$(basename "${snaps[0]}")"'": ' "$log"; then
        ok "snapbig both: the log says why each snapshot was skipped"
    else
        not_ok "snapbig both: the log says why each snapshot was skipped" "$(cat "$log")"
    fi
    after=$(cd "$data" && find . -type f ! -name strand.pid -printf '%p %s\n' | sort && cat snapshots/*.snap wal/* | md5sum)
    check "snapbig both: the refused start left the snapshots and the WAL as they were (strand.pid aside)" \
        "$before" "$after"
    no_sanitizer_reports "snapbig both" "$log"
}

# =============================================================================
# 4. A second server on the same folder
# =============================================================================

scenario_lock() {
    local dir=$work/lock data=$work/lock/data port2 status errs first_pid
    mkdir -p "$dir"
    note "---- 4. a second strand on the folder of a running one ----"
    if ! server_start "$data" "$dir/first.log"; then
        not_ok "lock: the first strand starts" "exit: $START_STATUS" "$(tail -n 15 "$dir/first.log")"
        return
    fi
    first_pid=$STRAND_PID
    sql "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'one')"
    port2=$(test_pick_port) || return
    ports+=("$port2")
    timeout 20 "$bin" start --data "$data" --port "$port2" --listen 127.0.0.1 </dev/null >"$dir/second.out" 2>"$dir/second.err" &
    SECOND_PID=$!
    status=0
    wait "$SECOND_PID" || status=$?
    SECOND_PID=
    errs=$(grep -v '^$' "$dir/second.err")
    if ((status != 0 && status != 124)) && (($(wc -l <<<"$errs") == 1)) &&
        [[ "$errs" == "strand: data folder \"$data\" is in use by another strand server (pid $first_pid)" ]]; then
        ok "lock: a second strand exits $status with one line: $errs"
    else
        not_ok "lock: a second strand exits non-zero with one line naming the running one (pid $first_pid)" \
            "exit status $status (124: still running after 20 s); stderr:" "$(cat "$dir/second.err")" \
            "stdout:" "$(cat "$dir/second.out")"
    fi
    if test_port_busy "$port2"; then
        not_ok "lock: the second strand does not listen on its port"
    else
        ok "lock: the second strand does not listen on its port"
    fi
    check "lock: strand.pid still names the first" "$first_pid" "$(tr -d '[:space:]' <"$data/strand.pid")"
    sql "INSERT INTO t VALUES (2, 'two')"
    check "lock: the first strand still commits" "INSERT 0 1" "$OUT"
    check "lock: and reads" "1 2" "$(ids)"
    server_crash
    if server_start "$data" "$dir/after.log"; then
        ok "lock: once the first is killed, its stale strand.pid does not block a new start"
        check "lock: the new one has both rows" "1 2" "$(ids)"
        stop_clean "lock" "$dir/after.log"
    else
        not_ok "lock: once the first is killed, its stale strand.pid does not block a new start" \
            "exit: $START_STATUS" "$(tail -n 15 "$dir/after.log")"
    fi
    no_sanitizer_reports "lock" "$dir/first.log" "$dir/second.err" "$dir/after.log"
}

for s in ${WAL_CORRUPTION_SCENARIOS:-torn middle snapshots checkpoint_size snapshots_big lock}; do
    "scenario_$s"
done

tap_summary
