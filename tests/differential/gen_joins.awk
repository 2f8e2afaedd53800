# Random SELECTs over four small tables with NULLs and duplicates, for the
# differential test: joins of up to four tables (inner, left, right, full,
# cross, comma lists, ON and USING), WHERE conditions (comparisons, IN,
# BETWEEN, IS DISTINCT FROM, CASE, COALESCE, subqueries: EXISTS, IN, ANY /
# ALL and scalar ones, correlated or not), GROUP BY with aggregates (count,
# sum, avg, min, max, string_agg and array_agg in a fixed order, bool_or,
# DISTINCT and FILTER) and HAVING, window functions whose values do not
# depend on the order of peers, SELECT DISTINCT, subqueries in FROM and set
# operations (UNION / INTERSECT / EXCEPT [ALL]), ROLLUP / CUBE / GROUPING
# SETS and row comparisons. Every query orders by all its
# output columns, so the row order is fixed too; expressions cannot fail
# at run time (which row fails first depends on the plan), while binding
# errors (ambiguous or missing columns, ungrouped columns) are generated
# on purpose.
# Usage: awk -v seed=N -v count=M -f gen_joins.awk
function pick(n) { return int(rand() * n) }
function maybe_null(v) { return pick(5) == 0 ? "NULL" : v }
function ival() { return maybe_null(pick(6) - 1) }
function tval(   r) { r = pick(4); return maybe_null(r == 0 ? "'x'" : r == 1 ? "'y'" : r == 2 ? "'z'" : "''") }
function nval() { return maybe_null((pick(9) - 4) "." pick(10)) }
function rows(table, n, cols,   i, s, j, c) {
    for (i = 0; i < n; i++) {
        s = "INSERT INTO " table " VALUES ("
        for (j = 1; j <= cols; j++) {
            c = coltype[table, j]
            s = s (j > 1 ? ", " : "") (c == "key" ? i + 1 : c == "int" ? ival() : c == "text" ? tval() : nval())
        }
        print s ");"
    }
}
BEGIN {
    split("= <> < <= > >=", row_ops, " ")
    for (i = 1; i <= 6; i++) row_op[i - 1] = row_ops[i]
    srand(seed)
    ntab = 4
    name[1] = "t1"; ncol[1] = 4; split("id a b c", cn1, " "); split("key int text num", ct1, " ")
    name[2] = "t2"; ncol[2] = 4; split("id a b c", cn2, " "); split("int int text num", ct2, " ")
    name[3] = "t3"; ncol[3] = 3; split("a b d", cn3, " "); split("int text int", ct3, " ")
    name[4] = "t4"; ncol[4] = 3; split("id x b", cn4, " "); split("key int text", ct4, " ")
    for (j = 1; j <= 4; j++) { colname[1, j] = cn1[j]; coltype["t1", j] = ct1[j] }
    for (j = 1; j <= 4; j++) { colname[2, j] = cn2[j]; coltype["t2", j] = ct2[j] }
    for (j = 1; j <= 3; j++) { colname[3, j] = cn3[j]; coltype["t3", j] = ct3[j] }
    for (j = 1; j <= 3; j++) { colname[4, j] = cn4[j]; coltype["t4", j] = ct4[j] }
    print "CREATE TABLE t1 (id int PRIMARY KEY, a int, b text, c numeric);"
    print "CREATE TABLE t2 (id int, a int, b text, c numeric);"
    print "CREATE TABLE t3 (a int, b text, d int);"
    print "CREATE TABLE t4 (id int PRIMARY KEY, x int, b text);"
    # indexes an equality on the outer side and a join key on the inner side can use (index nested loops)
    print "CREATE INDEX t1_a ON t1 (a);"
    print "CREATE INDEX t2_id ON t2 (id);"
    print "CREATE INDEX t3_d ON t3 (d);"
    rows("t1", 7, 4); rows("t2", 8, 4); rows("t3", 6, 3); rows("t4", 5, 3)
    for (q = 0; q < count; q++) print query()
    print "DROP TABLE t1, t2, t3, t4;"
}
# ---- the FROM clause: tables t1..tn in some order, with aliases -----------------
function type_of(k, j,   t) { t = coltype[name[used[k]], j]; return t == "key" ? "int" : t }
# a column of one of the first n used tables, of type ty ("" for any): "alias.col"
function col_of(n, ty,   tries, k, j) {
    for (tries = 0; tries < 20; tries++) {
        k = pick(n) + 1
        j = pick(ncol[used[k]]) + 1
        if (ty == "" || type_of(k, j) == ty) { last_type = type_of(k, j); return alias[k] "." colname[used[k], j] }
    }
    last_type = "int"
    return alias[1] "." colname[used[1], 1] == "" ? "1" : (type_of(1, 1) == ty || ty == "" ? alias[1] "." colname[used[1], 1] : "NULL::" (ty == "num" ? "numeric" : ty))
}
function join_cond(n,   a, b, k, j, s) {
    # an equality between the new table (n) and an earlier one, sometimes more
    k = pick(ncol[used[n]]) + 1
    b = alias[n] "." colname[used[n], k]
    a = col_of(n - 1, type_of(n, k))
    s = a " = " b
    if (pick(4) == 0) s = s " AND " col_of(n, "int") " " substr("<>=", pick(3) + 1, 1) " " pick(4)
    if (pick(8) == 0) s = "true"
    return s
}
function from_clause(n,   s, k, t, jt, r) {
    for (k = 1; k <= ntab; k++) taken[k] = 0
    for (k = 1; k <= n; k++) {
        do t = pick(ntab) + 1; while (taken[t] && pick(4))
        taken[t] = 1
        used[k] = t
        alias[k] = "q" k
    }
    s = name[used[1]] " q1"
    for (k = 2; k <= n; k++) {
        r = pick(12)
        jt = r < 4 ? "JOIN" : r < 7 ? "LEFT JOIN" : r < 9 ? "RIGHT JOIN" : r < 10 ? "FULL JOIN" : r < 11 ? "CROSS JOIN" : ","
        if (jt == "," ) s = s ", " name[used[k]] " q" k
        else if (jt == "CROSS JOIN") s = s " CROSS JOIN " name[used[k]] " q" k
        else s = s " " jt " " name[used[k]] " q" k " ON " join_cond(k)
        joined[k] = jt
    }
    return s
}
# ---- expressions that cannot fail ------------------------------------------------
function int_expr(n,   r) {
    r = pick(8)
    if (r == 0) return "COALESCE(" col_of(n, "int") ", " pick(5) ")"
    if (r == 1) return "(" col_of(n, "int") " + " col_of(n, "int") ")"
    if (r == 2) return "CASE WHEN " cond(n, 0) " THEN " col_of(n, "int") " ELSE " pick(3) " END"
    if (r == 3) return "GREATEST(" col_of(n, "int") ", " pick(3) ")"
    return col_of(n, "int")
}
function cond(n, depth,   r, op) {
    r = pick(10)
    op = substr("=<>", pick(3) + 1, 1)
    if (depth > 0 && r == 0) return "(" cond(n, depth - 1) (pick(2) ? " AND " : " OR ") cond(n, depth - 1) ")"
    if (depth > 0 && r == 1) return "NOT " cond(n, depth - 1)
    if (r == 2) return col_of(n, "") " IS " (pick(2) ? "NOT " : "") "NULL"
    if (r == 3) return col_of(n, "int") (pick(3) ? "" : " NOT") " IN (" pick(4) ", " pick(4) (pick(2) ? ", NULL" : "") ")"
    if (r == 4) return col_of(n, "int") " BETWEEN " (pick(3) - 1) " AND " pick(5)
    if (r == 5) return col_of(n, "text") " IS " (pick(2) ? "NOT " : "") "DISTINCT FROM " tval()
    if (r == 6) return col_of(n, "text") " " op " " tval()
    if (r == 7 && pick(3) == 0) return "(" col_of(n, "int") ", " col_of(n, "text") ") " row_op[pick(6)] " (" ival() ", " tval() ")" # row comparison
    if (r == 7) return col_of(n, "num") " " op " " nval()
    if (r == 8 && pick(2)) return sub_cond(n)
    if (r == 9 && pick(2)) return col_of(n, "int") " = " (pick(6) - 1) # a point lookup, where an index has it
    return int_expr(n) " " op " " int_expr(n)
}
# A subquery condition over another table, often correlated with column c of this query.
function sub_cond(n,   t, k, corr, r) {
    t = pick(ntab) + 1
    k = name[t] == "t3" ? "d" : name[t] == "t4" ? "x" : "a"
    corr = pick(3) ? " WHERE s." k " = " col_of(n, "int") : ""
    r = pick(5)
    if (r == 0) return (pick(2) ? "NOT " : "") "EXISTS (SELECT 1 FROM " name[t] " s" corr ")"
    if (r == 1) return col_of(n, "int") (pick(2) ? " NOT" : "") " IN (SELECT s." k " FROM " name[t] " s" corr ")"
    if (r == 2) return col_of(n, "int") " " substr("=<>", pick(3) + 1, 1) (pick(2) ? " ANY" : " ALL") " (SELECT s." k " FROM " name[t] " s" corr ")"
    if (r == 3) return "(SELECT count(*) FROM " name[t] " s" corr ") > " pick(3)
    return "COALESCE((SELECT max(s." k ") FROM " name[t] " s" corr "), 0) " substr("=<>", pick(3) + 1, 1) " " col_of(n, "int")
}
# ---- SELECT ----------------------------------------------------------------------
function aggregate(n,   r) {
    r = pick(11)
    if (r == 0) return "count(*)"
    if (r == 1) return "count(" col_of(n, "") ")"
    if (r == 2) return "count(DISTINCT " col_of(n, "") ")"
    if (r == 3) return "sum(" col_of(n, "int") ")"
    if (r == 4) return "avg(" col_of(n, pick(2) ? "int" : "num") ")"
    if (r == 5) return (pick(2) ? "min(" : "max(") col_of(n, "") ")"
    if (r == 6) return "sum(" col_of(n, "num") ")"
    if (r == 7) return "string_agg(" (c = col_of(n, "text")) ", ',' ORDER BY " c ")"
    if (r == 8) return "array_agg(" (c = col_of(n, "int")) " ORDER BY " c ")"
    if (r == 9) return "bool_or(" cond(n, 0) ")"
    return "count(*) FILTER (WHERE " cond(n, 0) ")"
}
# A window function whose value does not depend on the order of peers:
# rank, dense_rank, counts and sums over partitions, RANGE frames.
function window_call(n,   r, part, ord, frame) {
    part = pick(3) ? "PARTITION BY " col_of(n, "") : ""
    ord = pick(3) ? " ORDER BY " col_of(n, "") (pick(2) ? " DESC" : "") : ""
    r = pick(8)
    if (r >= 6) { # a RANGE frame at offsets over an integer key (NULLs among them)
        frame = " ORDER BY " col_of(n, "int") (pick(2) ? " DESC" : "") (pick(3) ? "" : " NULLS FIRST")
        frame = frame " RANGE BETWEEN " (pick(3) ? pick(3) " PRECEDING" : pick(2) ? "CURRENT ROW" : "UNBOUNDED PRECEDING")
        frame = frame " AND " (pick(3) ? pick(3) " FOLLOWING" : pick(2) ? "CURRENT ROW" : "UNBOUNDED FOLLOWING")
        return (r == 6 ? "count(*)" : "sum(" col_of(n, "int") ")") " OVER (" part frame ")"
    }
    if (r == 0 && ord != "") return "rank() OVER (" part ord ")"
    if (r == 1 && ord != "") return "dense_rank() OVER (" part ord ")"
    if (r == 2) return "count(*) OVER (" part ord ")"
    if (r == 3) return "sum(" col_of(n, "int") ") OVER (" part ord ")"
    if (r == 4) return "max(" col_of(n, "") ") OVER (" part ")"
    return "count(" col_of(n, "") ") OVER (" part ")"
}
# UNION / INTERSECT / EXCEPT [ALL] of two single-table queries, or a
# query over a subquery in FROM.
function set_query(   a, b, op, s, t1, t2) {
    t1 = pick(ntab) + 1; t2 = pick(ntab) + 1
    a = name[t1] == "t3" ? "d, b" : name[t1] == "t4" ? "x, b" : "a, b"
    b = name[t2] == "t3" ? "d, b" : name[t2] == "t4" ? "x, b" : "a, b"
    op = substr("UNION    INTERSECTEXCEPT   ", pick(3) * 9 + 1, 9)
    sub(/ +$/, "", op)
    if (pick(3)) op = op (pick(2) ? " ALL" : "")
    s = "SELECT " a " FROM " name[t1] (pick(2) ? " WHERE " (name[t1] == "t3" ? "d" : name[t1] == "t4" ? "x" : "a") " > " (pick(4) - 1) : "") " " op " SELECT " b " FROM " name[t2]
    if (pick(3) == 0) return "SELECT count(*), count(DISTINCT u.b) FROM (" s ") u;"
    return s " ORDER BY 1, 2;"
}
function query(   n, s, ncols, i, grouped, g, ngroup, keys, e, distinct) {
    if (pick(8) == 0) return set_query()
    n = pick(4) + 1
    s = from_clause(n)
    distinct = pick(8) == 0
    grouped = pick(3) == 0
    ncols = 0
    sel = ""
    if (grouped) {
        ngroup = pick(3)
        keys = ""
        for (i = 0; i < ngroup; i++) {
            g = pick(3) ? col_of(n, "") : int_expr(n)
            keys = keys (i ? ", " : "") g
            sel = sel (ncols++ ? ", " : "") g
        }
        for (i = pick(3) + 1; i > 0; i--) sel = sel (ncols++ ? ", " : "") aggregate(n)
        if (pick(20) == 0) sel = sel ", " col_of(n, "") # ungrouped (or grouped by a key): PostgreSQL decides
        if (pick(20) == 0) ncols++
    } else {
        for (i = pick(4) + 1; i > 0; i--) {
            e = pick(4) ? col_of(n, "") : pick(2) ? int_expr(n) : "CASE WHEN " cond(n, 1) " THEN 'yes' END"
            sel = sel (ncols++ ? ", " : "") e
        }
        if (pick(4) == 0) sel = sel ", " window_call(n) (ncols++ ? "" : "")
        if (pick(25) == 0) { sel = sel ", a"; ncols++ } # ambiguous or missing unqualified names
    }
    s = "SELECT " (distinct ? "DISTINCT " : "") sel " FROM " s
    # Grouping sets: PostgreSQL 15 takes a grouped column that WHERE or a join sets equal to a constant or to
    # another grouped column (or that folds to a constant) for that constant or column in the total rows too:
    # in their values under DISTINCT (SELECT DISTINCT b ... WHERE b = 'y' GROUP BY GROUPING SETS ((b), ())
    # loses the total row) and in their sort order, which strand does not copy. So never under DISTINCT, and
    # sorted (and limited) outside, over the rows as made.
    gsets = ""
    if (grouped && ngroup && !distinct && pick(5) == 0)
        gsets = pick(3) == 0 ? "ROLLUP (" keys ")" : pick(2) ? "CUBE (" keys ")" : "GROUPING SETS ((" keys "), ())"
    if (pick(3)) s = s " WHERE " cond(n, 2)
    if (grouped && ngroup) s = s " GROUP BY " (gsets != "" ? gsets : keys)
    if (grouped && pick(3) == 0) s = s " HAVING " (pick(2) ? "count(*) > " pick(3) : aggregate(n) " IS NOT NULL")
    if (gsets != "") s = "SELECT * FROM (" s " OFFSET 0) gs"
    s = s " ORDER BY "
    for (i = 1; i <= ncols; i++) s = s (i > 1 ? ", " : "") i
    if (pick(6) == 0) s = s " LIMIT " pick(5)
    return s ";"
}
