# shellcheck shell=bash
# TAP-style results for the shell tests (wal_faults.sh, wal_corruption.sh):
# "ok N - ..." / "not ok N - ..." with "#   " diagnostic lines, counted in
# n, passed and failed. Defines functions only.

n=0 passed=0 failed=0

ok() {
    n=$((n + 1))
    passed=$((passed + 1))
    echo "ok $n - $1"
}

not_ok() { # not_ok DESCRIPTION [DIAGNOSTIC...]
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
    shift
    local line l
    for line in "$@"; do
        [[ -n "$line" ]] || continue
        while IFS= read -r l; do echo "#   $l"; done <<<"$line"
    done
}

note() { echo "# $*"; }

# check DESCRIPTION WANT GOT
check() {
    if [[ "$2" == "$3" ]]; then ok "$1"; else not_ok "$1" "expected:" "$2" "got:" "$3"; fi
}

# The plan line and the closing count; fails if any check failed.
tap_summary() {
    echo "1..$n"
    echo "$passed passed, $failed failed"
    ((failed == 0))
}
