# Random arrays for the differential test: literals of several element
# types with NULLs, quoting, escapes, bounds and white space (and broken
# ones), ARRAY[...] of mixed types, subscripts and slices in and out of
# range, = ANY / ALL with NULLs, comparisons, || @> <@ &&, and the array
# functions. One statement per line.
# Usage: awk -v seed=N -v count=M -f gen_arrays.awk
function pick(n) { return int(rand() * n) }
function elem_int() { return pick(8) == 0 ? "NULL" : pick(6) - 2 }
function elem_text(   c) {
    c = pick(10)
    return c == 0 ? "NULL" : c == 1 ? "\"\"" : c == 2 ? "\"a b\"" : c == 3 ? "\"NULL\"" : c == 4 ? "\"q\\\\\"\"" : c == 5 ? "é" : substr("abcab", pick(5) + 1, 1)
}
function ws() { return pick(5) == 0 ? " " : "" }
function lit(kind,   n, i, s) {
    n = pick(5)
    s = (pick(8) == 0 && n > 0 ? "[" (pick(3) - 1) ":" (pick(3) - 1 + n - 1) "]=" : "") "{"
    for (i = 0; i < n; i++) s = s (i ? "," : "") ws() (kind == "int" ? elem_int() : elem_text()) ws()
    s = s "}"
    if (pick(40) == 0) s = substr(s, 1, length(s) - 1) # broken: no closing brace
    return "'" s "'::" (kind == "int" ? "int[]" : "text[]")
}
function ctor(kind,   n, i, s) {
    n = pick(4) + 1
    s = "ARRAY["
    for (i = 0; i < n; i++) s = s (i ? ", " : "") (kind == "int" ? (pick(6) == 0 ? "NULL" : pick(9) - 3) : (pick(6) == 0 ? "NULL" : "'" substr("abc", pick(3) + 1, 1) "'"))
    return s "]"
}
function arr(kind) { return pick(2) ? lit(kind) : ctor(kind) }
function idx() { return pick(7) - 2 }
function statement(   r, k) {
    r = pick(14)
    k = pick(3) ? "int" : "text"
    if (r < 2) return "SELECT " lit(k) ";"
    if (r == 2) return "SELECT (" arr(k) ")[" idx() "], (" arr(k) ")[" idx() ":" idx() "], (" arr(k) ")[:" idx() "], (" arr(k) ")[" idx() ":];"
    if (r == 3) return "SELECT " (k == "int" ? pick(4) - 1 : "'a'") " " substr("= <><  > ", 2 * pick(4) + 1, 2) (pick(2) ? " ANY " : " ALL ") "(" arr(k) ");"
    if (r == 4) return "SELECT " arr(k) " " OPS[pick(6) + 1] " " arr(k) ";"
    if (r == 5) return "SELECT " arr(k) " || " arr(k) ", " arr(k) " || " (k == "int" ? pick(5) : "'z'::text") ";"
    if (r == 6) return "SELECT " arr(k) " @> " arr(k) ", " arr(k) " <@ " arr(k) ", " arr(k) " && " arr(k) ";"
    if (r == 7) return "SELECT array_length(" arr(k) ", 1), array_lower(" arr(k) ", 1), array_upper(" arr(k) ", 1), cardinality(" arr(k) "), array_dims(" arr(k) ");"
    if (r == 8) return "SELECT array_position(" arr(k) ", " (k == "int" ? pick(4) : "'a'") "), array_positions(" arr(k) ", " (k == "int" ? "NULL::int" : "'b'") ");"
    if (r == 9) return "SELECT array_remove(" arr(k) ", " (k == "int" ? pick(3) : "'a'") "), array_replace(" arr(k) ", " (k == "int" ? pick(3) : "'a'") ", " (k == "int" ? "9" : "'z'") ");"
    if (r == 10) return "SELECT array_to_string(" arr(k) ", ','), array_to_string(" arr(k) ", '-', '*'), array_append(" arr(k) ", NULL), array_prepend(NULL, " arr(k) ");"
    if (r == 11) return "SELECT string_to_array('" substr("a,b,,c,a", 1, pick(9)) "', " (pick(4) == 0 ? "NULL" : "','") (pick(3) == 0 ? ", 'a'" : "") ");"
    if (r == 12) return "SELECT " arr(k) "::text, " lit("text") "::int[];"
    return "SELECT array_cat(" arr(k) ", " arr(k) "), " arr(k) " IS NULL, pg_typeof(" arr(k) ");"
}
BEGIN {
    split("< <= > >= = <>", OPS, " ")
    srand(seed)
    for (i = 0; i < count; i++) print statement()
}
