#!/usr/bin/env bash
# Usage: tests/integration/with-server.sh STRAND-BINARY TEST-BINARY [ARGS...]
# Starts strand on a free port with a temporary data folder, runs the test
# program with PGHOST / PGPORT / PGUSER / PGDATABASE pointing at it (and
# STRAND_SOCKET_DIR=/tmp for Unix-socket connections), then stops strand.
# Fails if the test fails or strand is not running at the end.
set -uo pipefail

if (($# < 2)); then
    echo "usage: $0 STRAND-BINARY TEST-BINARY [ARGS...]" >&2
    exit 2
fi
bin=$1
test_bin=$2
shift 2
source "$(dirname "${BASH_SOURCE[0]}")/../lib/server.sh"
test_clean_client_env

trap strand_cleanup EXIT
if ! strand_start "$bin"; then
    strand_log_tail
    exit 1
fi

status=0
(
    export PGHOST=127.0.0.1 PGPORT=$STRAND_PORT PGUSER=postgres PGDATABASE=postgres
    export STRAND_SOCKET_DIR=/tmp STRAND_DATA=$STRAND_TMP/data
    exec timeout "${INTEGRATION_TEST_TIMEOUT:-120}" "$test_bin" "$@"
) || status=$?
if ((status == 124)); then
    echo "$(basename "$test_bin") timed out after ${INTEGRATION_TEST_TIMEOUT:-120} s" >&2
fi
if ! strand_stop; then
    status=1
fi
if ((status != 0)); then
    strand_log_tail
    exit 1
fi
