# shellcheck shell=bash
# The one definition of how a spec is run through the isolation tester,
# shared by run.sh (against strand, or a throwaway PostgreSQL with --pg) and
# make-expected.sh (against PostgreSQL 15), so the two cannot drift apart.
# Defines functions only.

ISO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/server.sh
source "$ISO_DIR/../lib/server.sh"

# Usage: iso_build_tester OUTPUT-BINARY
# Compiles isolation_tester.c with the flags the CMake build uses.
iso_build_tester() {
    local cflags libs
    cflags=$(pkg-config --cflags libpq 2>/dev/null || echo "-I$(pg_config --includedir)")
    libs=$(pkg-config --libs libpq 2>/dev/null || echo "-lpq")
    # shellcheck disable=SC2086
    "${CC:-cc}" -std=gnu11 -O2 -Wall -Wextra -Werror -Wno-unused-parameter $cflags \
        -o "$1" "$ISO_DIR/isolation_tester.c" $libs
}

# Usage: iso_run_spec TESTER PORT MODE NAME OUTFILE   (server on 127.0.0.1:PORT)
# MODE is the tester's --blocked mode (pg for PostgreSQL, roundtrip for
# strand). Stdout (the transcript) goes to OUTFILE, stderr stays stderr.
# Returns the tester's exit status (124 when it hit ISOLATION_TEST_TIMEOUT,
# default 300 s).
iso_run_spec() {
    local tester=$1 port=$2 mode=$3 name=$4 out=$5
    (
        test_clean_client_env
        timeout "${ISOLATION_TEST_TIMEOUT:-300}" "$tester" --blocked="$mode" "$ISO_DIR/specs/$name.spec" \
            "host=127.0.0.1 port=$port user=postgres dbname=postgres" >"$out"
    )
}
