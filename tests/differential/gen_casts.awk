# Random casts for the differential test: a value of one built-in type
# (edge values included) cast to another, explicitly and by assignment
# into a table's column, so every pair is tried: the conversions pg_cast
# has, I/O conversion through text, and the errors for pairs without a cast
# and for values that do not fit. One statement per line.
# Usage: awk -v seed=N -v count=M -f gen_casts.awk
function pick(n) { return int(rand() * n) }
function add(type, values,   n, i, v) {
    NT++
    TYPES[NT] = type
    n = split(values, v, "|")
    NV[NT] = n
    for (i = 1; i <= n; i++) VALUES[NT, i] = v[i]
}
function value(t) { return VALUES[t, pick(NV[t]) + 1] }
function literal(t) { return "'" value(t) "'::" TYPES[t] }
BEGIN {
    add("smallint", "0|-32768|32767|1|-7|1")
    add("integer", "0|-2147483648|2147483647|42|1|-1|40000")
    add("bigint", "0|-9223372036854775808|9223372036854775807|123456789012|1|-40000")
    add("numeric", "0|1.5|-2.5|123456789012345678901234567890.123|NaN|0.000001|32767.5|-0.5|1e20")
    add("real", "0|1.5|-2.5|3.4028235e38|NaN|Infinity|1e-45|0.1|2147483647")
    add("double precision", "0|1.5|-2.5|1e308|NaN|-Infinity|0.1|9223372036854775807|-0.5")
    add("boolean", "t|f|true|no")
    add("text", "1|abc| 12 |t|2024-02-29|1 day|{1,2}|{\"a\": 1}|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|0/16B3748|1.5e3|\\x41|")
    add("character varying", "7|xyz|true|2024-01-01 10:00|[1, 2]")
    add("character(4)", "ab|1|t|abcd")
    add("bytea", "\\x00ff|abc|\\x|\\x41424344")
    add("date", "2024-02-29|infinity|-infinity|0044-03-15 BC|2000-01-01")
    add("time without time zone", "00:00|23:59:59.999999|12:34:56.5")
    add("time with time zone", "13:14:15+02|00:00-15:59|24:00:00+00|12:00:00.5-04:56:02")
    add("timestamp without time zone", "2024-02-29 13:14:15.5|infinity|1999-12-31 23:59:59|0044-03-15 12:00 BC")
    add("timestamp with time zone", "2024-02-29 13:14:15.5+02|-infinity|2000-01-01 00:00+00|2024-07-01 12:00 America/New_York")
    add("interval", "1 day|-1 year 2 mons|00:00:01.5|0|100 hours")
    add("uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|00000000-0000-0000-0000-000000000000")
    add("json", "{\"a\": [1, 2]}|1.50|\"x\"|true|null|[]")
    add("jsonb", "{\"a\": [1, 2]}|1.50|\"x\"|true|null|-3|2.5")
    add("pg_lsn", "0/0|16/B374D848")
    add("oid", "0|17|4294967295|1299")
    add("integer[]", "{1,2,NULL}|{}|[0:1]={7,8}")
    add("text[]", "{a,\"b c\"}|{1,2}|{t,f}")
    add("numeric[]", "{1.5,-2.5}|{}")
    add("date[]", "{2024-02-29}")
    add("jsonb[]", "{\"{\\\"a\\\":1}\",2}")
    srand(seed)
    print "SET TIME ZONE 'Europe/Berlin';"
    for (t = 1; t <= NT; t++) print "CREATE TABLE cast_to_" t " (v " TYPES[t] ");"
    for (i = 0; i < count; i++) {
        a = pick(NT) + 1
        b = pick(NT) + 1
        r = pick(6)
        if (r == 0) print "INSERT INTO cast_to_" b " VALUES (" literal(a) ") RETURNING v;"
        else if (r == 1) print "SELECT CAST(" literal(a) " AS " TYPES[b] ");"
        else print "SELECT " literal(a) "::" TYPES[b] ";"
    }
}
