# Random float8 values across the whole exponent range, for the differential
# test of float8 output (shortest round-trip text, PostgreSQL's Ryu rules)
# and of float8 input. Each statement casts ten literals.
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
BEGIN {
    srand(seed)
    for (i = 0; i < count; i++) {
        line = "SELECT "
        for (j = 0; j < 10; j++) line = line (j ? ", " : "") "'" value() "'::float8"
        print line ";"
    }
}
