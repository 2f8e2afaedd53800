# Random json and jsonb for the differential test: documents with nested
# objects and arrays, repeated keys, escapes, numbers in every spelling and
# white space, read as json and jsonb (normal form, round trip through
# text), compared, hashed by equality, and taken apart by the operators;
# sometimes broken, for the parser's errors. One statement per line.
# Usage: awk -v seed=N -v count=M -f gen_json.awk
function pick(n) { return int(rand() * n) }
function ws(   c) { c = pick(8); return c < 5 ? "" : c == 5 ? " " : c == 6 ? "  " : "\n" }
function number(   c, s) {
    c = pick(10)
    s = (pick(4) == 0 ? "-" : "") (pick(3) == 0 ? "0" : pick(100) + 1)
    if (c < 3) s = s "." pick(1000) (pick(2) ? "0" : "")
    if (c == 3) s = s (pick(2) ? "e" : "E") substr("+- ", pick(3) + 1, 1) pick(25)
    if (c == 3) gsub(/ /, "", s)
    return s
}
function key(   c) {
    c = pick(12)
    return c < 3 ? "\"a\"" : c < 5 ? "\"b\"" : c == 5 ? "\"aa\"" : c == 6 ? "\"\"" : c == 7 ? "\"\\u00e9\"" : c == 8 ? "\"k\\\"q\"" : c == 9 ? "\"ba\"" : c == 10 ? "\"A\"" : "\"x\\ty\""
}
function string(   c) {
    c = pick(10)
    return c < 3 ? "\"a\"" : c < 5 ? "\"b\"" : c == 5 ? "\"\"" : c == 6 ? "\"\\u0041\\n\"" : c == 7 ? "\"é\"" : c == 8 ? "\"\\\\ \\/ \\\"\"" : "\"ab\""
}
function value(depth,   c, n, i, s) {
    c = pick(depth > 2 ? 6 : 9)
    if (c == 0) return "null"
    if (c == 1) return pick(2) ? "true" : "false"
    if (c < 4) return number()
    if (c < 6) return string()
    n = pick(4)
    if (c < 7) {
        s = "["
        for (i = 0; i < n; i++) s = s (i ? "," : "") ws() value(depth + 1) ws()
        return s "]"
    }
    s = "{"
    for (i = 0; i < n; i++) s = s (i ? "," : "") ws() key() ws() ":" ws() value(depth + 1)
    return s "}"
}
function doc(   d, c) {
    d = ws() value(0) ws()
    if (pick(40) == 0) { # broken: cut short, or a stray token
        c = pick(3)
        if (c == 0 && index(d, "é")) c = 1 # a cut must not split a character
        if (c == 0) d = substr(d, 1, pick(length(d)))
        else if (c == 1) d = d ","
        else d = "[" d " x]"
    }
    return "'" d "'"
}
function path() { return pick(2) ? key() : pick(5) - 2 }
function accessor(   k) {
    k = path()
    if (k ~ /^"/) { gsub(/\\"/, "\"", k); sub(/^"/, "", k); sub(/"$/, "", k); gsub(/'/, "''", k); k = "E'" k "'" }
    return " " substr("->->>", pick(2) ? 1 : 3, pick(2) ? 2 : 3) " " k
}
function statement(   r, t) {
    r = pick(12)
    t = pick(2) ? "json" : "jsonb"
    if (r < 3) return "SELECT " doc() "::" t ";"
    if (r == 3) return "SELECT " doc() "::json::jsonb, " doc() "::jsonb::text::jsonb;"
    if (r < 6) return "SELECT " doc() "::jsonb " OPS[pick(6) + 1] " " doc() "::jsonb;"
    if (r == 6) return "SELECT " doc() "::" t accessor() ", " doc() "::" t accessor() accessor() ";"
    if (r == 7) return "SELECT " doc() "::jsonb @> " doc() ", " doc() "::jsonb <@ " doc() ";"
    if (r == 8) return "SELECT " doc() "::jsonb ? 'a', " doc() "::jsonb || " doc() ";"
    if (r == 9) return "SELECT " doc() "::jsonb - 'a', " doc() "::jsonb - " (pick(5) - 2) ";"
    if (r == 10) return "SELECT jsonb_typeof(" doc() "), json_typeof(" doc() "), jsonb_strip_nulls(" doc() ");"
    return "SELECT jsonb_build_object('k', " doc() "::jsonb, 'a', " number() "), to_jsonb(" doc() "::json), jsonb_pretty(" doc() ");"
}
BEGIN {
    split("< <= > >= = <>", OPS, " ")
    srand(seed)
    for (i = 0; i < count; i++) print statement()
}
