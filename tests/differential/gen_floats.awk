# Random float8 and float4 values across the whole exponent range, for the
# differential test of their output (shortest round-trip text, PostgreSQL's
# Ryu rules) and input. Each statement casts ten literals; one in four
# statements is float4 (values beyond its range are errors, compared too),
# and some mix float4 arithmetic and casts.
# Usage: awk -v seed=N -v count=M -f gen_floats.awk
function pick(n) { return int(rand() * n) }
function value(   r, e) {
    r = pick(5)
    e = pick(600) - 300
    if (r == 0) return sprintf("%.17g", rand() * 10 ^ e)
    if (r == 1) return sprintf("%.*g", pick(17) + 1, (rand() - 0.5) * 10 ^ (pick(40) - 20))
    if (r == 2) return sprintf("%d", (pick(2) ? -1 : 1) * pick(2147483647) * pick(2147483647))
    if (r == 3) return sprintf("%.17g", 2 ^ (pick(2000) - 1000))
    return sprintf("%.17g", pick(1000000) / (pick(1000) + 1))
}
function value4(   r) {
    r = pick(4)
    if (r == 0) return sprintf("%.9g", rand() * 10 ^ (pick(80) - 40))
    if (r == 1) return sprintf("%.17g", 2 ^ (pick(300) - 150))
    if (r == 2) return sprintf("%d", (pick(2) ? -1 : 1) * pick(2147483647))
    return value()
}
BEGIN {
    srand(seed)
    for (i = 0; i < count; i++) {
        kind = pick(8)
        line = "SELECT "
        for (j = 0; j < 10; j++) {
            if (kind < 6) line = line (j ? ", " : "") "'" value() "'::float8"
            else if (kind == 6) line = line (j ? ", " : "") "'" value4() "'::float4"
            else line = line (j ? ", " : "") "'" value4() "'::float4 " substr("+-*/", pick(4) + 1, 1) " '" value4() "'::" (pick(3) ? "float4" : "float8")
        }
        print line ";"
    }
}
