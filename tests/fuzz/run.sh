#!/usr/bin/env bash
# Usage: tests/fuzz/run.sh [SECONDS]   (default FUZZ_SECONDS or 60)
# Builds the libFuzzer target fuzz_pgwire (clang, with ASan and UBSan) from
# pgwire's decoder and state machine and common/, then fuzzes it for SECONDS
# starting from the committed seed corpus tests/fuzz/corpus/pgwire (new
# inputs go to a temporary folder, not into the repository). Fails on any
# crash, leak, undefined behaviour or an input that runs over 10 s; the
# input that failed is left in the temporary folder and its path printed.
# A long run by hand: tests/fuzz/run.sh 3600
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-${FUZZ_SECONDS:-60}}
work=$(mktemp -d "${TMPDIR:-/tmp}/strand-fuzz.XXXXXX")
CC=${FUZZ_CC:-clang}

"$CC" -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$root" -o "$work/fuzz_pgwire" "$here/fuzz_pgwire.c" \
    "$root"/pgwire/conn.c "$root"/pgwire/codec.c "$root"/pgwire/scram.c \
    "$root"/common/{arena,error,strbuf,strmap,log}.c -lcrypto ||
    { echo "fuzz: build failed"; exit 1; }
mkdir -p "$work/corpus"
cd "$work" || exit 1
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ./fuzz_pgwire -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "$work/corpus" "$here/corpus/pgwire" >"$work/fuzz.log" 2>&1
status=$?
grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|ERROR|SUMMARY|Test unit written" "$work/fuzz.log"
grep -E "DONE +cov" "$work/fuzz.log" | tail -n 1
if ((status != 0)); then
    tail -n 40 "$work/fuzz.log"
    echo "fuzz: FAILED (kept in $work)"
    exit 1
fi
echo "fuzz: ok, ${seconds} s"
rm -rf "$work"
