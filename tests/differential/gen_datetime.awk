# Random date/time expressions for the differential test: timestamps near
# daylight-saving transitions in several zones (northern and southern
# hemispheres, half-hour offsets, zones whose rules changed, years past
# 2037 where the tz database's POSIX rule takes over), their input, output,
# arithmetic with intervals, casts, extract, date_trunc, age, AT TIME ZONE.
# Usage: awk -v seed=N -v count=M -f gen_datetime.awk
function pick(n) { return int(rand() * n) }
function zone(   z) {
    split("America/New_York Europe/Berlin Australia/Sydney Asia/Kolkata America/Sao_Paulo Europe/London Pacific/Auckland America/St_Johns UTC Asia/Tehran America/Los_Angeles Europe/Moscow", z, " ")
    return z[pick(12) + 1]
}
function two(n) { return sprintf("%02d", n) }
function stamp(   y, mo, d, h, r) {
    r = pick(10)
    y = r < 6 ? 2000 + pick(30) : r < 8 ? 1900 + pick(100) : 2037 + pick(30)
    mo = pick(3) ? substr("0304091011", 2 * pick(5) + 1, 2) : two(pick(12) + 1)
    d = pick(3) ? two(pick(7) + (mo == "03" || mo == "10" ? 25 : 1)) : two(pick(28) + 1)
    h = pick(2) ? two(pick(4)) : two(pick(24))
    return y "-" mo "-" d " " h ":" two(pick(60)) ":" two(pick(60)) (pick(4) == 0 ? "." pick(1000000) : "")
}
function ival(   r) {
    r = pick(8)
    if (r == 0) return "'1 day'"
    if (r == 1) return "'24 hours'"
    if (r == 2) return "'" pick(40) - 20 " days " pick(30) " hours'"
    if (r == 3) return "'1 month'"
    if (r == 4) return "'" pick(30) " mons " pick(100) - 50 " days'"
    if (r == 5) return "'-1 year 2 mons 03:04:05.6'"
    if (r == 6) return "'" pick(10000) " minutes'"
    return "'1 day -1 hour'"
}
function unit() {
    return substr("year      month     day       hour      minute    week      quarter   decade    second    dow       doy       epoch     isodow    century   ", 10 * pick(14) + 1, 10)
}
function statement(   r, u) {
    r = pick(14)
    u = unit()
    gsub(/ /, "", u)
    if (r == 0) return "SET timezone = '" zone() "';"
    if (r == 1) return "SELECT '" stamp() "'::timestamptz, '" stamp() "'::timestamptz;"
    if (r == 2) return "SELECT '" stamp() "'::timestamptz + interval " ival() ", '" stamp() "'::timestamptz - interval " ival() ";"
    if (r == 3) return "SELECT '" stamp() "'::timestamptz - '" stamp() "'::timestamptz, '" stamp() "'::timestamp - '" stamp() "'::timestamp;"
    if (r == 4) return "SELECT '" stamp() "'::timestamptz AT TIME ZONE '" zone() "', '" stamp() "'::timestamp AT TIME ZONE '" zone() "';"
    if (r == 5) return "SELECT extract(" u " FROM '" stamp() "'::timestamptz), date_part('" u "', '" stamp() "'::timestamp);"
    if (r == 6) return "SELECT date_trunc('" u "', '" stamp() "'::timestamptz), date_trunc('" u "', '" stamp() "'::timestamp);"
    if (r == 7) return "SELECT age('" stamp() "'::timestamp, '" stamp() "'::timestamp), age('" stamp() "'::timestamptz, '" stamp() "'::timestamptz);"
    if (r == 8) return "SELECT '" stamp() "'::timestamp + interval " ival() ", '" substr(stamp(), 1, 10) "'::date + " pick(2000) - 1000 ";"
    if (r == 9) return "SELECT '" stamp() "'::timestamptz::date, '" stamp() "'::timestamptz::timestamp, '" stamp() "'::timestamp::timestamptz, '" substr(stamp(), 1, 10) "'::date::timestamptz;"
    if (r == 10) return "SELECT interval " ival() " * " (pick(40) - 20) / 8 ", interval " ival() " / " (pick(9) + 1) ", justify_interval(interval " ival() ");"
    if (r == 11) return "SELECT make_timestamptz(" 1990 + pick(50) ", " pick(12) + 1 ", " pick(28) + 1 ", " pick(24) ", " pick(60) ", " pick(60) ", '" zone() "');"
    if (r == 12) return "SELECT '" stamp() "'::timestamptz < '" stamp() "'::timestamp, '" substr(stamp(), 1, 10) "'::date = '" stamp() "'::timestamp;"
    return "SELECT extract(" u " FROM interval " ival() "), '" stamp() "'::time + interval " ival() ";"
}
BEGIN {
    srand(seed)
    for (i = 0; i < count; i++) print statement()
}
