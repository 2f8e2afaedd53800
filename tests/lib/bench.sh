# shellcheck shell=bash
# What every benchmark in tests/bench/ starts with, sourced once the script
# has set `here` (its folder): the server and PostgreSQL helpers, a clean
# client environment, `pgbench` (PostgreSQL 15's, else the one on PATH), a
# work folder `work`, and a trap that stops both servers and removes it
# (a script may set its own trap after this).
# shellcheck source=server.sh
source "$here/../lib/server.sh"
# shellcheck source=postgres.sh
source "$here/../lib/postgres.sh"
test_clean_client_env
# Plaintext unless a benchmark says otherwise: strand answers SSLRequest
# with TLS, the throwaway PostgreSQL does not, and libpq's default
# (sslmode=prefer) would compare TLS with plaintext.
export PGSSLMODE=disable
pgbench=$PG_BIN/pgbench
[[ -x "$pgbench" ]] || pgbench=pgbench
work=$(mktemp -d "${TMPDIR:-/tmp}/strand-bench.XXXXXX")
trap 'strand_stop >/dev/null 2>&1 || true; strand_cleanup; pg_cleanup; rm -rf "$work"' EXIT
