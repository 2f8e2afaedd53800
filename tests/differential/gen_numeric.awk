# Random numeric expressions for the differential test: arithmetic with
# PostgreSQL's result scales, division and its chosen scale, rounding at
# positive and negative places, numeric(p, s) typmods and their overflow,
# casts to and from the integers and float8, NaN and the infinities, the
# math functions, and comparisons with the integers and float8. One statement per line.
# Usage: awk -v seed=N -v count=M -f gen_numeric.awk
function pick(n) { return int(rand() * n) }
function digits(n,   s, i) {
    s = ""
    for (i = 0; i < n; i++) s = s pick(10)
    return s
}
# A literal: small or huge, few or many fraction digits, exponents, specials.
function num_lit(   r, s) {
    r = pick(20)
    if (r == 0) return "'NaN'::numeric"
    if (r == 1) return "'" (pick(2) ? "-" : "") "Infinity'::numeric"
    if (r == 2) return "0"
    if (r == 3) return (pick(2) ? "-" : "") "0." digits(pick(3)) "0" digits(pick(6) + 1)
    if (r == 4) return (pick(2) ? "-" : "") pick(10) "e" (pick(2) ? "-" : "") pick(30)
    if (r == 5) return "'" (pick(2) ? "-" : "") digits(pick(25) + 1) "." digits(pick(25)) "'::numeric"
    if (r == 6) return pick(100) "." digits(pick(4)) "5"
    if (r == 7) return "(" (pick(2) ? "-" : "") digits(pick(6) + 1) ")::numeric"
    s = (pick(3) == 0 ? "-" : "") pick(100000) "." digits(pick(8))
    return pick(4) == 0 ? "(" s ")::numeric" : s
}
function int_lit() { return pick(3) == 0 ? (pick(2) ? "-" : "") pick(1000) : pick(20) - 5 }
function num_expr(depth,   r, ops) {
    if (depth <= 0 || pick(3) == 0) return num_lit()
    r = pick(14)
    ops = "+-*/%"
    if (r < 6) return "(" num_expr(depth - 1) " " substr(ops, pick(5) + 1, 1) " " num_expr(depth - 1) ")"
    if (r == 6) return "round(" num_expr(depth - 1) (pick(2) ? ", " (pick(16) - 6) : "") ")"
    if (r == 7) return "trunc(" num_expr(depth - 1) (pick(2) ? ", " (pick(16) - 6) : "") ")"
    if (r == 8) return (pick(2) ? "ceil(" : "floor(") num_expr(depth - 1) ")"
    if (r == 9) return (pick(2) ? "abs(" : "sign(") num_expr(depth - 1) ")"
    if (r == 10) return (pick(2) ? "mod(" : "div(") num_expr(depth - 1) ", " num_expr(depth - 1) ")"
    if (r == 11) return "sqrt(abs(" num_expr(depth - 1) "))"
    if (r == 12) return "(" num_expr(depth - 1) ")::numeric(" (pick(20) + 1) ", " pick(8) ")"
    return "(" int_lit() " " substr(ops, pick(5) + 1, 1) " " num_expr(depth - 1) ")"
}
function statement(   r, c) {
    r = pick(10)
    if (r < 5) return "SELECT " num_expr(3) ";"
    if (r == 5) return "SELECT (" num_expr(2) ")::" (pick(3) == 0 ? "int2" : pick(2) ? "int4" : "int8") ";"
    if (r == 6) return "SELECT (" num_expr(2) ")::float8, (" pick(100000) / (pick(999) + 1) "::float8)::numeric;"
    if (r == 7) {
        c = pick(6)
        return "SELECT " num_expr(2) " " (c == 0 ? "=" : c == 1 ? "<>" : c == 2 ? "<" : c == 3 ? "<=" : c == 4 ? ">" : ">=") " " num_expr(2) ";"
    }
    if (r == 8) return "SELECT scale(" num_expr(2) "), min_scale(" num_expr(1) "), trim_scale(" num_expr(1) ");"
    return "SELECT " num_expr(2) " < " int_lit() ", " num_expr(1) " >= " pick(1000) / 8 "::float8;"
}
BEGIN {
    srand(seed)
    for (i = 0; i < count; i++) print statement()
}
