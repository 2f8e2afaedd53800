# Random SELECTs of expressions over literals of every supported type, for
# the differential test: each line one statement. Deterministic per seed.
# Usage: awk -v seed=N -v count=M -f gen_exprs.awk
function pick(n) { return int(rand() * n) }
function int_lit(   r) {
    r = pick(10)
    if (r == 0) return "2147483647"
    if (r == 1) return "(-2147483647 - 1)"
    if (r == 2) return "0"
    if (r == 3) return "9223372036854775807"
    if (r == 4) return (pick(2) ? "-" : "") pick(100000)
    return pick(20) - 5
}
function float_lit(   r) {
    r = pick(8)
    if (r == 0) return "'1e300'::float8"
    if (r == 1) return "0::float8"
    if (r == 2) return "'-0.5'::float8"
    if (r == 3) return "'NaN'::float8"
    return "'" (pick(2000) - 1000) / (pick(64) + 1) "'::float8"
}
function text_lit(   r) {
    r = pick(6)
    if (r == 0) return "''"
    if (r == 1) return "'abc'"
    if (r == 2) return "'Ab'"
    if (r == 3) return "'" pick(100) "'"
    if (r == 4) return "'x y'::varchar(2)"
    return "'zz'::text"
}
function typed(t) {
    if (t == "int") return pick(4) ? int_lit() : "(" int_lit() ")::" (pick(2) ? "int8" : "int2")
    if (t == "float") return float_lit()
    if (t == "text") return text_lit()
    return pick(3) ? (pick(2) ? "true" : "false") : "NULL::bool"
}
# CASE, COALESCE, NULLIF, GREATEST and LEAST of type t (the other types
# mixed in where PostgreSQL finds a common type, or fails to)
function conditional(t, depth,   r, u) {
    r = pick(6)
    u = pick(8) == 0 ? (t == "int" ? "float" : "int") : t
    if (r == 0) return "CASE WHEN " expr("bool", depth) " THEN " expr(t, depth) (pick(3) ? " ELSE " expr(u, depth) : "") " END"
    if (r == 1) return "CASE " expr("int", depth) " WHEN " expr("int", depth) " THEN " expr(t, depth) " WHEN " expr(pick(2) ? "int" : "float", depth) " THEN " expr(u, depth) " END"
    if (r == 2) return "COALESCE(" expr(t, depth) ", " expr(u, depth) (pick(2) ? ", " expr(t, depth) : "") ")"
    if (r == 3) return "NULLIF(" expr(t, depth) ", " expr(u, depth) ")"
    return (r == 4 ? "GREATEST(" : "LEAST(") expr(t, depth) ", " expr(u, depth) (pick(2) ? ", " expr(t, depth) : "") ")"
}
# IN, BETWEEN, IS DISTINCT FROM, IS TRUE and friends
function predicate(depth,   r, t) {
    r = pick(4)
    t = pick(3) == 0 ? "text" : (pick(2) ? "int" : "float")
    if (r == 0) return "(" expr(t, depth) (pick(3) ? "" : " NOT") " IN (" expr(t, depth) (pick(3) ? ", " expr(pick(5) ? t : "int", depth) : "") (pick(2) ? ", " expr(t, depth) : "") "))"
    if (r == 1) return "(" expr(t, depth) (pick(3) ? "" : " NOT") " BETWEEN " (pick(3) ? "" : "SYMMETRIC ") expr(t, depth) " AND " expr(t, depth) ")"
    if (r == 2) return "(" expr(t, depth) " IS " (pick(2) ? "NOT " : "") "DISTINCT FROM " expr(t, depth) ")"
    r = pick(3)
    return "(" expr("bool", depth) " IS " (pick(2) ? "NOT " : "") (r == 0 ? "TRUE" : r == 1 ? "FALSE" : "UNKNOWN") ")"
}
function expr(t, depth,   r, ops) {
    if (depth <= 0 || pick(3) == 0) return pick(12) == 0 ? "NULL" : typed(t)
    if (pick(5) == 0) return t == "bool" ? predicate(depth - 1) : conditional(t, depth - 1)
    r = pick(6)
    if (t == "int" || t == "float") {
        ops = "+-*/%"
        if (r < 4) return "(" expr(t, depth - 1) " " substr(ops, pick(t == "int" ? 5 : 4) + 1, 1) " " expr(pick(3) ? t : "int", depth - 1) ")"
        if (r == 4) return "- " expr(t, depth - 1)
        return "(" expr(t == "int" ? "float" : "int", depth - 1) ")::" (t == "int" ? "int4" : "float8")
    }
    if (t == "text") {
        if (r < 3) return "(" expr("text", depth - 1) " || " expr(pick(2) ? "text" : "int", depth - 1) ")"
        return "(" expr("int", depth - 1) ")::text"
    }
    if (r == 0) return "(" expr("bool", depth - 1) (pick(2) ? " AND " : " OR ") expr("bool", depth - 1) ")"
    if (r == 1) return "NOT " expr("bool", depth - 1)
    if (r == 2) return "(" expr("text", depth - 1) ") IS " (pick(2) ? "NOT " : "") "NULL"
    ops = pick(6)
    t = pick(3) == 0 ? "text" : (pick(2) ? "int" : "float")
    return "(" expr(t, depth - 1) " " (ops == 0 ? "=" : ops == 1 ? "<>" : ops == 2 ? "<" : ops == 3 ? "<=" : ops == 4 ? ">" : ">=") " " expr(t, depth - 1) ")"
}
BEGIN {
    srand(seed)
    split("int float text bool", types, " ")
    for (i = 0; i < count; i++) print "SELECT " expr(types[pick(4) + 1], 3) ";"
}
