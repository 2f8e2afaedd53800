# Random exp, ln, log and power of numeric values for the differential
# test: arguments near 1, tiny and huge, with many fraction digits, NaN and
# the infinities, integral and fractional exponents, negative bases; each
# result with PostgreSQL's scale and every digit of it. One statement per line.
# Usage: awk -v seed=N -v count=M -f gen_numeric_math.awk
function pick(n) { return int(rand() * n) }
function digits(n,   s, i) {
    s = ""
    for (i = 0; i < n; i++) s = s pick(10)
    return s
}
function positive(   r) {
    r = pick(12)
    if (r == 0) return "1." digits(pick(12)) "1"
    if (r == 1) return "0.9" digits(pick(8))
    if (r == 2) return "0.000" digits(pick(4)) "7"
    if (r == 3) return digits(pick(30) + 1) "." digits(pick(5))
    if (r == 4) return "1e" (pick(2) ? "-" : "") pick(60)
    if (r == 5) return pick(10) + 1
    if (r == 6) return "'" digits(1) "." digits(pick(40)) "1'::numeric"
    return pick(1000) "." digits(pick(6)) (pick(9) + 1)
}
function any_num(   r) {
    r = pick(14)
    if (r == 0) return "'NaN'::numeric"
    if (r == 1) return "'" (pick(2) ? "-" : "") "Infinity'::numeric"
    if (r == 2) return "0"
    if (r == 3) return "-" positive()
    return positive()
}
function exponent(   r) {
    r = pick(8)
    if (r < 3) return (pick(3) == 0 ? "-" : "") pick(40)
    if (r == 3) return (pick(2) ? "-" : "") "0." digits(pick(4)) (pick(9) + 1)
    if (r == 4) return pick(3) "." pick(10) "0"
    if (r == 5) return any_num()
    return (pick(2) ? "-" : "") pick(12) "." digits(pick(3) + 1)
}
function num(x) { return "(" x ")::numeric" }
function statement(   r) {
    r = pick(6)
    if (r == 0) return "SELECT exp(" num((pick(2) ? "-" : "") pick(300) "." digits(pick(10))) ");"
    if (r == 1) return "SELECT ln(" num(any_num()) ");"
    if (r == 2) return "SELECT log(" num(any_num()) "), log10(" num(positive()) ");"
    if (r == 3) return "SELECT log(" num(any_num()) ", " num(any_num()) ");"
    return "SELECT power(" num(any_num()) ", " num(exponent()) ");"
}
BEGIN {
    srand(seed)
    for (i = 0; i < count; i++) print statement()
}
