# shellcheck shell=bash
# The one definition of how a golden file is run through psql, shared by
# run.sh (against strand) and make-expected.sh (against PostgreSQL 15), so
# the two can never drift apart. Defines functions only.
#
# The file goes to psql on stdin, not with -f: psql then prints errors as
# "ERROR:  ..." without a "psql:FILE:LINE:" prefix (as pg_regress does).
# -a echoes each input line, -X skips ~/.psqlrc; stdout and stderr go to
# one file, in the order psql writes them.
#
# A file may crash the server and start it again with `\! $SQL_RESTART`
# followed by `\c` (tests/lib/crash-restart.sh; the caller exports its
# RESTART_* settings): strand is killed, PostgreSQL shut down immediately.

SQL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib/server.sh
source "$SQL_DIR/../lib/server.sh"

# Usage: sql_run_file PORT NAME OUTFILE   (server on 127.0.0.1:PORT)
# Returns psql's exit status (124 when it hit SQL_TEST_TIMEOUT, default 60 s).
sql_run_file() {
    local port=$1 name=$2 out=$3
    (
        test_clean_client_env
        export SQL_RESTART=$SQL_DIR/../lib/crash-restart.sh
        timeout "${SQL_TEST_TIMEOUT:-60}" "$PSQL" -X -a -h 127.0.0.1 -p "$port" -U postgres -d postgres \
            <"$SQL_DIR/$name.sql" >"$out" 2>&1
    )
}
