#!/usr/bin/env bash
# apps: the three applications of tests/apps/ (chat, game, doc) published
# as modules with `strand publish` and driven with CALL from psql (issue
# "Reducers in C", acceptance 1; node-pg and psycopg2 drive them in
# tests/clients/). Also acceptance 2's module cases:
#   - the chat's client_connected / client_disconnected hooks mark each
#     connection's user online and offline;
#   - the game's scheduled tick moves the world in one transaction per
#     tick, keeps running after a restart (its schedule is a row), and
#     move_player enforces its bounds;
#   - the document rejects an edit based on a stale version;
#   - a module republished (8 times) while 4 clients call it: every call
#     succeeds and every message is there exactly once;
#   - a republish that does not compile leaves the old module running.
#
# Usage: apps.sh STRAND_BINARY
# Prints TAP lines and a final "N passed, N failed"; exits 1 if anything failed.
set -uo pipefail

if (($# != 1)); then
    echo "usage: $0 STRAND_BINARY" >&2
    exit 2
fi
bin=$(realpath "$1") || exit 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
apps=$(cd "$here/../apps" && pwd)
# shellcheck source=../lib/server.sh
source "$here/../lib/server.sh"
# shellcheck source=../lib/postgres.sh
source "$here/../lib/postgres.sh"
# shellcheck source=../lib/tap.sh
source "$here/../lib/tap.sh"
test_clean_client_env
work=$(mktemp -d "${TMPDIR:-/tmp}/strand-apps.XXXXXX")
trap 'strand_cleanup; rm -rf "$work"' EXIT

sql() {
    local args=() s
    for s in "$@"; do args+=(-c "$s"); done
    test_psql "$STRAND_PORT" -At -v VERBOSITY=default "${args[@]}" 2>&1 | sed -e 's/^psql:[^ ]* //' -e '/^LINE [0-9]*:/d' -e '/^ *^$/d'
}
publish() { PGHOST=127.0.0.1 PGPORT=$STRAND_PORT PGUSER=postgres "$bin" publish "$@" 2>&1; }

strand_start "$bin" || {
    strand_log_tail
    exit 1
}

for app in chat game doc; do
    out=$(publish "$apps/$app.c")
    check "strand publish $app.c" "published module $app from $apps/$app.c" "$out"
done
check "the modules' reducers are in strand_proc" "create_document|doc
edit_document|doc
join_game|game
move_player|game
send_message|chat
set_name|chat
tick|game" "$(sql "SELECT proname, promodule FROM strand_proc WHERE prokind = 'p' ORDER BY proname")"

# ---- chat ---------------------------------------------------------------------------------
out=$(sql "CALL set_name('ann')" "CALL send_message('hello')" "CALL send_message('')" \
    "SELECT u.name, u.online FROM chat_user u WHERE name = 'ann'" "SELECT body FROM chat_message ORDER BY id")
check "chat: set_name, send_message, an empty message refused" "CALL
CALL
ERROR:  messages must not be empty
ann|t
hello" "$out"
check "chat: a message's time is the transaction's (timestamptz, UTC)" "$(date -u +%Y-%m-%d)" \
    "$(sql "SELECT sent FROM chat_message WHERE body = 'hello'" | cut -c1-10)"
check "chat: the user of a connection that left is offline" "ann|f" \
    "$(sql "SELECT name, online FROM chat_user WHERE name = 'ann'")"
check "chat: every connection was a user, and only the current one is online" "1" \
    "$(sql "SELECT conn FROM chat_user WHERE online" | wc -l)"
check "chat: a name longer than 32 bytes is refused" "ERROR:  names are at most 32 bytes, not 40" \
    "$(sql "CALL set_name('$(printf 'x%.0s' {1..40})')")"

# ---- game ---------------------------------------------------------------------------------
out=$(sql "CALL join_game(1, 'ann')" "CALL move_player(1, 1, -1, NULL, NULL)" "CALL move_player(1, 2, 0, NULL, NULL)" \
    "CALL move_player(7, 1, 0, NULL, NULL)" "SELECT x, y FROM game_player")
check "game: move_player moves one square, refuses more and unknown players" "CALL
51|49
ERROR:  a move is one square, not (2, 0)
ERROR:  no player 7
51|49" "$out"
sql "CALL join_game(2, 'bob')" >/dev/null
for _ in $(seq 1 49); do sql "CALL move_player(2, 1, 0, NULL, NULL)" >/dev/null; done
check "game: the board's edge is enforced" "ERROR:  (100, 50) is off the board" \
    "$(sql "CALL move_player(2, 1, 0, NULL, NULL)")"
t1=$(sql "SELECT tick FROM game_world")
sleep 0.5
t2=$(sql "SELECT tick FROM game_world")
if ((t2 > t1 && t1 > 0)); then ok "game: the scheduled tick runs ($t1, then $t2)"; else not_ok "game: the scheduled tick runs" "$t1 then $t2"; fi
out=$(sql "BEGIN ISOLATION LEVEL REPEATABLE READ" "SELECT tick FROM game_world" "SELECT start, x FROM game_npc ORDER BY id" "COMMIT")
tick=$(sed -n 2p <<<"$out")
want=$(printf 'BEGIN\n%s\n%s|%s\n%s|%s\n%s|%s\nCOMMIT' "$tick" 10 $(((10 + tick) % 100)) 20 $(((20 + tick) % 100)) 30 $(((30 + tick) % 100)))
check "game: each tick moves the world in one transaction" "$want" "$out"

# ---- doc ---------------------------------------------------------------------------------
out=$(sql "CALL create_document(1, 'draft')" "CALL edit_document(1, 1, 'second', NULL)" \
    "CALL edit_document(1, 1, 'stale', NULL)" "CALL edit_document(1, 2, 'third', NULL)" \
    "SELECT version, body FROM doc_document" "SELECT version, body FROM doc_change ORDER BY version")
check "doc: edits move the version; an edit based on a stale one is rejected" "CALL
2
ERROR:  document 1 is at version 2, not 1
3
3|third
2|second
3|third" "$out"
check "doc: the rejection's SQLSTATE is 40001" "40001" \
    "$(test_psql "$STRAND_PORT" -At -v VERBOSITY=verbose -c "CALL edit_document(1, 1, 'x', NULL)" 2>&1 | sed -n 's/^ERROR:  \([0-9A-Z]*\):.*/\1/p')"

# ---- republishing -------------------------------------------------------------------------
pgbench=$PG_BIN/pgbench
[[ -x "$pgbench" ]] || pgbench=pgbench
echo "CALL send_message('during republish');" >"$work/send.sql"
"$pgbench" -n -c 4 -j 2 -T 3 -f "$work/send.sql" -h 127.0.0.1 -p "$STRAND_PORT" -U postgres postgres \
    >"$work/pgbench.out" 2>&1 &
bench=$!
republished=0
for i in $(seq 1 8); do
    { cat "$apps/chat.c"; echo "/* republished $i */"; } >"$work/chat.c"
    [[ "$(publish "$work/chat.c")" == "published module chat from $work/chat.c" ]] && republished=$((republished + 1))
    sleep 0.2
done
wait "$bench"
calls=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/pgbench.out")
bench_failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/pgbench.out")
stored=$(sql "SELECT id FROM chat_message WHERE body = 'during republish'" | wc -l)
if ((republished == 8)) && [[ -n "$calls" && "$calls" -gt 0 && "${bench_failed:-0}" == 0 && "$stored" == "$calls" ]]; then
    ok "republished 8 times during $calls calls from 4 clients: none failed, each message stored once"
else
    not_ok "republish while calls run" "republished $republished of 8; calls $calls, failed ${bench_failed:-?}, stored $stored" \
        "$(tail -5 "$work/pgbench.out")"
fi
check "the module's code is the last one published" "1" \
    "$(sql "SELECT proname FROM strand_proc WHERE proname = 'chat'" | wc -l)"
{ cat "$apps/game.c"; echo "static void broken(strand_ctx *ctx) { undeclared(); }"; } >"$work/game.c"
out=$(publish --name game "$work/game.c")
check "a republish that does not compile is refused" \
    "strand publish: ERROR:  module \"game\" calls \"undeclared\", which reducers may not use
HINT:  Reducers may call strand.h's functions and the C library's string, memory, character, formatting and math functions." \
    "$out"
check "... and the old module goes on" "51|50
51|50" "$(sql "CALL move_player(1, 0, 1, NULL, NULL)" "SELECT x, y FROM game_player WHERE id = 1")"

# ---- a restart -------------------------------------------------------------------------------
before=$(sql "SELECT tick FROM game_world")
if strand_restart "$bin"; then
    sleep 0.3
    after=$(sql "SELECT tick FROM game_world")
    if ((after > before)); then ok "after a restart the schedule runs on ($before, then $after)"; else not_ok "after a restart the schedule runs on" "$before then $after"; fi
    check "after a restart the modules' reducers run" "CALL
1" "$(sql "CALL send_message('after restart')")
$(sql "SELECT id FROM chat_message WHERE body = 'after restart'" | wc -l)"
else
    not_ok "strand stops and starts again on its data folder" "$(tail -5 "$STRAND_LOG")"
fi

strand_stop || not_ok "strand still running at the end" "$(tail -20 "$STRAND_LOG")"
tap_summary || {
    strand_log_tail
    exit 1
}
