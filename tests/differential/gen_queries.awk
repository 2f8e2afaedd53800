# Random DML over one table, for the differential test: inserts (some
# failing on the key, NOT NULL or a type), point and range updates and
# deletes, and SELECTs with filters, expressions, ORDER BY, LIMIT / OFFSET,
# inside and outside transaction blocks. Results are made deterministic by
# ordering on the key last; RETURNING is used only on single-row writes
# (a multi-row write's row order is not part of the contract).
# Usage: awk -v seed=N -v count=M -f gen_queries.awk
function pick(n) { return int(rand() * n) }
function maybe_null(v) { return pick(6) == 0 ? "NULL" : v }
function int_val() { return maybe_null(pick(3) == 0 ? pick(2000000) - 1000000 : pick(20) - 10) }
function big_val() { return maybe_null(pick(4) == 0 ? "9223372036854775807" : pick(100000) * 1000003) }
function float_val() { return maybe_null("'" (pick(2000) - 1000) / (pick(16) + 1) "'") }
function text_val(   r) {
    r = pick(5)
    return maybe_null(r == 0 ? "''" : r == 1 ? "'abc'" : r == 2 ? "'ABC'" : r == 3 ? "'a" pick(30) "'" : "'" pick(9) "'")
}
function bool_val() { return maybe_null(pick(2) ? "true" : "false") }
function key() { return pick(60) }
function insert(   n, i, line) {
    line = "INSERT INTO d VALUES "
    n = pick(3) + 1
    for (i = 0; i < n; i++)
        line = line (i ? ", " : "") "(" (pick(30) == 0 ? "NULL" : key()) ", " int_val() ", " big_val() ", " float_val() ", " text_val() ", " text_val() ", " bool_val() ")"
    if (pick(8) == 0) line = line " RETURNING id, a + 1, t || '!'"
    if (n > 1 && index(line, "RETURNING")) sub(/ RETURNING.*/, "", line)
    return line ";"
}
function column(   r) {
    r = pick(7)
    return r == 0 ? "id" : r == 1 ? "a" : r == 2 ? "b" : r == 3 ? "f" : r == 4 ? "t" : r == 5 ? "v" : "ok"
}
function num_expr(   r) {
    r = pick(6)
    if (r == 0) return "a + " pick(10)
    if (r == 1) return "a * id"
    if (r == 2) return "b / " (pick(5) + 1)
    if (r == 3) return "f * 2"
    if (r == 4) return "- a"
    return "id % " (pick(4) + 1)
}
function cond(depth,   r, op) {
    r = pick(9)
    op = substr("=<>", pick(3) + 1, 1)
    if (depth > 0 && r == 0) return "(" cond(depth - 1) (pick(2) ? " AND " : " OR ") cond(depth - 1) ")"
    if (depth > 0 && r == 1) return "NOT " cond(depth - 1)
    if (r == 2) return column() " IS " (pick(2) ? "NOT " : "") "NULL"
    if (r == 3) return "t " op " " text_val()
    if (r == 4) return "ok"
    if (r == 5) return "id = " key()
    if (r == 6) return num_expr() " " op " " pick(20)
    if (r == 7) return "v || t " op " 'abcabc'"
    return "f " op " " float_val()
}
# With LIMIT, PostgreSQL evaluates expressions for rows past the limit or
# not depending on its plan (an index scan in key order is lazy, a sort is
# not), so limited queries use only expressions that cannot fail.
function select_(   s, n, i, limited) {
    limited = pick(4) == 0
    s = "SELECT "
    n = pick(3) + 1
    for (i = 0; i < n; i++) s = s (i ? ", " : "") (pick(2) || limited ? column() : num_expr())
    s = s ", id FROM d"
    if (pick(4)) s = s " WHERE " (limited ? "t " substr("=<>", pick(3) + 1, 1) " " text_val() : cond(2))
    s = s " ORDER BY " (pick(2) ? column() (pick(2) ? " DESC" : "") (pick(3) == 0 ? " NULLS FIRST" : "") ", " : "") "id"
    if (limited) s = s " LIMIT " pick(6)
    if (pick(6) == 0) s = s " OFFSET " pick(4)
    return s ";"
}
# Key changes only on single rows: which row of a multi-row key update meets
# a duplicate first depends on physical row order, which differs by design.
function update(   s) {
    s = "UPDATE d SET " (pick(2) ? "a = " num_expr() : "t = t || 'x'")
    if (pick(3) == 0) s = s ", v = " text_val()
    if (pick(2)) {
        if (pick(3) == 0) s = s ", id = id + " pick(3)
        return s " WHERE id = " key() (pick(3) == 0 ? " RETURNING *" : "") ";"
    }
    return s " WHERE " cond(1) ";"
}
function delete_() {
    if (pick(2)) return "DELETE FROM d WHERE id = " key() (pick(2) ? " RETURNING id, t" : "") ";"
    return "DELETE FROM d WHERE " cond(1) ";"
}
BEGIN {
    srand(seed)
    print "CREATE TABLE d (id int PRIMARY KEY, a int4, b int8 NOT NULL, f float8, t text, v varchar(5), ok bool);"
    block = 0
    for (i = 0; i < count; i++) {
        r = pick(20)
        if (r < 7) print insert()
        else if (r < 12) print select_()
        else if (r < 15) print update()
        else if (r < 17) print delete_()
        else if (r == 17 && !block) { print (pick(2) ? "BEGIN;" : "START TRANSACTION;"); block = 1 }
        else if (r == 18 && block) { print (pick(3) ? "COMMIT;" : "ROLLBACK;"); block = 0 }
        else print "SELECT id, a, b, f, t, v, ok FROM d ORDER BY id;"
    }
    if (block) print "COMMIT;"
    print "SELECT * FROM d ORDER BY id;"
    print "DROP TABLE d;"
}
