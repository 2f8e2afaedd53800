/*
 * game — players on a 100 x 100 board and a world that moves on its own
 * (issue "Reducers in C", acceptance 1).
 *
 * move_player steps a player by at most one square each way, inside the
 * board. A scheduled tick (every 20 ms) advances the world: its clock and
 * every non-player character, in one transaction, so any snapshot sees
 * npc.x == (start + tick) % 100.
 */
#include <strand.h>

#define SIZE 100

static void init(strand_ctx *ctx) {
    strand_exec(ctx,
                "CREATE TABLE game_player (id int PRIMARY KEY, name text NOT NULL, x int NOT NULL, y int NOT NULL)");
    strand_exec(ctx, "CREATE TABLE game_world (id int PRIMARY KEY, tick int8 NOT NULL)");
    strand_exec(ctx, "CREATE TABLE game_npc (id int PRIMARY KEY, start int NOT NULL, x int NOT NULL)");
    strand_exec(ctx, "INSERT INTO game_world VALUES (1, 0)");
    for (int i = 1; i <= 3; i++)
        strand_exec(ctx, "INSERT INTO game_npc VALUES ($1, $2, $2)", STRAND_INT4(i), STRAND_INT4(i * 10));
}

static void join(strand_ctx *ctx, int32_t id, const char *name) {
    strand_exec(ctx, "INSERT INTO game_player VALUES ($1, $2, $3, $3)", STRAND_INT4(id), STRAND_TEXT(name),
                STRAND_INT4(SIZE / 2));
}

static void move_player(strand_ctx *ctx, int32_t id, int32_t dx, int32_t dy, int32_t *x, int32_t *y) {
    if (dx < -1 || dx > 1 || dy < -1 || dy > 1)
        strand_error(ctx, "22023", "a move is one square, not (%d, %d)", dx, dy);
    strand_result *p = strand_exec(ctx, "SELECT x, y FROM game_player WHERE id = $1 FOR UPDATE", STRAND_INT4(id));
    if (strand_nrows(p) == 0) strand_error(ctx, "P0002", "no player %d", id);
    int32_t nx = (int32_t)strand_int8(strand_get(p, 0, 0)) + dx, ny = (int32_t)strand_int8(strand_get(p, 0, 1)) + dy;
    if (nx < 0 || nx >= SIZE || ny < 0 || ny >= SIZE) strand_error(ctx, "22003", "(%d, %d) is off the board", nx, ny);
    strand_exec(ctx, "UPDATE game_player SET x = $2, y = $3 WHERE id = $1", STRAND_INT4(id), STRAND_INT4(nx),
                STRAND_INT4(ny));
    *x = nx;
    *y = ny;
}

static void tick(strand_ctx *ctx) {
    strand_exec(ctx, "UPDATE game_world SET tick = tick + 1 WHERE id = 1");
    strand_exec(ctx, "UPDATE game_npc SET x = (x + 1) % 100");
}

void strand_module(strand_module_def *m) {
    strand_on_init(m, init);
    strand_reducer(m, "join_game(id int, name text)", join);
    strand_reducer(m, "move_player(id int, dx int, dy int, OUT x int, OUT y int)", move_player);
    strand_reducer(m, "tick()", tick);
    strand_schedule_every(m, "tick", 20);
}
