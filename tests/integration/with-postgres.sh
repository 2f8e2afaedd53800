#!/usr/bin/env bash
# Usage: tests/integration/with-postgres.sh STRAND-BINARY TEST-BINARY [ARGS...]
# Like with-server.sh, and a throwaway PostgreSQL 15 beside it for tests that
# compare the two: its port is in COMPARE_PORT (host 127.0.0.1, user
# postgres, database postgres).
set -uo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/../lib/server.sh"
source "$here/../lib/postgres.sh"
trap pg_cleanup EXIT
pg_start fsync=off >/dev/null || exit 1
COMPARE_PORT=$PG_PORT "$here/with-server.sh" "$@"
