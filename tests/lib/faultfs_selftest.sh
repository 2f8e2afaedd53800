#!/usr/bin/env bash
# faultfs_selftest: checks the fault-injection library tests/lib/faultfs.c
# through tests/lib/faultfs_probe.c (both built by CMake; this script compiles
# nothing): each control-file directive does what it says to files under a
# /wal/ folder, files elsewhere are never touched, changes to the control file
# are seen by a running program, descriptors that are closed, reused or renamed
# are looked up again, counts are exact under threads, and each fault is
# logged once.
# Usage: faultfs_selftest.sh LIBFAULTFS_SO FAULTFS_PROBE
# Prints "ok N - ..." / "not ok N - ..." and "N passed, N failed"; exits 1 if
# anything failed.
set -uo pipefail

if (($# != 2)); then
    echo "usage: $0 LIBFAULTFS_SO FAULTFS_PROBE" >&2
    exit 2
fi
so=$(realpath "$1") || exit 2
probe=$(realpath "$2") || exit 2
for f in "$so" "$probe"; do
    [[ -f "$f" ]] || {
        echo "$0: no such file: $f" >&2
        exit 2
    }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/faultfs-selftest.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
D=$work/data    # the "data folder"
W=$D/wal        # matches FAULTFS_MATCH=/wal/
O=$D/other      # does not
ctl=$work/faults # the control file (outside /wal/)
errf=$work/stderr

# A sanitizer-built probe refuses a preloaded library ahead of its runtime
# unless told not to check.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

passed=0 failed=0 n=0
report() { # report OK DESCRIPTION
    n=$((n + 1))
    if [[ $1 == 1 ]]; then
        echo "ok $n - $2"
        passed=$((passed + 1))
    else
        echo "not ok $n - $2"
        failed=$((failed + 1))
    fi
}

reset_dirs() {
    rm -rf "$D"
    mkdir -p "$W" "$O"
}

# set_control TEXT: "-" removes the control file, otherwise it holds TEXT
# with ';' as the line separator ("" makes it empty).
set_control() {
    rm -f "$ctl"
    [[ "$1" == - ]] && return 0
    if [[ -z "$1" ]]; then
        : >"$ctl"
    else
        printf '%s\n' "$1" | tr ';' '\n' >"$ctl"
    fi
}

# The probe's environment: MATCH (default /wal/; "unset" leaves it out) and
# VERBOSE (empty by default).
MATCH=/wal/
VERBOSE=
run_probe() {
    local env=(LD_PRELOAD="$so" FAULTFS_CONTROL="$ctl")
    [[ "$MATCH" != unset ]] && env+=(FAULTFS_MATCH="$MATCH")
    [[ -n "$VERBOSE" ]] && env+=(FAULTFS_VERBOSE="$VERBOSE")
    (
        # Descriptors a test runner left open would shift the probe's numbers.
        for f in /proc/"$BASHPID"/fd/*; do
            fd=${f##*/}
            if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null; fi
        done
        exec env "${env[@]}" "$probe" "$@"
    ) 2>"$errf"
}

# check_case DESCRIPTION CONTROL OPS... <<EOF
#   the probe's expected stdout
#   ## stderr            (optional: without it stderr must be empty)
#   the expected stderr
# EOF
check_case() {
    local what=$1 control=$2 expected want_out want_err out err status
    shift 2
    expected=$(cat)
    if [[ "$expected" == *"## stderr"* ]]; then
        want_out=${expected%%$'\n'"## stderr"*}
        want_err=${expected#*"## stderr"$'\n'}
    else
        want_out=$expected
        want_err=
    fi
    reset_dirs
    set_control "$control"
    out=$(run_probe "$@")
    status=$?
    err=$(cat "$errf")
    if ((status == 0)) && [[ "$out" == "$want_out" && "$err" == "$want_err" ]]; then
        report 1 "$what"
    else
        report 0 "$what"
        echo "#   control: $control   operations: $*   exit status: $status"
        diff <(echo "$want_out") <(echo "$out") | sed 's/^/#   stdout: /'
        diff <(echo "$want_err") <(echo "$err") | sed 's/^/#   stderr: /'
    fi
}

check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then report 1 "$what"; else report 0 "$what"; fi
}

ALL_OPS=(write:100 pwrite:100 writev:100 pwritev:100 fdatasync fsync sync_file_range size)
ALL_OK="write 100 -> 100
pwrite 100 -> 100
writev 100 -> 100
pwritev 100 -> 100
fdatasync -> 0
fsync -> 0
sync_file_range -> 0
size -> 400"

# ---- no faults ----

check_case "no control file: writes and syncs under /wal/ succeed, nothing logged" - \
    "open:$W/f" "${ALL_OPS[@]}" <<EOF
open -> fd base+0
$ALL_OK
EOF

check_case "an empty control file means no faults" "" "open:$W/f" "${ALL_OPS[@]}" <<EOF
open -> fd base+0
$ALL_OK
EOF

check_case "a control file of comments and blank lines means no faults" "# nothing;;   ;# write=EIO" \
    "open:$W/f" "${ALL_OPS[@]}" <<EOF
open -> fd base+0
$ALL_OK
EOF

MATCH="unset"
check_case "FAULTFS_MATCH unset: write=EIO touches nothing" "write=EIO" "open:$W/f" "${ALL_OPS[@]}" <<EOF
open -> fd base+0
$ALL_OK
EOF
MATCH=/wal/

reset_dirs
set_control "write=EIO"
out=$(env LD_PRELOAD="$so" "$probe" "open:$W/f" "${ALL_OPS[@]}" 2>"$errf")
ok=0
[[ "$out" == "open -> fd base+0"$'\n'"$ALL_OK" && ! -s "$errf" ]] && ok=1
report $ok "preloaded without any FAULTFS_ variable: a plain pass-through"

# ---- write=EIO / write=ENOSPC ----

check_case "write=EIO: write, pwrite, writev, pwritev fail with EIO; syncs succeed; logged once" "write=EIO" \
    "open:$W/f" "${ALL_OPS[@]}" <<EOF
open -> fd base+0
write 100 -> -1 EIO
pwrite 100 -> -1 EIO
writev 100 -> -1 EIO
pwritev 100 -> -1 EIO
fdatasync -> 0
fsync -> 0
sync_file_range -> 0
size -> 0
## stderr
faultfs: write to $W/f failed with EIO (injected)
EOF

check_case "write=EIO: a file outside /wal/ is untouched" "write=EIO" "open:$O/f" "${ALL_OPS[@]}" <<EOF
open -> fd base+0
$ALL_OK
EOF

check_case "write=ENOSPC: every write-type call fails with ENOSPC" "write=ENOSPC" \
    "open:$W/f" write:10 pwrite:10 writev:10 pwritev:10 pwritev2_dsync:10 fdatasync size "open:$O/g" write:10 <<EOF
open -> fd base+0
write 10 -> -1 ENOSPC
pwrite 10 -> -1 ENOSPC
writev 10 -> -1 ENOSPC
pwritev 10 -> -1 ENOSPC
pwritev2_dsync 10 -> -1 ENOSPC
fdatasync -> 0
size -> 0
open -> fd base+0
write 10 -> 10
## stderr
faultfs: write to $W/f failed with ENOSPC (injected)
EOF

check_case "write=28 (a number, with a trailing comment) is ENOSPC" "write=28   # full disk" \
    "open:$W/f" write:10 <<EOF
open -> fd base+0
write 10 -> -1 ENOSPC
## stderr
faultfs: write to $W/f failed with ENOSPC (injected)
EOF

VERBOSE=1
check_case "FAULTFS_VERBOSE=1 logs every injected fault" "write=EIO" "open:$W/f" write:1 write:1 pwrite:1 <<EOF
open -> fd base+0
write 1 -> -1 EIO
write 1 -> -1 EIO
pwrite 1 -> -1 EIO
## stderr
faultfs: write to $W/f failed with EIO (injected)
faultfs: write to $W/f failed with EIO (injected)
faultfs: pwrite to $W/f failed with EIO (injected)
EOF
VERBOSE=

check_case "without it, one line per file (and another for each new file)" "write=EIO" \
    "open:$W/f" write:1 write:1 "open:$W/g" write:1 "open:$W/f" pwrite:1 <<EOF
open -> fd base+0
write 1 -> -1 EIO
write 1 -> -1 EIO
open -> fd base+0
write 1 -> -1 EIO
open -> fd base+0
pwrite 1 -> -1 EIO
## stderr
faultfs: write to $W/f failed with EIO (injected)
faultfs: write to $W/g failed with EIO (injected)
EOF

# ---- sync=EIO ----

check_case "sync=EIO: fsync, fdatasync, sync_file_range fail; writes succeed; other files untouched" "sync=EIO" \
    "open:$W/f" write:10 fdatasync fsync sync_file_range size "open:$O/g" write:10 fdatasync fsync <<EOF
open -> fd base+0
write 10 -> 10
fdatasync -> -1 EIO
fsync -> -1 EIO
sync_file_range -> -1 EIO
size -> 10
open -> fd base+0
write 10 -> 10
fdatasync -> 0
fsync -> 0
## stderr
faultfs: fdatasync of $W/f failed with EIO (injected)
EOF

check_case "sync=EIO: writes to an O_DSYNC file and pwritev2(RWF_DSYNC) fail too" "sync=EIO" \
    "open_dsync:$W/d" write:10 pwrite:10 "open:$W/f" write:10 pwritev2_dsync:10 size <<EOF
open_dsync -> fd base+0
write 10 -> -1 EIO
pwrite 10 -> -1 EIO
open -> fd base+0
write 10 -> 10
pwritev2_dsync 10 -> -1 EIO
size -> 10
## stderr
faultfs: write of $W/d failed with EIO (injected)
faultfs: pwritev2 of $W/f failed with EIO (injected)
EOF

check_case "sync=EIO: fsync of the wal/ folder itself fails, of another folder succeeds" "sync=EIO" \
    "opendir:$W" fsync "opendir:$O" fsync "opendir:$D" fsync <<EOF
opendir -> fd base+0
fsync -> -1 EIO
opendir -> fd base+0
fsync -> 0
opendir -> fd base+0
fsync -> 0
## stderr
faultfs: fsync of $W failed with EIO (injected)
EOF

# ---- after= and times= ----

check_case "write=ENOSPC after=3: three writes succeed, then every one fails" "write=ENOSPC after=3" \
    "open:$W/f" write:10 pwrite:10 writev:10 write:10 write:10 "open:$O/g" write:10 <<EOF
open -> fd base+0
write 10 -> 10
pwrite 10 -> 10
writev 10 -> 10
write 10 -> -1 ENOSPC
write 10 -> -1 ENOSPC
open -> fd base+0
write 10 -> 10
## stderr
faultfs: write to $W/f failed with ENOSPC (injected)
EOF

check_case "sync=EIO times=1: one failed fdatasync, then they succeed (a transient error)" "sync=EIO times=1" \
    "open:$W/f" fdatasync fdatasync fsync <<EOF
open -> fd base+0
fdatasync -> -1 EIO
fdatasync -> 0
fsync -> 0
## stderr
faultfs: fdatasync of $W/f failed with EIO (injected)
EOF

check_case "write=EIO after=1 times=2: ok, fail, fail, ok" "write=EIO after=1 times=2" \
    "open:$W/f" write:1 write:1 write:1 write:1 <<EOF
open -> fd base+0
write 1 -> 1
write 1 -> -1 EIO
write 1 -> -1 EIO
write 1 -> 1
## stderr
faultfs: write to $W/f failed with EIO (injected)
EOF

check_case "write= and sync= together, each with its own count" "write=ENOSPC after=1;sync=EIO after=1" \
    "open:$W/f" write:5 fdatasync write:5 fdatasync <<EOF
open -> fd base+0
write 5 -> 5
fdatasync -> 0
write 5 -> -1 ENOSPC
fdatasync -> -1 EIO
## stderr
faultfs: write to $W/f failed with ENOSPC (injected)
faultfs: fdatasync of $W/f failed with EIO (injected)
EOF

# ---- short writes ----

check_case "short: write-type calls write half; a 1-byte write is whole; other files untouched" "short" \
    "open:$W/f" write:100 pwrite:7 writev:100 pwritev:10 write:1 size "open:$O/g" write:100 <<EOF
open -> fd base+0
write 100 -> 50
pwrite 7 -> 3
writev 100 -> 50
pwritev 10 -> 5
write 1 -> 1
size -> 109
open -> fd base+0
write 100 -> 100
## stderr
faultfs: write to $W/f cut short to 50 of 100 bytes (injected)
EOF

check_case "short after=1 times=1: only the second write is cut" "short after=1 times=1" \
    "open:$W/f" write:10 write:10 write:10 size <<EOF
open -> fd base+0
write 10 -> 10
write 10 -> 5
write 10 -> 10
size -> 25
## stderr
faultfs: write to $W/f cut short to 5 of 10 bytes (injected)
EOF

# ---- alloc= and open= ----

check_case "alloc=ENOSPC: fallocate, posix_fallocate, ftruncate fail; writes succeed" "alloc=ENOSPC" \
    "open:$W/f" fallocate:4096 posix_fallocate:4096 ftruncate:10 write:10 size "open:$O/g" fallocate:4096 \
    posix_fallocate:4096 ftruncate:10 <<EOF
open -> fd base+0
fallocate 4096 -> -1 ENOSPC
posix_fallocate 4096 -> ENOSPC
ftruncate 10 -> -1 ENOSPC
write 10 -> 10
size -> 10
open -> fd base+0
fallocate 4096 -> 0
posix_fallocate 4096 -> 0
ftruncate 10 -> 0
## stderr
faultfs: fallocate of $W/f failed with ENOSPC (injected)
EOF

check_case "open=ENOSPC: open, openat (relative path) and creat under /wal/ fail; elsewhere they work" \
    "open=ENOSPC" "open:$W/new" "openat:$D:wal/new2" "creat:$W/new3" "open:$O/new" "openat:$D:other/new2" <<EOF
open -> -1 ENOSPC
openat -> -1 ENOSPC
creat -> -1 ENOSPC
open -> fd base+0
openat -> fd base+1
## stderr
faultfs: open of $W/new failed with ENOSPC (injected)
faultfs: openat of $D/wal/new2 failed with ENOSPC (injected)
faultfs: creat of $W/new3 failed with ENOSPC (injected)
EOF
check "and open=ENOSPC created nothing under /wal/" test -z "$(ls -A "$W")"

# ---- changes while running ----

check_case "the control file is re-read when it changes: none, write=EIO, empty, sync=EIO, missing" - \
    "open:$W/f" write:10 "ctl:write=EIO" write:10 fdatasync "ctl:" write:10 "ctl:sync=EIO" write:10 fdatasync \
    "rename:$ctl:$work/away" write:10 fdatasync size <<EOF
open -> fd base+0
write 10 -> 10
ctl -> ok
write 10 -> -1 EIO
fdatasync -> 0
ctl -> ok
write 10 -> 10
ctl -> ok
write 10 -> 10
fdatasync -> -1 EIO
rename -> 0
write 10 -> 10
fdatasync -> 0
size -> 40
## stderr
faultfs: write to $W/f failed with EIO (injected)
faultfs: fdatasync of $W/f failed with EIO (injected)
EOF

reset_dirs
printf 'write=EIO\n' >"$work/next"
set_control -
: >"$ctl"
out=$(run_probe "open:$W/f" write:10 "rename:$work/next:$ctl" write:10)
ok=0
[[ "$out" == $'open -> fd base+0\nwrite 10 -> 10\nrename -> 0\nwrite 10 -> -1 EIO' ]] && ok=1
report $ok "a control file replaced by rename() is seen at once"

check_case "counts restart when the file is re-read (after=1 twice)" "write=EIO after=1" \
    "open:$W/f" write:1 write:1 "ctl:write=EIO  after=1" write:1 write:1 <<EOF
open -> fd base+0
write 1 -> 1
write 1 -> -1 EIO
ctl -> ok
write 1 -> 1
write 1 -> -1 EIO
## stderr
faultfs: write to $W/f failed with EIO (injected)
faultfs: write to $W/f failed with EIO (injected)
EOF

check_case "a line faultfs does not understand is reported and skipped" "bogus=1;write=EIO after=x;sync=EIO" \
    "open:$W/f" write:1 fdatasync <<EOF
open -> fd base+0
write 1 -> 1
fdatasync -> -1 EIO
## stderr
faultfs: ignoring control line "bogus=1" ($ctl)
faultfs: ignoring control line "write=EIO after=x" ($ctl)
faultfs: fdatasync of $W/f failed with EIO (injected)
EOF

# ---- descriptors: reuse, renames ----

check_case "a descriptor closed and reused for another file is looked up again (close, then syscall close)" \
    "write=EIO" "open:$W/f" write:1 close "open:$O/g" write:1 "open:$W/f" write:1 sysclose "open:$O/h" write:1 \
    "open:$W/i" sysclose "open:$W/i" write:1 <<EOF
open -> fd base+0
write 1 -> -1 EIO
close -> 0
open -> fd base+0
write 1 -> 1
open -> fd base+0
write 1 -> -1 EIO
sysclose -> 0
open -> fd base+0
write 1 -> 1
open -> fd base+0
sysclose -> 0
open -> fd base+0
write 1 -> -1 EIO
## stderr
faultfs: write to $W/f failed with EIO (injected)
faultfs: write to $W/i failed with EIO (injected)
EOF

check_case "a descriptor dup2()ed from a /wal/ file fails too, one from another file does not" "write=EIO" \
    "open:$O/g" write:1 dup2:6 write:1 "open:$W/f" dup2:6 write:1 <<EOF
open -> fd base+0
write 1 -> 1
dup2 -> fd base+6
write 1 -> 1
open -> fd base+0
dup2 -> fd base+6
write 1 -> -1 EIO
## stderr
faultfs: write to $W/f failed with EIO (injected)
EOF

check_case "a file renamed into /wal/ starts failing, one renamed out stops" "write=EIO" \
    "open:$O/r" write:1 "rename:$O/r:$W/r" write:1 "open:$W/s" write:1 "rename:$W/s:$O/s" write:1 <<EOF
open -> fd base+0
write 1 -> 1
rename -> 0
write 1 -> -1 EIO
open -> fd base+0
write 1 -> -1 EIO
rename -> 0
write 1 -> 1
## stderr
faultfs: write to $W/r failed with EIO (injected)
faultfs: write to $W/s failed with EIO (injected)
EOF

# ---- threads ----

check_case "threads: write=EIO after=1000 with 8 threads x 500 writes lets exactly 1000 through" \
    "write=EIO after=1000" "open:$W/f" threads:8:500 size <<EOF
open -> fd base+0
threads 8x500 -> ok=1000 failed=3000 EIO
size -> 10000
## stderr
faultfs: write to $W/f failed with EIO (injected)
EOF

check_case "threads: short times=100 cuts exactly 100 of 4000 writes" "short times=100" \
    "open:$W/f" threads:8:500 size <<EOF
open -> fd base+0
threads 8x500 -> ok=3900 failed=100
size -> 39500
## stderr
faultfs: write to $W/f cut short to 5 of 10 bytes (injected)
EOF

# ---- a real program (dd: cp would use copy_file_range, which faultfs does not see) ----

reset_dirs
set_control "write=ENOSPC"
echo hello >"$work/src"
env LD_PRELOAD="$so" FAULTFS_MATCH=/wal/ FAULTFS_CONTROL="$ctl" dd if="$work/src" of="$W/copy" status=none 2>"$errf"
status=$?
ok=0
((status != 0)) && grep -q 'No space left on device' "$errf" && grep -q 'failed with ENOSPC (injected)' "$errf" && ok=1
report $ok "dd into /wal/ under write=ENOSPC fails with \"No space left on device\""
env LD_PRELOAD="$so" FAULTFS_MATCH=/wal/ FAULTFS_CONTROL="$ctl" dd if="$work/src" of="$O/copy" status=none 2>"$errf"
status=$?
ok=0
((status == 0)) && cmp -s "$work/src" "$O/copy" && [[ ! -s "$errf" ]] && ok=1
report $ok "dd elsewhere works and copies the bytes"

echo "$passed passed, $failed failed"
((failed == 0))
