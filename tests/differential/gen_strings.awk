# Random string expressions for the differential test: LIKE / ILIKE /
# SIMILAR TO / regular expressions against random text (multibyte
# characters included), and the string functions with random arguments,
# edge positions and lengths. One statement per line.
# Usage: awk -v seed=N -v count=M -f gen_strings.awk
function pick(n) { return int(rand() * n) }
function str(maxlen,   s, i, n, c) {
    n = pick(maxlen + 1)
    s = ""
    for (i = 0; i < n; i++) {
        c = pick(12)
        s = s (c < 3 ? "a" : c < 5 ? "b" : c == 5 ? "A" : c == 6 ? "é" : c == 7 ? " " : c == 8 ? "_" : c == 9 ? "%" : c == 10 ? "x" : "B")
    }
    return s
}
function lit(maxlen) { return "'" str(maxlen) "'" }
function like_pattern(   s, i, n, c) {
    n = pick(6)
    s = ""
    for (i = 0; i < n; i++) {
        c = pick(10)
        s = s (c < 2 ? "%" : c < 4 ? "_" : c == 4 ? "\\\\" substr("a%_", pick(3) + 1, 1) : c == 5 ? "é" : c == 6 ? "A" : substr("ab", pick(2) + 1, 1))
    }
    return "'" s "'"
}
function regex(   c) {
    c = pick(10)
    if (c == 0) return "'^a'"
    if (c == 1) return "'b$'"
    if (c == 2) return "'a.b'"
    if (c == 3) return "'[ab]+'"
    if (c == 4) return "'(a|é)b*'"
    if (c == 5) return "'^[^ ]*$'"
    if (c == 6) return "'a{2}'"
    if (c == 7) return "'\\\\s'"
    if (c == 8) return "'B'"
    return "'x?a'"
}
function similar(   c) {
    c = pick(6)
    if (c == 0) return "'a%'"
    if (c == 1) return "'%(b|x)%'"
    if (c == 2) return "'_*'"
    if (c == 3) return "'[ab]%'"
    if (c == 4) return "'a_b%'"
    return "'%a'"
}
function num() { return pick(4) == 0 ? -pick(4) : pick(8) }
function statement(   r) {
    r = pick(16)
    if (r < 4) return "SELECT " lit(6) (pick(3) == 0 ? " NOT" : "") (pick(3) ? " LIKE " : " ILIKE ") like_pattern() ";"
    if (r == 4) return "SELECT " lit(6) " LIKE " like_pattern() " ESCAPE '" substr("#\\%", pick(3) + 1, 1) "';"
    if (r == 5) return "SELECT " lit(6) " " substr("~ ~*!~", 2 * pick(3) + 1, 2) " " regex() ";"
    if (r == 6) return "SELECT " lit(6) (pick(3) == 0 ? " NOT" : "") " SIMILAR TO " similar() ";"
    if (r == 7) return "SELECT regexp_replace(" lit(6) ", " regex() ", '<\\1\\&>'" (pick(2) ? ", 'g'" : "") ");"
    if (r == 8) return "SELECT substr(" lit(6) ", " num() (pick(2) ? ", " num() : "") "), left(" lit(5) ", " num() "), right(" lit(5) ", " num() ");"
    if (r == 9) return "SELECT lpad(" lit(4) ", " num() ", " lit(2) "), rpad(" lit(4) ", " num() (pick(2) ? ", " lit(2) : "") ");"
    if (r == 10) return "SELECT split_part(" lit(8) ", " lit(1) ", " (num() - 2) "), replace(" lit(6) ", " lit(1) ", " lit(2) ");"
    if (r == 11) return "SELECT position(" lit(2) " IN " lit(6) "), strpos(" lit(6) ", " lit(1) "), length(" lit(6) "), reverse(" lit(5) ");"
    if (r == 12) return "SELECT trim(" substr("leading trailingboth    ", 8 * pick(3) + 1, 8) " " lit(1) " FROM " lit(6) "), btrim(" lit(6) "), translate(" lit(6) ", " lit(3) ", " lit(2) ");"
    if (r == 13) return "SELECT overlay(" lit(6) " PLACING " lit(2) " FROM " (pick(7) + 1) (pick(2) ? " FOR " pick(4) : "") "), initcap(" lit(8) "), upper(" lit(4) ");"
    if (r == 14) return "SELECT substring(" lit(6) " FROM " regex() "), " lit(4) " || " lit(3) ", concat_ws(" lit(1) ", " lit(2) ", NULL, " lit(2) ");"
    return "SELECT md5(" lit(5) "), quote_literal(" lit(4) "), quote_ident(" lit(4) "), ascii(" lit(3) ");"
}
BEGIN {
    srand(seed)
    for (i = 0; i < count; i++) print statement()
}
