/*
 * bind.c — the binder: resolves names against the catalog, settles every
 * expression's type with PostgreSQL's coercion rules (unknown literals take
 * the type their context asks for, numbers widen, assignments narrow), folds
 * casts of constants, infers parameter types, and builds the Plan.
 *
 * It does not execute anything (exec.c does) and keeps no state between
 * calls: everything it makes lives in the caller's arena.
 *
 * INTERFACE: planner_bind, planner_plan_returns_rows, planner_plan_ncols,
 *            planner_plan_columns
 */
#include "planner/planner_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAMEDATALEN_GUESS 255 /* longer names get no spelling hint */

typedef enum Coercion { COERCE_IMPLICIT, COERCE_ASSIGNMENT, COERCE_EXPLICIT } Coercion;

/* ---- errors with positions ------------------------------------------------------- */

static int char_pos(const Binder *b, int byte_pos) { return utf8_char_count(b->sql, (size_t)byte_pos) + 1; }

void *planner__fail_at(Binder *b, int byte_pos, const char *sqlstate, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    error_setv(b->err, sqlstate, fmt, ap);
    va_end(ap);
    if (byte_pos >= 0) b->err->position = char_pos(b, byte_pos);
    return NULL;
}

#define fail_at planner__fail_at

static const char *type_name(TypeId t) { return type_info(t)->sql_name; }

/* The leftmost byte position of an expression, as PostgreSQL's exprLocation
 * reports it (an operator node's own position is its operator). */
static int expr_location(const Expr *x) {
    int pos = x->pos, sub = pos;
    switch (x->kind) {
    case EXPR_BINARY: sub = expr_location(x->u.binary.left); break;
    case EXPR_IS_NULL: sub = expr_location(x->u.isnull.arg); break;
    case EXPR_CAST: sub = expr_location(x->u.cast.arg); break;
    case EXPR_SUBSCRIPT: sub = expr_location(x->u.subscript.value); break;
    case EXPR_QUANTIFIED: sub = expr_location(x->u.quantified.left); break;
    case EXPR_IN: sub = expr_location(x->u.in.left); break;
    case EXPR_DISTINCT: sub = expr_location(x->u.distinct.left); break;
    case EXPR_BOOLTEST: sub = expr_location(x->u.booltest.arg); break;
    case EXPR_COLLATE: sub = expr_location(x->u.collate.arg); break;
    case EXPR_FIELD: sub = expr_location(x->u.field.arg); break;
    case EXPR_SUBLINK:
        if (x->u.sublink.left) sub = expr_location(x->u.sublink.left);
        break;
    default: break;
    }
    return sub < pos ? sub : pos;
}

/* ---- types ------------------------------------------------------------------------- */

static bool is_string_type(TypeId t) { return t == TYPE_TEXT || t == TYPE_VARCHAR || t == TYPE_BPCHAR; }
static bool is_number_type(TypeId t) { return type_info(t)->category == TYPCAT_NUMERIC; }
static bool is_int_type(TypeId t) { return t == TYPE_INT2 || t == TYPE_INT4 || t == TYPE_INT8; }
static bool is_float_type(TypeId t) { return t == TYPE_FLOAT4 || t == TYPE_FLOAT8; }
static bool is_date_or_timestamp(TypeId t) { return t == TYPE_DATE || t == TYPE_TIMESTAMP || t == TYPE_TIMESTAMPTZ; }

SchemaKind planner__schema_kind(const char *schema) {
    if (!schema) return SCHEMA_NONE;
    if (strcmp(schema, "public") == 0) return SCHEMA_PUBLIC;
    if (strcmp(schema, "pg_catalog") == 0) return SCHEMA_PG_CATALOG;
    if (strcmp(schema, "information_schema") == 0 || strcmp(schema, "pg_toast") == 0) return SCHEMA_EMPTY;
    return SCHEMA_MISSING;
}

Table *planner__lookup_table(Binder *b, const char *schema, const char *name, int byte_pos) {
    SchemaKind k = planner__schema_kind(schema);
    Table *t = k == SCHEMA_NONE || k == SCHEMA_PUBLIC ? storage_table_lookup(b->storage, b->txn, name) : NULL;
    if (!t)
        fail_at(b, byte_pos, SQLSTATE_UNDEFINED_TABLE, "relation \"%s%s%s\" does not exist", schema ? schema : "",
                schema ? "." : "", name);
    return t;
}

/* A built-in function's or type's schema: none or pg_catalog finds it;
 * any other that exists holds none (false, no error); one that does not
 * exist is 3F000 (false, error set). */
static bool builtin_schema(Binder *b, const char *schema, int byte_pos) {
    SchemaKind k = planner__schema_kind(schema);
    if (k == SCHEMA_MISSING) fail_at(b, byte_pos, SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", schema);
    return k == SCHEMA_NONE || k == SCHEMA_PG_CATALOG;
}

static bool resolve_base_type(Binder *b, const SqlTypeName *tn, TypeId *type, int32_t *typmod) {
    const TypeInfo *ti = builtin_schema(b, tn->schema, tn->pos) ? type_by_name(tn->name) : NULL;
    if (b->err->set) return false;
    if (!ti || ti->id == TYPE_UNKNOWN) {
        fail_at(b, tn->pos, SQLSTATE_UNDEFINED_OBJECT, "type \"%s%s%s%s\" does not exist", tn->schema ? tn->schema : "",
                tn->schema ? "." : "", tn->name, tn->array ? "[]" : "");
        return false;
    }
    *type = ti->id;
    *typmod = -1;
    if (tn->ntypmods && (ti->id == TYPE_VARCHAR || ti->id == TYPE_BPCHAR)) {
        const char *name = ti->id == TYPE_BPCHAR ? "char" : "varchar"; /* as anychar_typmodin words it */
        if (tn->ntypmods != 1) {
            fail_at(b, tn->pos, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid type modifier");
            return false;
        }
        if (tn->typmods[0] < 1) {
            fail_at(b, tn->pos, SQLSTATE_INVALID_PARAMETER_VALUE, "length for type %s must be at least 1", name);
            return false;
        }
        if (tn->typmods[0] > 10485760) {
            fail_at(b, tn->pos, SQLSTATE_INVALID_PARAMETER_VALUE, "length for type %s cannot exceed 10485760", name);
            return false;
        }
        *typmod = tn->typmods[0] + 4;
    } else if (ti->id == TYPE_INTERVAL && (tn->ntypmods || tn->interval_range)) {
        if (!interval_typmod(tn->interval_range, tn->ntypmods, tn->typmods, typmod, b->err)) {
            b->err->position = char_pos(b, tn->pos);
            return false;
        }
    } else if (tn->ntypmods && ti->id == TYPE_NUMERIC) {
        if (!numeric_typmod(tn->ntypmods, tn->typmods, typmod, b->err)) {
            b->err->position = char_pos(b, tn->pos);
            return false;
        }
    } else if (tn->ntypmods && (ti->id == TYPE_TIMESTAMP || ti->id == TYPE_TIMESTAMPTZ || ti->id == TYPE_TIME ||
                                ti->id == TYPE_TIMETZ)) {
        const char *what = ti->id == TYPE_TIME        ? "TIME"
                           : ti->id == TYPE_TIMETZ    ? "TIME WITH TIME ZONE"
                           : ti->id == TYPE_TIMESTAMP ? "TIMESTAMP"
                                                      : "TIMESTAMP WITH TIME ZONE";
        if (tn->ntypmods != 1) {
            fail_at(b, tn->pos, SQLSTATE_INVALID_PARAMETER_VALUE, "invalid type modifier");
            return false;
        }
        if (tn->typmods[0] < 0) {
            fail_at(b, tn->pos, SQLSTATE_INVALID_PARAMETER_VALUE, "%s(%d) precision must not be negative", what,
                    tn->typmods[0]);
            return false;
        }
        *typmod = tn->typmods[0] > 6 ? 6 : tn->typmods[0]; /* PostgreSQL warns and takes 6 */
    } else if (tn->ntypmods) {
        fail_at(b, tn->pos, SQLSTATE_SYNTAX_ERROR, "type modifier is not allowed for type \"%s\"", ti->name);
        return false;
    }
    return true;
}

/* A type name; name[] is the array of name (its typmod applies to the elements). */
bool planner__resolve_type(Binder *b, const SqlTypeName *tn, TypeId *type, int32_t *typmod) {
    if (!resolve_base_type(b, tn, type, typmod)) return false;
    if (!tn->array || type_is_array(*type)) return true;
    TypeId array = type_array_of(*type);
    if (array == TYPE_INVALID) {
        fail_at(b, tn->pos, SQLSTATE_UNDEFINED_OBJECT, "could not find array type for data type %s", type_name(*type));
        return false;
    }
    *type = array;
    return true;
}

static bool cast_allowed(TypeId from, TypeId to, Coercion c);

/* An array converts to another as its elements do (PostgreSQL's array coercion). */
static bool array_cast_allowed(TypeId from, TypeId to, Coercion c) {
    TypeId fe = type_info(from)->elem, te = type_info(to)->elem;
    return fe != te && cast_allowed(fe, te, c);
}

static bool cast_allowed(TypeId from, TypeId to, Coercion c) {
    if (from == to || from == TYPE_UNKNOWN) return true;
    if (type_is_array(from) && type_is_array(to)) return array_cast_allowed(from, to, c);
    CastContext listed = type_cast_context(from, to); /* types.def's CAST rows */
    if (listed != CAST_NONE)
        return c == COERCE_EXPLICIT || listed == CAST_IMPLICIT || (c == COERCE_ASSIGNMENT && listed == CAST_ASSIGNMENT);
    if (is_string_type(from) && is_string_type(to)) return true;
    if (is_number_type(from) && is_number_type(to)) {
        if (c != COERCE_IMPLICIT) return true;
        return type_info(from)->numeric_rank < type_info(to)->numeric_rank;
    }
    if (c == COERCE_IMPLICIT) return false;
    if (is_string_type(to)) return true;
    if (c == COERCE_ASSIGNMENT) return false;
    if (is_string_type(from)) return true;
    return (from == TYPE_BOOL && to == TYPE_INT4) || (from == TYPE_INT4 && to == TYPE_BOOL);
}

/* ---- expression nodes ----------------------------------------------------------------- */

static BExpr *node(Binder *b, BExprKind kind, TypeId type, int byte_pos) {
    BExpr *e = arena_zalloc(b->arena, sizeof *e);
    e->kind = kind;
    e->type = type;
    e->typmod = -1;
    e->pos = byte_pos >= 0 ? byte_pos + 1 : 0; /* characters are counted only for an error */
    return e;
}

static BExpr *const_node(Binder *b, Value v, int byte_pos) {
    BExpr *e = node(b, BEXPR_CONST, (TypeId)v.type, byte_pos);
    e->u.constant = v;
    return e;
}

static bool is_unknown_const(const BExpr *e) { return e->kind == BEXPR_CONST && e->type == TYPE_UNKNOWN; }
static bool is_unresolved_param(const BExpr *e) { return e->kind == BEXPR_PARAM && e->type == TYPE_UNKNOWN; }
static bool is_unknown(const BExpr *e) { return is_unknown_const(e) || is_unresolved_param(e); }

/*
 * Makes e of type `to`, or returns NULL without setting an error when no
 * cast of that strength exists (the caller words the message). Unknown
 * literals are converted now (their errors point at the literal) and
 * parameters of unknown type take the type; anything else gets a CAST node,
 * which fold.c evaluates at plan time when its input is constant.
 */
static BExpr *coerce(Binder *b, BExpr *e, TypeId to, int32_t typmod, Coercion c, bool *failed) {
    *failed = false;
    if (is_unresolved_param(e)) {
        b->params->types[e->u.param] = to;
        e->type = to;
    }
    if (e->type == to && (typmod < 0 || e->typmod == typmod)) return e;
    if (!cast_allowed((TypeId)e->type, to, c)) return NULL;
    if (is_unknown_const(e)) {
        /* An unknown literal takes its type now, so its errors point at it
         * (PostgreSQL does this while parsing). Casts of typed constants and
         * length limits wait for constant folding (fold.c), after every
         * binding error, as in PostgreSQL's planner. */
        Value v = e->u.constant;
        Error cast_err;
        /* an interval's fields decide what its text means (INTERVAL '2' HOUR): they come along */
        if (!planner__cast_value(&v, to, to == TYPE_INTERVAL ? typmod : -1, c == COERCE_EXPLICIT, b->arena,
                                 &cast_err)) {
            *failed = true;
            *b->err = cast_err;
            b->err->position = e->pos ? char_pos(b, e->pos - 1) : 0;
            return NULL;
        }
        BExpr *k = node(b, BEXPR_CONST, to, -1);
        k->pos = e->pos;
        k->u.constant = v;
        if (typmod < 0) return k;
        e = k;
    }
    BExpr *cast = node(b, BEXPR_CAST, to, -1);
    cast->pos = e->pos;
    cast->typmod = typmod;
    cast->u.cast.arg = e;
    cast->u.cast.typmod = typmod;
    cast->u.cast.is_explicit = c == COERCE_EXPLICIT;
    return cast;
}

static BExpr *bind_expr(Binder *b, const Expr *x);

static BExpr *coerce_to_bool(Binder *b, BExpr *e, const char *construct, int byte_pos) {
    bool failed;
    BExpr *r = coerce(b, e, TYPE_BOOL, -1, COERCE_IMPLICIT, &failed);
    if (r || failed) return r;
    return fail_at(b, byte_pos, SQLSTATE_DATATYPE_MISMATCH, "argument of %s must be type boolean, not type %s",
                   construct, type_name(e->type));
}

/* x's operator as errors name it: with the schema OPERATOR() gave it. */
static const char *operator_name(Binder *b, const Expr *x) {
    const char *name = x->u.binary.op == SQL_OP_OTHER ? x->u.binary.opname : sql_op_name(x->u.binary.op);
    if (!x->u.binary.opschema) return name;
    return arena_sprintf(b->arena, "%s.%s", x->u.binary.opschema, name);
}

static BExpr *no_operator(Binder *b, const Expr *x, TypeId l, TypeId r) {
    fail_at(b, x->pos, SQLSTATE_UNDEFINED_FUNCTION, "operator does not exist: %s %s %s", type_name(l),
            operator_name(b, x), type_name(r));
    error_hint(b->err,
               "No operator matches the given name and argument types. You might need to add explicit type casts.");
    return NULL;
}

/* The type both operands of an arithmetic or comparison operator take. */
static bool common_type(BExpr *l, BExpr *r, bool comparison, TypeId *out) {
    if (is_unknown(l) && is_unknown(r)) {
        *out = TYPE_TEXT;
        return comparison;
    }
    if (is_unknown(l) || is_unknown(r)) {
        *out = is_unknown(l) ? r->type : l->type;
        return comparison || is_number_type(*out);
    }
    if (is_number_type(l->type) && is_number_type(r->type)) {
        *out = type_info(l->type)->numeric_rank >= type_info(r->type)->numeric_rank ? l->type : r->type;
        /* float4 with anything else is float8: PostgreSQL's mixed operators
         * (float48pl, ...) win by the preferred type */
        if (*out == TYPE_FLOAT4 && l->type != r->type) *out = TYPE_FLOAT8;
        return true;
    }
    if (!comparison) return false;
    if (is_string_type(l->type) && is_string_type(r->type)) {
        *out = l->type == r->type ? l->type : TYPE_TEXT;
        return true;
    }
    /* date with timestamp, timestamp with timestamptz: the side an implicit cast reaches */
    if (type_cast_context(r->type, l->type) == CAST_IMPLICIT) return *out = l->type, true;
    if (type_cast_context(l->type, r->type) == CAST_IMPLICIT) return *out = r->type, true;
    *out = l->type;
    return l->type == r->type;
}

static bool coerce_pair(Binder *b, BExpr **l, BExpr **r, TypeId t) {
    bool failed;
    BExpr *cl = coerce(b, *l, t, -1, COERCE_IMPLICIT, &failed);
    if (!cl) return false;
    BExpr *cr = coerce(b, *r, t, -1, COERCE_IMPLICIT, &failed);
    if (!cr) return false;
    *l = cl;
    *r = cr;
    return true;
}

/* x's operator on l and r made of types want_l and want_r (by casts of
 * strength c), giving `result`; 42883 if a cast does not exist. */
static BExpr *arith(Binder *b, const Expr *x, TypeId result, BExpr *l, TypeId want_l, BExpr *r, TypeId want_r,
                    Coercion c) {
    TypeId lt = l->type, rt = r->type;
    bool failed;
    if (!(l = coerce(b, l, want_l, -1, c, &failed))) return failed ? NULL : no_operator(b, x, lt, rt);
    if (!(r = coerce(b, r, want_r, -1, c, &failed))) return failed ? NULL : no_operator(b, x, lt, rt);
    BExpr *e = node(b, BEXPR_ARITH, result, x->pos);
    e->u.op.op = x->u.binary.op;
    e->u.op.left = l;
    e->u.op.right = r;
    return e;
}

static BExpr *bind_operator(Binder *b, const Expr *x, BExpr *l, BExpr *r);

static BExpr *bind_concat(Binder *b, const Expr *x, BExpr *l, BExpr *r) {
    /* jsonb || jsonb and bytea || bytea (an unknown side taking the other's type) are operators of their own */
    TypeId other = is_unknown(l) ? r->type : l->type;
    if ((other == TYPE_JSONB || other == TYPE_BYTEA) && (l->type == r->type || is_unknown(l) || is_unknown(r)))
        return bind_operator(b, x, l, r);
    /* array || array, array || element, element || array */
    if (type_is_array((TypeId)l->type) || type_is_array((TypeId)r->type)) return bind_operator(b, x, l, r);
    bool ls = is_string_type(l->type) || is_unknown(l), rs = is_string_type(r->type) || is_unknown(r);
    if (!ls && !rs) return no_operator(b, x, l->type, r->type);
    /* text || anything: the other side goes through its output function. */
    return arith(b, x, TYPE_TEXT, l, TYPE_TEXT, r, TYPE_TEXT, COERCE_EXPLICIT);
}

/*
 * pg_lsn's arithmetic operators, PostgreSQL's four:
 *   pg_lsn - pg_lsn → numeric (the distance in bytes)
 *   pg_lsn + numeric, numeric + pg_lsn, pg_lsn - numeric → pg_lsn
 * resolved as PostgreSQL's operator lookup finds them: an unknown operand
 * (literal, NULL or parameter) opposite a pg_lsn under `-` first tries the
 * exact match pg_lsn - pg_lsn; otherwise the numeric side must be unknown
 * or widen implicitly to numeric (integers do, float8 does not). Any other
 * operator or operand is 42883.
 */
static BExpr *bind_lsn_arith(Binder *b, const Expr *x, BExpr *l, BExpr *r) {
    SqlOp op = x->u.binary.op;
    TypeId lt = l->type, rt = r->type, want_l, want_r, result = TYPE_PG_LSN;
    bool l_lsn = lt == TYPE_PG_LSN || is_unknown(l), r_lsn = rt == TYPE_PG_LSN || is_unknown(r);
    if (op == SQL_OP_SUB && l_lsn && r_lsn) {
        want_l = want_r = TYPE_PG_LSN;
        result = TYPE_NUMERIC;
    } else if ((op == SQL_OP_ADD || op == SQL_OP_SUB) && lt == TYPE_PG_LSN) {
        want_l = TYPE_PG_LSN;
        want_r = TYPE_NUMERIC;
    } else if (op == SQL_OP_ADD && rt == TYPE_PG_LSN) {
        want_l = TYPE_NUMERIC;
        want_r = TYPE_PG_LSN;
    } else {
        return no_operator(b, x, lt, rt);
    }
    return arith(b, x, result, l, want_l, r, want_r, COERCE_IMPLICIT);
}

/* x's operator (x: its position, and its operands' for errors) on l and r, already bound. */
static BExpr *bind_binary_bound(Binder *b, const Expr *x, BExpr *l, BExpr *r) {
    SqlOp op = x->u.binary.op;
    if (op == SQL_OP_AND || op == SQL_OP_OR) {
        const char *name = op == SQL_OP_AND ? "AND" : "OR";
        if (!(l = coerce_to_bool(b, l, name, expr_location(x->u.binary.left)))) return NULL;
        if (!(r = coerce_to_bool(b, r, name, expr_location(x->u.binary.right)))) return NULL;
        BExpr *e = node(b, op == SQL_OP_AND ? BEXPR_AND : BEXPR_OR, TYPE_BOOL, x->pos);
        e->u.op.op = op;
        e->u.op.left = l;
        e->u.op.right = r;
        return e;
    }
    if (x->u.binary.opschema && strcmp(x->u.binary.opschema, "pg_catalog") != 0)
        return no_operator(b, x, l->type, r->type);
    if (op == SQL_OP_CONCAT) return bind_concat(b, x, l, r);
    if (op == SQL_OP_OTHER) return bind_operator(b, x, l, r);
    bool comparison = op >= SQL_OP_EQ && op <= SQL_OP_GE;
    TypeId t;
    if (is_unknown(l) && is_unknown(r) && !comparison) {
        fail_at(b, x->pos, SQLSTATE_AMBIGUOUS_FUNCTION, "operator is not unique: unknown %s unknown", sql_op_name(op));
        error_hint(b->err, "Could not choose a best candidate operator. You might need to add explicit type casts.");
        return NULL;
    }
    if (!comparison && (l->type == TYPE_PG_LSN || r->type == TYPE_PG_LSN)) return bind_lsn_arith(b, x, l, r);
    /* arithmetic beyond numbers: the date and time operators, jsonb - text, ... */
    bool l_number = is_number_type(l->type) || is_unknown(l), r_number = is_number_type(r->type) || is_unknown(r);
    if (!comparison && (!l_number || !r_number)) return bind_operator(b, x, l, r);
    TypeId lt = l->type, rt = r->type;
    if (comparison && (!type_is_orderable(lt) || !type_is_orderable(rt))) return no_operator(b, x, lt, rt);
    if (!common_type(l, r, comparison, &t)) return no_operator(b, x, lt, rt);
    if (!comparison && op == SQL_OP_MOD && t == TYPE_FLOAT8) return no_operator(b, x, lt, rt);
    if (!coerce_pair(b, &l, &r, t)) return b->err->set ? NULL : no_operator(b, x, lt, rt);
    BExpr *e = node(b, comparison ? BEXPR_COMPARE : BEXPR_ARITH, comparison ? TYPE_BOOL : t, x->pos);
    e->u.op.op = op;
    e->u.op.left = l;
    e->u.op.right = r;
    return e;
}

/* The COLLATE clause that gives x its collation explicitly, if any (through
 * ||, which keeps its operands' collation). */
static const Expr *explicit_collation(const Expr *x) {
    if (x->kind == EXPR_COLLATE) return x;
    if (x->kind != EXPR_BINARY || x->u.binary.op != SQL_OP_CONCAT) return NULL;
    const Expr *c = explicit_collation(x->u.binary.left);
    return c ? c : explicit_collation(x->u.binary.right);
}

/* Two different explicit collations cannot meet in one comparison or ||. */
static bool collations_conflict(Binder *b, const Expr *x) {
    SqlOp op = x->u.binary.op;
    if (op != SQL_OP_CONCAT && !(op >= SQL_OP_EQ && op <= SQL_OP_GE)) return false;
    const Expr *l = explicit_collation(x->u.binary.left), *r = explicit_collation(x->u.binary.right);
    if (!l || !r || strcmp(l->u.collate.name, r->u.collate.name) == 0) return false;
    fail_at(b, r->pos, SQLSTATE_COLLATION_MISMATCH, "collation mismatch between explicit collations \"%s\" and \"%s\"",
            l->u.collate.name, r->u.collate.name);
    return true;
}

static BExpr *bind_binary(Binder *b, const Expr *x) {
    BExpr *l = bind_expr(b, x->u.binary.left);
    if (!l) return NULL;
    BExpr *r = bind_expr(b, x->u.binary.right);
    if (!r || collations_conflict(b, x)) return NULL;
    return bind_binary_bound(b, x, l, r);
}

/* A comparison of bound operands written at byte `at`, as an operator of
 * the text would be bound (left and right: where the operands are written). */
static BExpr *bind_comparison(Binder *b, SqlOp op, int at, const Expr *left, BExpr *l, const Expr *right, BExpr *r) {
    Expr x = {.kind = EXPR_BINARY, .pos = at};
    x.u.binary.op = op;
    x.u.binary.left = (Expr *)left;
    x.u.binary.right = (Expr *)right;
    return bind_binary_bound(b, &x, l, r);
}

/* -<literal> is one literal, as in PostgreSQL's grammar (so -2147483648 is an int4). */
static BExpr *bind_number_literal(Binder *b, const char *text, bool decimal, int byte_pos) {
    Value v;
    Error ignored;
    if (!decimal && value_from_text(TYPE_INT4, text, strlen(text), b->arena, &v, &ignored))
        return const_node(b, v, byte_pos);
    if (!decimal && value_from_text(TYPE_INT8, text, strlen(text), b->arena, &v, &ignored))
        return const_node(b, v, byte_pos);
    if (!value_from_text(TYPE_NUMERIC, text, strlen(text), b->arena, &v, b->err)) return NULL;
    return const_node(b, v, byte_pos);
}

static BExpr *bind_prefix_operator(Binder *b, const Expr *x, BExpr *a);

static BExpr *bind_unary(Binder *b, const Expr *x) {
    const Expr *arg = x->u.unary.arg;
    if (x->u.unary.op == SQL_OP_NEG && (arg->kind == EXPR_INTEGER || arg->kind == EXPR_DECIMAL))
        return bind_number_literal(b, arena_sprintf(b->arena, "-%s", arg->u.text), arg->kind == EXPR_DECIMAL, x->pos);
    BExpr *a = bind_expr(b, arg);
    if (!a) return NULL;
    if (x->u.unary.op == SQL_OP_OTHER) return bind_prefix_operator(b, x, a);
    if (x->u.unary.op == SQL_OP_NOT) {
        if (!(a = coerce_to_bool(b, a, "NOT", expr_location(arg)))) return NULL;
        BExpr *e = node(b, BEXPR_NOT, TYPE_BOOL, x->pos);
        e->u.arg = a;
        return e;
    }
    if (is_unknown(a)) {
        fail_at(b, x->pos, SQLSTATE_AMBIGUOUS_FUNCTION, "operator is not unique: %s unknown",
                sql_op_name(x->u.unary.op));
        error_hint(b->err, "Could not choose a best candidate operator. You might need to add explicit type casts.");
        return NULL;
    }
    if (a->type == TYPE_INTERVAL && x->u.unary.op == SQL_OP_NEG) {
        BExpr *e = node(b, BEXPR_NEG, a->type, x->pos);
        e->u.arg = a;
        return e;
    }
    if (!is_number_type(a->type)) {
        fail_at(b, x->pos, SQLSTATE_UNDEFINED_FUNCTION, "operator does not exist: %s %s", sql_op_name(x->u.unary.op),
                type_name(a->type));
        error_hint(
            b->err,
            "No operator matches the given name and argument type. You might need to add an explicit type cast.");
        return NULL;
    }
    if (x->u.unary.op == SQL_OP_PLUS) return a;
    BExpr *e = node(b, BEXPR_NEG, a->type, x->pos);
    e->u.arg = a;
    return e;
}

/* Edit distance with unit costs (insert, delete, substitute), in bytes as
 * PostgreSQL's varstr_levenshtein counts for single-byte text. */
static BExpr *bind_column(Binder *b, const Expr *x) { return planner__scope_column(b, x); }

static const ScopeItem *whole_row(Binder *b, const Expr *x);

/* (x).name: of a whole-row reference (t).c, t's column c; strand has no
 * composite values otherwise, and PostgreSQL refuses any other type. */
static BExpr *bind_field(Binder *b, const Expr *x) {
    const Expr *arg = x->u.field.arg;
    if (x->u.field.name && whole_row(b, arg)) {
        Expr *c = arena_zalloc(b->arena, sizeof *c);
        *c = *arg;
        c->u.column.table = arg->u.column.name;
        c->u.column.name = x->u.field.name;
        return bind_column(b, c);
    }
    BExpr *e = bind_expr(b, arg);
    if (!e) return NULL;
    if (!x->u.field.name)
        return fail_at(b, x->pos, SQLSTATE_FEATURE_NOT_SUPPORTED, "(x).* is supported only for a table in FROM yet");
    return fail_at(b, expr_location(arg), SQLSTATE_WRONG_OBJECT_TYPE,
                   "column notation .%s applied to type %s, which is not a composite type", x->u.field.name,
                   type_name(e->type));
}

static void grow_params(Binder *b, int n) {
    ParamTypes *pt = b->params;
    if (n > pt->cap) {
        int cap = n > 2 * pt->cap ? n : 2 * pt->cap;
        TypeId *types = arena_alloc(b->arena, (size_t)cap * sizeof *types);
        if (pt->n) memcpy(types, pt->types, (size_t)pt->n * sizeof *types);
        pt->types = types;
        pt->cap = cap;
    }
    for (int i = pt->n; i < n; i++) pt->types[i] = TYPE_INVALID;
    if (n > pt->n) pt->n = n;
}

static BExpr *bind_param(Binder *b, const Expr *x) {
    int n = x->u.param;
    if (n < 1 || n > PLANNER_MAX_PARAMS || !b->params)
        return fail_at(b, x->pos, SQLSTATE_UNDEFINED_PARAMETER, "there is no parameter $%d", n);
    grow_params(b, n);
    TypeId t = b->params->types[n - 1];
    BExpr *e = node(b, BEXPR_PARAM, t == TYPE_INVALID ? TYPE_UNKNOWN : t, x->pos);
    e->u.param = n - 1;
    return e;
}

static BExpr *bind_array(Binder *b, const Expr *x, TypeId type);

static BExpr *bind_cast(Binder *b, const Expr *x) {
    TypeId to;
    int32_t typmod;
    BExpr *a;
    if (x->u.cast.arg->kind == EXPR_ARRAY) { /* ARRAY[...]::t[]: the elements become t's directly */
        if (!planner__resolve_type(b, &x->u.cast.type, &to, &typmod)) return NULL;
        if (!(a = bind_array(b, x->u.cast.arg, type_is_array(to) ? to : TYPE_INVALID))) return NULL;
    } else {
        if (!(a = bind_expr(b, x->u.cast.arg))) return NULL;
        if (!planner__resolve_type(b, &x->u.cast.type, &to, &typmod)) return NULL;
    }
    bool failed;
    BExpr *e = coerce(b, a, to, typmod, COERCE_EXPLICIT, &failed);
    if (e || failed) return e;
    return fail_at(b, x->pos, SQLSTATE_CANNOT_COERCE, "cannot cast type %s to %s", type_name(a->type), type_name(to));
}

/* The type a function takes at argument a: a variadic one takes any after its own. */
static TypeId arg_type(const PlannerFunc *fn, int a) { return a < fn->nargs ? fn->argtypes[a] : TYPE_ANY; }

/* ---- polymorphic functions: anyarray and anyelement, anycompatible* ---------------------
 * An array argument and an element argument bind together: the element
 * type comes from the arrays' elements and the element arguments (the
 * compatible family takes a type all of them convert to; the other needs
 * one type), and fixes the array type and the result. */

static bool is_poly_array(TypeId t) { return t == TYPE_ANYARRAY || t == TYPE_ANYCOMPATIBLEARRAY; }
static bool is_poly_element(TypeId t) { return t == TYPE_ANYELEMENT || t == TYPE_ANYCOMPATIBLE; }
static bool is_polymorphic(TypeId t) { return is_poly_array(t) || is_poly_element(t); }

/* The type both of two element types become, or TYPE_INVALID. */
static TypeId common_element(TypeId a, TypeId b, bool compatible) {
    if (a == b) return a;
    if (!compatible) return TYPE_INVALID;
    if (is_number_type(a) && is_number_type(b)) {
        TypeId t = type_info(a)->numeric_rank >= type_info(b)->numeric_rank ? a : b;
        return t == TYPE_FLOAT4 ? TYPE_FLOAT8 : t;
    }
    if (is_string_type(a) && is_string_type(b)) return TYPE_TEXT;
    if (type_cast_context(a, b) == CAST_IMPLICIT) return b;
    if (type_cast_context(b, a) == CAST_IMPLICIT) return a;
    return TYPE_INVALID;
}

/* The element type of a call of fn with args: TYPE_UNKNOWN when only
 * unknowns are there (each taken as unknown_as if that is given),
 * TYPE_INVALID when the arguments disagree. */
static TypeId poly_element(const PlannerFunc *fn, BExpr **args, int nargs, TypeId unknown_as) {
    TypeId elem = TYPE_UNKNOWN;
    for (int a = 0; a < nargs; a++) {
        TypeId want = arg_type(fn, a);
        if (!is_polymorphic(want)) continue;
        TypeId t = is_unknown(args[a]) ? unknown_as : (TypeId)args[a]->type;
        if (t == TYPE_INVALID) continue;
        if (is_poly_array(want)) {
            if (!type_is_array(t)) return TYPE_INVALID;
            t = type_info(t)->elem;
        }
        elem = elem == TYPE_UNKNOWN
                   ? t
                   : common_element(elem, t, want == TYPE_ANYCOMPATIBLE || want == TYPE_ANYCOMPATIBLEARRAY);
        if (elem == TYPE_INVALID) return TYPE_INVALID;
    }
    return elem;
}

static bool has_polymorphic_args(const PlannerFunc *fn) {
    for (int a = 0; a < fn->nargs; a++)
        if (is_polymorphic(fn->argtypes[a])) return true;
    return false;
}

/* What a polymorphic declared type stands for, given the element type. */
static TypeId poly_instance(TypeId declared, TypeId elem) {
    if (is_poly_array(declared)) return type_array_of(elem);
    return is_poly_element(declared) ? elem : declared;
}

/* The arguments of a call to fn, coerced implicitly to its argument types
 * (polymorphic ones resolved), and the call's result type; false without
 * an error if one does not convert. */
static bool bind_func_args(Binder *b, const PlannerFunc *fn, BExpr **args, int nargs, TypeId *result) {
    TypeId elem = TYPE_INVALID;
    *result = fn->result;
    if (has_polymorphic_args(fn)) {
        elem = poly_element(fn, args, nargs, TYPE_INVALID);
        bool compatible = false;
        for (int a = 0; a < fn->nargs; a++)
            compatible |= fn->argtypes[a] == TYPE_ANYCOMPATIBLE || fn->argtypes[a] == TYPE_ANYCOMPATIBLEARRAY;
        if (elem == TYPE_UNKNOWN && compatible) elem = TYPE_TEXT;
        if (elem == TYPE_UNKNOWN) {
            fail_at(b, -1, SQLSTATE_DATATYPE_MISMATCH,
                    "could not determine polymorphic type because input has type unknown");
            return false;
        }
        if (elem == TYPE_INVALID) return false;
        if (type_array_of(elem) == TYPE_INVALID) {
            fail_at(b, -1, SQLSTATE_UNDEFINED_OBJECT, "could not find array type for data type %s", type_name(elem));
            return false;
        }
        *result = poly_instance(fn->result, elem);
    }
    for (int i = 0; i < nargs; i++) {
        bool failed;
        if (arg_type(fn, i) == TYPE_ANY) {
            /* Taken as it is; an unknown literal is text, as PostgreSQL resolves it for "any". */
            if (is_unknown(args[i]) && !(args[i] = coerce(b, args[i], TYPE_TEXT, -1, COERCE_IMPLICIT, &failed)))
                return false;
            continue;
        }
        if (!(args[i] = coerce(b, args[i], poly_instance(arg_type(fn, i), elem), -1, COERCE_IMPLICIT, &failed)))
            return false;
    }
    return true;
}

/* ---- function resolution: PostgreSQL's func_select_candidate --------------------- */

#define MAX_CANDIDATES 16
#define PG_TYPEOF_OID 1619

static bool arg_matches(const BExpr *arg, TypeId want) {
    if (is_poly_array(want)) return is_unknown(arg) || type_is_array((TypeId)arg->type);
    return want == TYPE_ANY || is_poly_element(want) || is_unknown(arg) || arg->type == want ||
           cast_allowed((TypeId)arg->type, want, COERCE_IMPLICIT);
}

/* The type all known arguments have, if they have one (PostgreSQL's last
 * rule: unknowns are then taken to be of that type). */
static TypeId shared_known_type(BExpr **args, int nargs) {
    TypeId t = TYPE_INVALID;
    for (int a = 0; a < nargs; a++) {
        if (is_unknown(args[a])) continue;
        if (t != TYPE_INVALID && t != args[a]->type) return TYPE_INVALID;
        t = args[a]->type;
    }
    return t;
}

/* Polymorphic candidates whose arguments do not agree on an element type
 * drop out; if several remain, unknowns are taken as the known arguments'
 * type where that decides. */
static int consistent_candidates(const PlannerFunc **c, int n, BExpr **args, int nargs) {
    int kept = 0;
    for (int i = 0; i < n; i++)
        if (!has_polymorphic_args(c[i]) || poly_element(c[i], args, nargs, TYPE_INVALID) != TYPE_INVALID)
            c[kept++] = c[i];
    TypeId shared = shared_known_type(args, nargs);
    if (kept < 2 || shared == TYPE_INVALID) return kept;
    const PlannerFunc *fit[MAX_CANDIDATES];
    int nfit = 0;
    for (int i = 0; i < kept; i++)
        if (!has_polymorphic_args(c[i]) || poly_element(c[i], args, nargs, shared) != TYPE_INVALID) fit[nfit++] = c[i];
    if (nfit == 0) return kept;
    memcpy(c, fit, (size_t)nfit * sizeof *fit);
    return nfit;
}

/* Keeps the candidates scoring highest (and at least once); returns how many. */
static int keep_best(const PlannerFunc **c, int n, const int *score) {
    int best = score[0], kept = 0;
    for (int i = 1; i < n; i++)
        if (score[i] > best) best = score[i];
    for (int i = 0; i < n; i++)
        if (score[i] == best) c[kept++] = c[i];
    return kept;
}

/* For each unknown argument: candidates taking a string type there if any
 * do, else those of one category, preferring its preferred type. */
static int resolve_unknowns(const PlannerFunc **c, int n, BExpr **args, int nargs, bool *ambiguous) {
    for (int a = 0; a < nargs && n > 1; a++) {
        if (!is_unknown(args[a])) continue;
        TypeCategory cat = type_info(arg_type(c[0], a))->category;
        bool string = false, mixed = false;
        for (int i = 0; i < n; i++) {
            TypeCategory ci = type_info(arg_type(c[i], a))->category;
            string |= ci == TYPCAT_STRING;
            mixed |= ci != cat;
        }
        if (string)
            cat = TYPCAT_STRING;
        else if (mixed)
            return *ambiguous = true, n;
        int score[MAX_CANDIDATES];
        for (int i = 0; i < n; i++) {
            const TypeInfo *ti = type_info(arg_type(c[i], a));
            score[i] = ti->category == cat ? 1 + ti->preferred : 0;
        }
        n = keep_best(c, n, score);
    }
    return n;
}

/* The best of the candidates c[0..total) for args, as PostgreSQL's
 * func_select_candidate chooses; NULL when none matches (*ambiguous false)
 * or several do equally well (*ambiguous true). */
static const PlannerFunc *select_candidate(const PlannerFunc **c, int total, BExpr **args, int nargs, bool *ambiguous) {
    int n = 0;
    *ambiguous = false;
    for (int i = 0; i < total && i < MAX_CANDIDATES; i++) {
        bool ok = true;
        for (int a = 0; a < nargs && ok; a++) ok = arg_matches(args[a], arg_type(c[i], a));
        if (ok) c[n++] = c[i];
    }
    n = consistent_candidates(c, n, args, nargs);
    if (n <= 1) return n ? c[0] : NULL;
    int exact[MAX_CANDIDATES], preferred[MAX_CANDIDATES];
    for (int i = 0; i < n; i++) {
        exact[i] = 0;
        for (int a = 0; a < nargs; a++) exact[i] += !is_unknown(args[a]) && args[a]->type == arg_type(c[i], a);
    }
    n = keep_best(c, n, exact);
    if (n > 1) {
        for (int i = 0; i < n; i++) {
            preferred[i] = 0;
            for (int a = 0; a < nargs; a++)
                preferred[i] += !is_unknown(args[a]) && args[a]->type != arg_type(c[i], a) &&
                                type_info(arg_type(c[i], a))->preferred;
        }
        n = keep_best(c, n, preferred);
    }
    if (n > 1) n = resolve_unknowns(c, n, args, nargs, ambiguous);
    if (n == 1) return c[0];
    *ambiguous = true;
    return NULL;
}

static const PlannerFunc *select_func(const char *name, BExpr **args, int nargs, bool *ambiguous) {
    const PlannerFunc *c[MAX_CANDIDATES];
    int total = planner__func_candidates(name, nargs, false, c, MAX_CANDIDATES);
    return select_candidate(c, total, args, nargs, ambiguous);
}

/* An operator: first PostgreSQL's rule for one unknown operand (it takes
 * the other's type when an operator exists for that pair), then as for
 * functions. */
static const PlannerFunc *select_operator(const char *name, BExpr **args, bool *ambiguous) {
    const PlannerFunc *c[MAX_CANDIDATES];
    int total = planner__func_candidates(name, 2, true, c, MAX_CANDIDATES);
    if (is_unknown(args[0]) != is_unknown(args[1])) {
        TypeId known = is_unknown(args[0]) ? args[1]->type : args[0]->type;
        for (int i = 0; i < total && i < MAX_CANDIDATES; i++)
            if (c[i]->argtypes[0] == known && c[i]->argtypes[1] == known) return *ambiguous = false, c[i];
    }
    return select_candidate(c, total, args, 2, ambiguous);
}

static bool function_exists(const char *name, int nargs) {
    const PlannerFunc *c[1];
    return planner__func_candidates(name, nargs, false, c, 1) > 0;
}

/* Any other operator (types.def's OPER rows): a call of its implementation. */
static BExpr *bind_operator(Binder *b, const Expr *x, BExpr *l, BExpr *r) {
    BExpr *args[2] = {l, r};
    TypeId lt = l->type, rt = r->type;
    const char *name = x->u.binary.op == SQL_OP_OTHER ? x->u.binary.opname : sql_op_name(x->u.binary.op);
    const char *shown = operator_name(b, x);
    bool ambiguous;
    const PlannerFunc *fn = select_operator(name, args, &ambiguous);
    TypeId result;
    if (fn && bind_func_args(b, fn, args, 2, &result)) {
        BExpr *e = node(b, BEXPR_FUNC, result, x->pos);
        e->u.func.fn = fn;
        e->u.func.args = arena_alloc(b->arena, 2 * sizeof *args);
        memcpy(e->u.func.args, args, sizeof args);
        e->u.func.nargs = 2;
        return e;
    }
    if (b->err->set) return NULL;
    if (ambiguous) {
        fail_at(b, x->pos, SQLSTATE_AMBIGUOUS_FUNCTION, "operator is not unique: %s %s %s", type_name(lt), shown,
                type_name(rt));
        error_hint(b->err, "Could not choose a best candidate operator. You might need to add explicit type casts.");
        return NULL;
    }
    return no_operator(b, x, lt, rt);
}

/* A prefix operator other than - and + (types.def's PREFIX_OPER rows):
 * a call of its implementation, chosen as a one-argument function is. */
static BExpr *bind_prefix_operator(Binder *b, const Expr *x, BExpr *a) {
    const PlannerFunc *c[MAX_CANDIDATES];
    const char *name = x->u.unary.opname;
    int total = planner__func_candidates(name, 1, true, c, MAX_CANDIDATES);
    bool ambiguous;
    const PlannerFunc *fn = select_candidate(c, total, &a, 1, &ambiguous);
    TypeId result;
    if (fn && bind_func_args(b, fn, &a, 1, &result)) {
        BExpr *e = node(b, BEXPR_FUNC, result, x->pos);
        e->u.func.fn = fn;
        e->u.func.args = arena_alloc(b->arena, sizeof a);
        e->u.func.args[0] = a;
        e->u.func.nargs = 1;
        return e;
    }
    if (b->err->set) return NULL;
    fail_at(b, x->pos, ambiguous ? SQLSTATE_AMBIGUOUS_FUNCTION : SQLSTATE_UNDEFINED_FUNCTION, "operator %s: %s %s",
            ambiguous ? "is not unique" : "does not exist", name, type_name(a->type));
    error_hint(b->err, ambiguous ? "Could not choose a best candidate operator. You might need to add explicit type "
                                   "casts."
                                 : "No operator matches the given name and argument type. You might need to add an "
                                   "explicit type cast.");
    return NULL;
}

/* The table x names as a whole (a whole-row reference): t where t is a
 * table in FROM and no column of that name is in scope; or NULL. */
static const ScopeItem *whole_row(Binder *b, const Expr *x) {
    if (x->kind != EXPR_COLUMN || x->u.column.table) return NULL;
    const ScopeItem *it = planner__scope_relation(b, x->u.column.name);
    if (!it || !it->rel) return NULL;
    for (int k = 0; k < b->scope->n; k++) {
        const ScopeItem *o = &b->scope->items[k];
        if (k < b->scope_from || !o->cols_visible) continue;
        for (int i = 0; i < o->ncols; i++)
            if (strcmp(o->colnames[i], x->u.column.name) == 0) return NULL;
    }
    return it;
}

/* row_to_json(t [, pretty]): the row's columns by name (records come with
 * the SQL query issue; a table's row is what applications pass). */
static BExpr *bind_row_to_json(Binder *b, const Expr *x, const ScopeItem *t) {
    static const TypeId ARGS[] = {TYPE_BOOL};
    static const PlannerFunc ROW_TO_JSON = {3155,        "row_to_json",       1,    ARGS, TYPE_JSON,
                                            FUNC_STABLE, row_to_json_columns, true, true, false};
    BExpr **args = arena_alloc(b->arena, (size_t)(2 * t->ncols + 2) * sizeof *args);
    if (x->u.func.nargs == 2) {
        bool failed;
        BExpr *p = bind_expr(b, x->u.func.args[1]);
        if (!p) return NULL;
        if (!(args[0] = coerce(b, p, TYPE_BOOL, -1, COERCE_IMPLICIT, &failed)))
            return failed ? NULL
                          : fail_at(b, x->pos, SQLSTATE_UNDEFINED_FUNCTION,
                                    "function row_to_json(record, %s) does not exist", type_name(p->type));
    } else {
        args[0] = const_node(b, value_bool(false), -1);
    }
    for (int i = 0; i < t->ncols; i++) {
        const char *col = t->colnames[i];
        args[1 + 2 * i] = const_node(b, value_string(TYPE_TEXT, col, (uint32_t)strlen(col)), -1);
        args[2 + 2 * i] = t->cols[i];
    }
    BExpr *e = node(b, BEXPR_FUNC, TYPE_JSON, x->pos);
    e->u.func.fn = &ROW_TO_JSON;
    e->u.func.args = args;
    e->u.func.nargs = 1 + 2 * t->ncols;
    return e;
}

/* ---- aggregate calls --------------------------------------------------------------- */

static bool sort_by(Binder *b, SortKey *key, BExpr *e, int byte_pos);
static BExpr *resolve_unknown_output(Binder *b, BExpr *e);

static void add_agg(Binder *b, AggCall *c) {
    if (b->naggs == b->aggs_cap) {
        b->aggs_cap = b->aggs_cap ? 2 * b->aggs_cap : 8;
        AggCall **aggs = arena_alloc(b->arena, (size_t)b->aggs_cap * sizeof *aggs);
        if (b->naggs) memcpy(aggs, b->aggs, (size_t)b->naggs * sizeof *aggs);
        b->aggs = aggs;
    }
    b->aggs[b->naggs++] = c;
}

void *planner__no_function(Binder *b, const Expr *x, const char *arg_types, bool ambiguous) {
    const char *schema = x->u.func.schema ? x->u.func.schema : "", *dot = x->u.func.schema ? "." : "";
    if (ambiguous) {
        fail_at(b, x->pos, SQLSTATE_AMBIGUOUS_FUNCTION, "function %s%s%s(%s) is not unique", schema, dot,
                x->u.func.name, arg_types);
        error_hint(b->err, "Could not choose a best candidate function. You might need to add explicit type casts.");
    } else {
        fail_at(b, x->pos, SQLSTATE_UNDEFINED_FUNCTION, "function %s%s%s(%s) does not exist", schema, dot,
                x->u.func.name, x->u.func.star ? "*" : arg_types);
        error_hint(b->err, "No function matches the given name and argument types. You might need to add explicit "
                           "type casts.");
    }
    return NULL;
}

static BExpr *no_aggregate(Binder *b, const Expr *x, BExpr **args, int nargs, bool ambiguous) {
    StrBuf list;
    strbuf_init(&list);
    for (int i = 0; i < nargs; i++) strbuf_appendf(&list, "%s%s", i ? ", " : "", type_name(args[i]->type));
    planner__no_function(b, x, list.data, ambiguous);
    strbuf_deinit(&list);
    return NULL;
}

/* ORDER BY inside an aggregate: over the FROM row; with DISTINCT each key
 * must be one of the arguments. */
static bool bind_agg_order(Binder *b, const Expr *x, AggCall *c) {
    c->norder = x->u.func.norder;
    c->order = arena_zalloc(b->arena, (size_t)(c->norder + 1) * sizeof *c->order);
    for (int i = 0; i < c->norder; i++) {
        const OrderItem *item = &x->u.func.order[i];
        BExpr *e = bind_expr(b, item->expr);
        if (!e || !(e = resolve_unknown_output(b, e))) return false;
        c->order[i].desc = item->desc;
        c->order[i].nulls_first = item->nulls ? item->nulls == 1 : item->desc;
        if (!sort_by(b, &c->order[i], e, item->expr->pos)) return false;
        bool in_args = false;
        for (int a = 0; a < c->nargs && !in_args; a++) in_args = planner__bexpr_equal(c->args[a], e);
        if (c->distinct && !in_args)
            return fail_at(b, expr_location(item->expr), SQLSTATE_INVALID_COLUMN_REFERENCE,
                           "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list"),
                   false;
    }
    return true;
}

/* An aggregate call's arguments, ORDER BY and FILTER over the FROM row
 * (a window aggregate's arguments may hold plain aggregates). */
static AggCall *bind_agg_call(Binder *b, const Expr *x, bool window) {
    const char *name = x->u.func.name;
    AggCall *c = arena_zalloc(b->arena, sizeof *c);
    int nargs = x->u.func.nargs;
    c->star = x->u.func.star;
    c->distinct = x->u.func.distinct;
    c->nargs = nargs;
    c->args = arena_alloc(b->arena, (size_t)(nargs + 1) * sizeof *c->args);
    b->in_agg = !window;
    for (int i = 0; i < nargs; i++)
        if (!(c->args[i] = bind_expr(b, x->u.func.args[i]))) return b->in_agg = false, NULL;
    b->in_agg = false;
    TypeId types[2] = {TYPE_UNKNOWN, TYPE_UNKNOWN};
    for (int i = 0; i < nargs && i < 2; i++)
        types[i] = is_unknown(c->args[i]) ? TYPE_UNKNOWN : (TypeId)c->args[i]->type;
    AggResolution r =
        c->star && strcmp(name, "count") ? AGG_NONE : planner__agg_resolve(name, c->star ? 1 : nargs, types, c);
    if (c->star && r == AGG_FOUND) c->nargs = 0;
    if (r != AGG_FOUND) return no_aggregate(b, x, c->args, nargs, r == AGG_AMBIGUOUS), NULL;
    bool failed;
    for (int i = 0; i < c->nargs; i++) {
        TypeId want = i == 0 ? c->argtype : c->argtype2;
        if (!(c->args[i] = coerce(b, c->args[i], want, -1, COERCE_IMPLICIT, &failed)))
            return failed ? NULL : (no_aggregate(b, x, c->args, nargs, false), NULL);
    }
    b->in_agg = !window;
    bool ok = bind_agg_order(b, x, c);
    b->in_agg = false;
    if (!ok) return NULL;
    if (x->u.func.filter) {
        bool agg_ok = b->agg_ok;
        const char *context = b->agg_context;
        b->agg_ok = false, b->agg_context = "FILTER";
        BExpr *f = bind_expr(b, x->u.func.filter);
        b->agg_ok = agg_ok, b->agg_context = context;
        if (!f || !(c->filter = coerce_to_bool(b, f, "FILTER", expr_location(x->u.func.filter)))) return NULL;
    }
    return c;
}

/* Whether b binds the top of a recursive query's recursive term (one that
 * reads the work table: PostgreSQL allows no aggregate there). */
static bool in_recursive_term_top(const Binder *b) {
    for (const CteScope *sc = b->ctes; sc; sc = sc->parent)
        if (sc->term && b->beside == sc->term && sc->references) return true;
    return false;
}

static bool same_exprs(BExpr *const *a, BExpr *const *b, int n) {
    for (int i = 0; i < n; i++)
        if (!planner__bexpr_equal(a[i], b[i])) return false;
    return true;
}

static bool same_agg_call(const AggCall *a, const AggCall *b) {
    if (a->fn != b->fn || strcmp(a->name, b->name) != 0 || a->type != b->type || a->nargs != b->nargs ||
        a->star != b->star || a->distinct != b->distinct || a->norder != b->norder || !a->filter != !b->filter)
        return false;
    if (!same_exprs(a->args, b->args, a->nargs)) return false;
    for (int i = 0; i < a->norder; i++)
        if (a->order[i].desc != b->order[i].desc || a->order[i].nulls_first != b->order[i].nulls_first ||
            !planner__bexpr_equal(a->order[i].expr, b->order[i].expr))
            return false;
    return !a->filter || planner__bexpr_equal(a->filter, b->filter);
}

/* An aggregate whose arguments read outer queries' columns and none of its
 * own: PostgreSQL computes it in the outer query, which strand does not yet. */
static bool reads_only_outer(AggCall *c) {
    bool outer = false, own = false;
    for (int i = 0; i < c->nargs; i++) {
        outer |= planner__find_kind(c->args[i], BEXPR_EXEC_PARAM) != NULL;
        own |= planner__find_kind(c->args[i], BEXPR_COLUMN) != NULL;
    }
    return outer && !own;
}

/* An aggregate call belongs to the query whose columns its arguments read
 * (the nearest, if several): one of outer columns only is bound there and
 * read here as that query's correlation parameter, as in PostgreSQL. */
static BExpr *bind_aggregate(Binder *b, const Expr *x) {
    if (b->in_agg) return fail_at(b, x->pos, SQLSTATE_GROUPING_ERROR, "aggregate function calls cannot be nested");
    if (in_recursive_term_top(b))
        return fail_at(b, x->pos, SQLSTATE_INVALID_RECURSION,
                       "aggregate functions are not allowed in a recursive query's recursive term");
    int ncorr[32], levels = 0; /* what each level's sublink reads, before the arguments add theirs */
    for (Binder *lv = b; lv && levels < 32; lv = lv->outer) ncorr[levels++] = lv->ncorr;
    AggCall *c = bind_agg_call(b, x, false);
    if (!c) return NULL;
    if (reads_only_outer(c) && b->outer && levels < 32) {
        int i = 0; /* its arguments are read where it is bound instead */
        for (Binder *lv = b; lv; lv = lv->outer) lv->ncorr = ncorr[i++];
        BExpr *outer = bind_aggregate(b->outer, x);
        return outer ? planner__correlated(b, b, outer) : NULL;
    }
    if (!b->agg_ok)
        return fail_at(b, x->pos, SQLSTATE_GROUPING_ERROR, "aggregate functions are not allowed in %s", b->agg_context);
    int index = 0;
    while (index < b->naggs && !same_agg_call(b->aggs[index], c)) index++;
    if (index == b->naggs) add_agg(b, c); /* the same call twice is one (ORDER BY count(*) is the target's) */
    BExpr *e = node(b, BEXPR_AGGREF, c->type, x->pos);
    e->u.aggref.call = b->aggs[index];
    e->u.aggref.index = index;
    return e;
}

/* ---- window function calls ------------------------------------------------------------ */

static bool has_column_ref(const BExpr *e);
static TypeId select_common_type(Binder *b, BExpr **items, const Expr *const *src, int n, const char *construct);

static bool window_error(Binder *b, int byte_pos, const char *fmt, const char *arg) {
    fail_at(b, byte_pos, SQLSTATE_WINDOWING_ERROR, fmt, arg);
    return false;
}

/* A frame offset: bigint, without column references (PostgreSQL: 42P10). */
static BExpr *bind_frame_offset(Binder *b, const Expr *x, const char *mode) {
    BExpr *e = bind_expr(b, x);
    if (!e) return NULL;
    if (has_column_ref(e))
        return fail_at(b, expr_location(x), SQLSTATE_INVALID_COLUMN_REFERENCE,
                       "argument of %s must not contain variables", mode);
    bool failed;
    BExpr *c = coerce(b, e, TYPE_INT8, -1, COERCE_IMPLICIT, &failed);
    if (!c && !failed)
        fail_at(b, expr_location(x), SQLSTATE_DATATYPE_MISMATCH, "argument of %s must be type bigint, not type %s",
                mode, type_name(e->type));
    return c;
}

/* The offsets' type for a RANGE frame over a key of type t, as PostgreSQL's
 * in_range support functions take them; TYPE_INVALID if t has none. */
static TypeId range_offset_type(TypeId t) {
    switch (t) {
    case TYPE_INT2:
    case TYPE_INT4:
    case TYPE_INT8: return TYPE_INT8;
    case TYPE_FLOAT4:
    case TYPE_FLOAT8: return TYPE_FLOAT8;
    case TYPE_NUMERIC: return TYPE_NUMERIC;
    case TYPE_DATE:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
    case TYPE_TIME:
    case TYPE_TIMETZ:
    case TYPE_INTERVAL: return TYPE_INTERVAL;
    default: return TYPE_INVALID;
    }
}

const PlannerFunc *planner__interval_operator(const char *op, TypeId left) {
    const PlannerFunc *c[32];
    int n = planner__func_candidates(op, 2, true, c, 32);
    for (int i = 0; i < n && i < 32; i++)
        if (c[i]->argtypes[0] == left && c[i]->argtypes[1] == TYPE_INTERVAL) return c[i];
    return NULL;
}

/* RANGE's offset: of the type the ORDER BY key's in_range takes (PostgreSQL:
 * exactly one ORDER BY column, 42P20; a key type without it, 0A000; an
 * offset that does not convert, 42883). */
static BExpr *bind_range_offset(Binder *b, const WindowSpec *w, const Expr *x, WindowDef *d) {
    if (d->norder != 1)
        return fail_at(b, w->pos, SQLSTATE_WINDOWING_ERROR,
                       "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column");
    BExpr *e = bind_expr(b, x);
    if (!e) return NULL;
    if (has_column_ref(e))
        return fail_at(b, expr_location(x), SQLSTATE_INVALID_COLUMN_REFERENCE,
                       "argument of RANGE must not contain variables");
    TypeId key = d->order[0].expr->type, want = range_offset_type(key);
    if (want == TYPE_INVALID)
        return fail_at(b, expr_location(x), SQLSTATE_FEATURE_NOT_SUPPORTED,
                       "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s", type_name(key));
    bool failed;
    BExpr *c = coerce(b, e, want, -1, COERCE_IMPLICIT, &failed);
    if (!c && !failed) {
        fail_at(b, expr_location(x), SQLSTATE_UNDEFINED_FUNCTION,
                "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s and offset type %s",
                type_name(key), type_name(e->type));
        error_hint(b->err, "Cast the offset value to an appropriate type.");
    }
    d->range_type = key;
    d->range_offset_type = want;
    if (want == TYPE_INTERVAL) { /* a date moves as the timestamp it is (date + interval is timestamp) */
        TypeId left = key == TYPE_DATE ? TYPE_TIMESTAMP : key;
        d->range_add = planner__interval_operator("+", left);
        d->range_sub = planner__interval_operator("-", left);
    }
    return c;
}

static bool bind_frame(Binder *b, const WindowSpec *w, WindowDef *d) {
    static const char *const MODES[] = {"", "ROWS", "RANGE", "GROUPS"};
    d->mode = w->mode;
    d->start = w->start;
    d->end = w->end;
    d->exclude = w->exclude;
    if (w->mode == SQL_FRAME_DEFAULT) return true;
    if (w->start == SQL_BOUND_UNBOUNDED_FOLLOWING)
        return window_error(b, w->start_pos, "frame start cannot be UNBOUNDED FOLLOWING%s", "");
    if (w->end == SQL_BOUND_UNBOUNDED_PRECEDING)
        return window_error(b, w->end_pos, "frame end cannot be UNBOUNDED PRECEDING%s", "");
    if (w->start == SQL_BOUND_CURRENT_ROW && w->end == SQL_BOUND_PRECEDING)
        return window_error(b, w->end_pos, "frame starting from current row cannot have preceding rows%s", "");
    if (w->start == SQL_BOUND_FOLLOWING && (w->end == SQL_BOUND_PRECEDING || w->end == SQL_BOUND_CURRENT_ROW))
        return window_error(b, w->end_pos, "frame starting from following row cannot have preceding rows%s", "");
    if (w->mode == SQL_FRAME_GROUPS && !d->norder)
        return window_error(b, w->pos, "GROUPS mode requires an ORDER BY clause%s", "");
    if (w->mode == SQL_FRAME_RANGE) {
        if (w->start_offset && !(d->start_offset = bind_range_offset(b, w, w->start_offset, d))) return false;
        if (w->end_offset && !(d->end_offset = bind_range_offset(b, w, w->end_offset, d))) return false;
        return true;
    }
    if (w->start_offset && !(d->start_offset = bind_frame_offset(b, w->start_offset, MODES[w->mode]))) return false;
    if (w->end_offset && !(d->end_offset = bind_frame_offset(b, w->end_offset, MODES[w->mode]))) return false;
    return true;
}

/* OVER (...) or OVER name: the window, its partition and order over the input row. */
static WindowDef *bind_window_def(Binder *b, const WindowSpec *w) {
    const WindowSpec *base = NULL;
    if (w->base) {
        for (int i = 0; i < b->nwindows && !base; i++)
            if (strcmp(b->windows[i].name, w->base) == 0) base = &b->windows[i];
        if (!base) return fail_at(b, w->base_pos, SQLSTATE_UNDEFINED_OBJECT, "window \"%s\" does not exist", w->base);
        bool parens = w->npartition || w->norder || w->mode != SQL_FRAME_DEFAULT || w->pos != w->base_pos;
        if (w->npartition)
            return window_error(b, w->pos, "cannot override PARTITION BY clause of window \"%s\"", w->base), NULL;
        if (w->norder && base->norder)
            return window_error(b, w->pos, "cannot override ORDER BY clause of window \"%s\"", w->base), NULL;
        if (parens && base->mode != SQL_FRAME_DEFAULT)
            return window_error(b, w->pos, "cannot copy window \"%s\" because it has a frame clause", w->base), NULL;
    }
    const WindowSpec *part = base ? base : w,
                     *order = w->norder ? w
                              : base    ? base
                                        : w,
                     *frame = w->mode || !base ? w : base;
    WindowDef *d = arena_zalloc(b->arena, sizeof *d);
    bool win_ok = b->win_ok;
    const char *context = b->win_context;
    b->win_ok = false, b->win_context = "window definitions";
    bool ok = true;
    d->npartition = part->npartition;
    d->partition = arena_alloc(b->arena, (size_t)(d->npartition + 1) * sizeof *d->partition);
    for (int i = 0; i < d->npartition && ok; i++) {
        BExpr *e = bind_expr(b, part->partition[i]);
        ok = e && (e = resolve_unknown_output(b, e)) && (d->partition[i] = e);
    }
    d->norder = order->norder;
    d->order = arena_zalloc(b->arena, (size_t)(d->norder + 1) * sizeof *d->order);
    for (int i = 0; i < d->norder && ok; i++) {
        const OrderItem *item = &order->order[i];
        BExpr *e = bind_expr(b, item->expr);
        ok = e && (e = resolve_unknown_output(b, e)) && sort_by(b, &d->order[i], e, item->expr->pos);
        d->order[i].desc = item->desc;
        d->order[i].nulls_first = item->nulls ? item->nulls == 1 : item->desc;
    }
    ok = ok && bind_frame(b, frame, d);
    b->win_ok = win_ok, b->win_context = context;
    return ok ? d : NULL;
}

static void add_window(Binder *b, WindowCall *w) {
    if (b->nwins == b->wins_cap) {
        b->wins_cap = b->wins_cap ? 2 * b->wins_cap : 8;
        WindowCall **wins = arena_alloc(b->arena, (size_t)b->wins_cap * sizeof *wins);
        if (b->nwins) memcpy(wins, b->wins, (size_t)b->nwins * sizeof *wins);
        b->wins = wins;
    }
    b->wins[b->nwins++] = w;
}

/* A window function or an aggregate OVER a window. */
static BExpr *bind_window_call(Binder *b, const Expr *x) {
    const char *name = x->u.func.name;
    if (b->in_win) return fail_at(b, x->pos, SQLSTATE_WINDOWING_ERROR, "window function calls cannot be nested");
    if (b->in_agg)
        return fail_at(b, x->pos, SQLSTATE_GROUPING_ERROR,
                       "aggregate function calls cannot contain window function calls");
    if (!b->win_ok)
        return fail_at(b, x->pos, SQLSTATE_WINDOWING_ERROR, "window functions are not allowed in %s", b->win_context);
    WindowCall *w = arena_zalloc(b->arena, sizeof *w);
    b->in_win = true;
    if (planner__is_aggregate(name)) {
        b->in_win = false;
        if (x->u.func.distinct)
            return fail_at(b, x->pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                           "DISTINCT is not implemented for window functions");
        if (x->u.func.norder)
            return fail_at(b, x->pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                           "aggregate ORDER BY is not implemented for window functions");
        b->in_win = true;
        AggCall *c = bind_agg_call(b, x, true);
        b->in_win = false;
        if (!c) return NULL;
        w->fn = WIN_AGG, w->agg = c, w->type = c->type, w->args = c->args, w->nargs = c->nargs;
    } else {
        int n = x->u.func.nargs;
        BExpr **args = arena_alloc(b->arena, (size_t)(n + 1) * sizeof *args);
        for (int i = 0; i < n; i++)
            if (!(args[i] = bind_expr(b, x->u.func.args[i]))) return b->in_win = false, NULL;
        b->in_win = false;
        TypeId types[3] = {TYPE_TEXT, TYPE_INT4, TYPE_TEXT}, want[3] = {TYPE_INVALID, TYPE_INVALID, TYPE_INVALID};
        for (int i = 0; i < n && i < 3; i++) types[i] = is_unknown(args[i]) ? TYPE_TEXT : (TypeId)args[i]->type;
        if ((!strcmp(name, "lag") || !strcmp(name, "lead")) && n == 3) { /* anycompatible: value and default */
            BExpr *pair[2] = {args[0], args[2]};
            TypeId t =
                select_common_type(b, pair, (const Expr *const[]){x->u.func.args[0], x->u.func.args[2]}, 2, name);
            if (t == TYPE_INVALID) return NULL;
            types[0] = types[2] = t;
        }
        WinFn fn;
        TypeId result = planner__window_function(name, n, types, &fn, want);
        bool hypothetical = !strcmp(name, "rank") || !strcmp(name, "dense_rank") || !strcmp(name, "percent_rank") ||
                            !strcmp(name, "cume_dist");
        if (result == TYPE_INVALID && hypothetical && n > 0) /* PostgreSQL's ordered-set aggregates of those names */
            return fail_at(b, x->pos, SQLSTATE_WRONG_OBJECT_TYPE,
                           "WITHIN GROUP is required for ordered-set aggregate %s", name);
        if (result == TYPE_INVALID) {
            if (function_exists(name, n))
                return fail_at(b, x->pos, SQLSTATE_WRONG_OBJECT_TYPE,
                               "OVER specified, but %s is not a window function nor an aggregate function", name);
            return no_aggregate(b, x, args, n, false);
        }
        if (x->u.func.filter)
            return fail_at(b, x->pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                           "FILTER is not implemented for non-aggregate window functions");
        bool failed;
        for (int i = 0; i < n; i++) {
            BExpr *c = want[i] != TYPE_INVALID ? coerce(b, args[i], want[i], -1, COERCE_IMPLICIT, &failed) : args[i];
            if (!c) return failed ? NULL : no_aggregate(b, x, args, n, false); /* ntile(bigint): 42883 */
            args[i] = c;
        }
        w->fn = fn, w->type = result, w->args = args, w->nargs = n;
    }
    if (!(w->def = bind_window_def(b, x->u.func.over))) return NULL;
    add_window(b, w);
    BExpr *e = node(b, BEXPR_WINDOW, w->type, x->pos);
    e->u.param = b->nwins - 1;
    return e;
}

/* DISTINCT, ORDER BY or FILTER given to a function that is no aggregate (42809). */
static BExpr *not_aggregate(Binder *b, const Expr *x) {
    const char *what = x->u.func.distinct ? "DISTINCT" : x->u.func.norder ? "ORDER BY" : "FILTER";
    return fail_at(b, x->pos, SQLSTATE_WRONG_OBJECT_TYPE, "%s specified, but %s is not an aggregate function", what,
                   x->u.func.name);
}

static BExpr *bind_list_construct(Binder *b, const Expr *x, BExprKind kind, const char *construct);
static BExpr *bind_conditional(Binder *b, const Expr *x, const char *construct, BExpr *(*bind)(Binder *, const Expr *));
static BExpr *bind_coalesce(Binder *b, const Expr *x);
static BExpr *bind_nullif(Binder *b, const Expr *x);

/* A call of a built-in function; 42883 when none matches and 42725 when
 * several do, as PostgreSQL words them for the argument types given. */
/* generate_series or unnest in the select list: a column after the FROM
 * row, its values made in step with the others' for each row (PROJECT_SET). */
static BExpr *bind_set_function(Binder *b, const Expr *x) {
    if (b->in_agg || b->in_win) {
        fail_at(b, x->pos, b->in_agg ? SQLSTATE_GROUPING_ERROR : SQLSTATE_WINDOWING_ERROR,
                "%s function calls cannot contain set-returning function calls", b->in_agg ? "aggregate" : "window");
        error_hint(b->err, "You might be able to move the set-returning function into a LATERAL FROM item.");
        return NULL;
    }
    if (!b->srf_ok || b->srf_refused) {
        fail_at(b, x->pos, SQLSTATE_FEATURE_NOT_SUPPORTED, "set-returning functions are not allowed in %s",
                b->srf_refused   ? b->srf_refused
                : b->agg_context ? b->agg_context
                                 : "this context");
        if (b->srf_refused)
            error_hint(b->err, "You might be able to move the set-returning function into a LATERAL FROM item.");
        return NULL;
    }
    FuncScan *fs = arena_zalloc(b->arena, sizeof *fs);
    FromNode *node = arena_zalloc(b->arena, sizeof *node);
    if (!planner__bind_function_scan(b, x, "set-returning function arguments", fs, node)) return NULL;
    node->func = fs;
    if (b->nsrfs == b->srfs_cap) {
        b->srfs_cap = b->srfs_cap ? 2 * b->srfs_cap : 4;
        FromNode **srfs = arena_alloc(b->arena, (size_t)b->srfs_cap * sizeof *srfs);
        if (b->nsrfs) memcpy(srfs, b->srfs, (size_t)b->nsrfs * sizeof *srfs);
        b->srfs = srfs;
    }
    b->srfs[b->nsrfs++] = node;
    int from_width = b->scope ? b->scope->width : 0;
    return planner__column_ref(b->arena, from_width + b->nsrfs - 1, fs->type, -1, x->pos);
}

/* GROUPING(a, b): which of its GROUP BY keys the row's grouping set leaves
 * out, a bit each (the first the highest). Its arguments are matched with
 * the keys once GROUP BY is bound (regroup_plan). */
static BExpr *bind_grouping(Binder *b, const Expr *x) {
    if (b->in_agg) return fail_at(b, x->pos, SQLSTATE_GROUPING_ERROR, "aggregate function calls cannot be nested");
    if (!b->agg_ok)
        return fail_at(b, x->pos, SQLSTATE_GROUPING_ERROR, "grouping operations are not allowed in %s", b->agg_context);
    int n = x->u.func.nargs;
    if (n > 31) return fail_at(b, x->pos, SQLSTATE_TOO_MANY_ARGUMENTS, "GROUPING must have fewer than 32 arguments");
    AggCall *c = arena_zalloc(b->arena, sizeof *c);
    c->fn = AGG_GROUPING;
    c->name = "grouping";
    c->type = TYPE_INT4;
    c->nargs = n;
    c->args = arena_alloc(b->arena, (size_t)(n + 1) * sizeof *c->args);
    c->grouping_keys = arena_alloc(b->arena, (size_t)(n + 1) * sizeof *c->grouping_keys);
    b->in_agg = true; /* an aggregate in its arguments is nested */
    for (int i = 0; i < n; i++)
        if (!(c->args[i] = bind_expr(b, x->u.func.args[i]))) return b->in_agg = false, NULL;
    b->in_agg = false;
    add_agg(b, c);
    BExpr *e = node(b, BEXPR_AGGREF, TYPE_INT4, x->pos);
    e->u.aggref.call = c;
    e->u.aggref.index = b->naggs - 1;
    return e;
}

/* GROUPING's arguments, each one of the GROUP BY keys (42803 otherwise). */
static bool match_grouping_keys(Binder *b, const Plan *p) {
    for (int i = 0; i < b->naggs; i++) {
        AggCall *c = b->aggs[i];
        for (int a = 0; c->fn == AGG_GROUPING && a < c->nargs; a++) {
            int k = 0;
            while (k < p->ngroup && !planner__bexpr_equal(p->group[k], c->args[a])) k++;
            if (k == p->ngroup)
                return fail_at(b, c->args[a]->pos - 1, SQLSTATE_GROUPING_ERROR,
                               "arguments to GROUPING must be grouping expressions of the associated query level"),
                       false;
            c->grouping_keys[a] = k;
        }
    }
    return true;
}

/* A window function that is nothing else (rank(x) is also PostgreSQL's
 * ordered-set aggregate). */
static bool is_window_only(const char *name, int nargs) {
    static const char *const ONLY[] = {"row_number", "ntile", "lag", "lead", "first_value", "last_value", "nth_value"};
    static const char *const RANKS[] = {"rank", "dense_rank", "percent_rank", "cume_dist"};
    for (size_t i = 0; i < ARRAY_LEN(ONLY); i++)
        if (!strcmp(name, ONLY[i])) return true;
    for (size_t i = 0; i < ARRAY_LEN(RANKS) && nargs == 0; i++)
        if (!strcmp(name, RANKS[i])) return true;
    return false;
}

/* schema.f(args) in a schema without built-in functions: 42883 naming the
 * argument types, as PostgreSQL's lookup finds no candidate. */
static BExpr *no_function_in_schema(Binder *b, const Expr *x) {
    int nargs = x->u.func.nargs;
    BExpr **args = arena_alloc(b->arena, (size_t)(nargs + 1) * sizeof *args);
    for (int i = 0; i < nargs; i++)
        if (!(args[i] = bind_expr(b, x->u.func.args[i]))) return NULL;
    return no_aggregate(b, x, args, nargs, false);
}

static BExpr *bind_func(Binder *b, const Expr *x) {
    const char *name = x->u.func.name;
    int nargs = x->u.func.nargs;
    if (x->u.func.schema && !builtin_schema(b, x->u.func.schema, x->pos))
        return b->err->set ? NULL : no_function_in_schema(b, x);
    const ScopeItem *row_of = nargs == 1 || nargs == 2 ? whole_row(b, x->u.func.args[0]) : NULL;
    if (!strcmp(name, "row_to_json") && row_of) return bind_row_to_json(b, x, row_of);
    if ((!strcmp(name, "to_json") || !strcmp(name, "to_jsonb")) && nargs == 1 && row_of) {
        BExpr *row = bind_row_to_json(b, x, row_of); /* to_json(t) writes the row as row_to_json(t) does */
        bool failed;
        return row && name[7] == 'b' ? coerce(b, row, TYPE_JSONB, -1, COERCE_EXPLICIT, &failed) : row;
    }
    if (x->u.func.over) return bind_window_call(b, x);
    if (planner__is_set_function(x)) return bind_set_function(b, x);
    if (!strcmp(name, "grouping") && nargs && !x->u.func.star) return bind_grouping(b, x);
    if (is_window_only(name, nargs))
        return fail_at(b, x->pos, SQLSTATE_WRONG_OBJECT_TYPE, "window function %s requires an OVER clause", name);
    if (planner__is_aggregate(name)) return bind_aggregate(b, x);
    if (x->u.func.distinct || x->u.func.norder || x->u.func.filter) return not_aggregate(b, x);
    if (!strcmp(name, "coalesce")) return bind_conditional(b, x, "COALESCE", bind_coalesce);
    if (!strcmp(name, "greatest")) return bind_list_construct(b, x, BEXPR_GREATEST, "GREATEST");
    if (!strcmp(name, "least")) return bind_list_construct(b, x, BEXPR_LEAST, "LEAST");
    if (!strcmp(name, "nullif")) return bind_nullif(b, x);
    if (x->u.func.star && function_exists(name, 0))
        return fail_at(b, x->pos, SQLSTATE_WRONG_OBJECT_TYPE, "%s(*) specified, but %s is not an aggregate function",
                       name, name);
    BExpr **bound = arena_alloc(b->arena, (size_t)(nargs + 1) * sizeof *bound);
    StrBuf args;
    strbuf_init(&args);
    for (int i = 0; i < nargs; i++) {
        if (!(bound[i] = bind_expr(b, x->u.func.args[i]))) {
            strbuf_deinit(&args);
            return NULL;
        }
        strbuf_appendf(&args, "%s%s", i ? ", " : "", type_name(bound[i]->type));
    }
    bool ambiguous = false;
    const PlannerFunc *fn = x->u.func.star ? NULL : select_func(name, bound, nargs, &ambiguous);
    if (fn && fn->oid == PG_TYPEOF_OID) { /* the argument's declared type, even when NULL, as in PostgreSQL */
        strbuf_deinit(&args);
        return const_node(b, value_int(TYPE_REGTYPE, bound[0]->type), x->pos);
    }
    TypeId result;
    if (fn && bind_func_args(b, fn, bound, nargs, &result)) {
        strbuf_deinit(&args);
        BExpr *e = node(b, BEXPR_FUNC, result, x->pos);
        e->u.func.fn = fn;
        e->u.func.args = bound;
        e->u.func.nargs = nargs;
        return e;
    }
    if (b->err->set) {
        strbuf_deinit(&args);
        return NULL;
    }
    planner__no_function(b, x, args.data, ambiguous);
    strbuf_deinit(&args);
    return NULL;
}

/* ---- arrays ------------------------------------------------------------------------------ */

/* The element type of ARRAY[...]: PostgreSQL's select_common_type over the
 * items (all unknown: text). */
static bool array_item_type(Binder *b, const Expr *x, BExpr **items, int n, TypeId *out) {
    TypeId t = TYPE_UNKNOWN;
    for (int i = 0; i < n; i++) {
        if (is_unknown(items[i])) continue;
        if (t == TYPE_UNKNOWN) {
            t = items[i]->type;
            continue;
        }
        TypeId c = common_element(t, items[i]->type, true);
        if (c == TYPE_INVALID || (!is_number_type(t) && is_number_type(items[i]->type) != is_number_type(t))) {
            fail_at(b, expr_location(x->u.array.items[i]), SQLSTATE_DATATYPE_MISMATCH,
                    "ARRAY types %s and %s cannot be matched", type_name(t), type_name(items[i]->type));
            return false;
        }
        t = c;
    }
    *out = t == TYPE_UNKNOWN ? TYPE_TEXT : t;
    return true;
}

/* ARRAY[...]; `type` (an array type, or TYPE_INVALID) when a cast gives it. */
static BExpr *bind_array(Binder *b, const Expr *x, TypeId type) {
    int n = x->u.array.n;
    BExpr **items = arena_alloc(b->arena, (size_t)(n + 1) * sizeof *items);
    for (int i = 0; i < n; i++)
        if (!(items[i] = bind_expr(b, x->u.array.items[i]))) return NULL;
    TypeId elem;
    if (type != TYPE_INVALID) {
        elem = type_info(type)->elem;
    } else if (n == 0) {
        fail_at(b, x->pos, SQLSTATE_INDETERMINATE_DATATYPE, "cannot determine type of empty array");
        error_hint(b->err, "Explicitly cast to the desired type, for example ARRAY[]::integer[].");
        return NULL;
    } else if (!array_item_type(b, x, items, n, &elem)) {
        return NULL;
    }
    if (type_array_of(elem) == TYPE_INVALID)
        return fail_at(b, x->pos, SQLSTATE_UNDEFINED_OBJECT, "could not find array type for data type %s",
                       type_name(elem));
    for (int i = 0; i < n; i++) {
        bool failed;
        TypeId from = items[i]->type;
        BExpr *c = coerce(b, items[i], elem, -1, type != TYPE_INVALID ? COERCE_EXPLICIT : COERCE_IMPLICIT, &failed);
        if (!c && !failed)
            fail_at(b, expr_location(x->u.array.items[i]), SQLSTATE_CANNOT_COERCE, "cannot cast type %s to %s",
                    type_name(from), type_name(elem));
        if (!c) return NULL;
        items[i] = c;
    }
    BExpr *e = node(b, BEXPR_ARRAY, type_array_of(elem), x->pos);
    e->u.array.items = items;
    e->u.array.n = n;
    return e;
}

static BExpr *bind_subscript_index(Binder *b, const Expr *x) {
    if (!x) return NULL;
    BExpr *i = bind_expr(b, x);
    if (!i) return NULL;
    bool failed;
    BExpr *c = coerce(b, i, TYPE_INT4, -1, COERCE_ASSIGNMENT, &failed); /* 1.6 rounds, as in PostgreSQL */
    if (!c && !failed)
        fail_at(b, expr_location(x), SQLSTATE_DATATYPE_MISMATCH, "array subscript must have type integer");
    return c;
}

/* jsonb[key] and jsonb[index]: jsonb_extract_path with that one element
 * (so a text index reaches into an array, and a scalar gives NULL). */
static BExpr *bind_jsonb_subscript(Binder *b, const Expr *x, BExpr *v) {
    if (x->u.subscript.slice) {
        const Expr *at = x->u.subscript.upper ? x->u.subscript.upper : x->u.subscript.lower;
        return fail_at(b, at ? expr_location(at) : x->pos, SQLSTATE_DATATYPE_MISMATCH,
                       "jsonb subscript does not support slices");
    }
    BExpr *i = bind_expr(b, x->u.subscript.index);
    if (!i) return NULL;
    bool failed;
    TypeId want = is_unknown(i) || is_string_type((TypeId)i->type) ? TYPE_TEXT : TYPE_INT4;
    BExpr *c = coerce(b, i, want, -1, COERCE_IMPLICIT, &failed);
    if (!c) {
        if (failed) return NULL;
        fail_at(b, expr_location(x->u.subscript.index), SQLSTATE_DATATYPE_MISMATCH,
                "subscript type %s is not supported", type_name(i->type));
        error_hint(b->err, "jsonb subscript must be coercible to either integer or text.");
        return NULL;
    }
    const PlannerFunc *fn[1];
    planner__func_candidates("jsonb_extract_path", 2, false, fn, 1);
    BExpr *e = node(b, BEXPR_FUNC, TYPE_JSONB, x->pos);
    e->u.func.fn = fn[0];
    e->u.func.args = arena_alloc(b->arena, 3 * sizeof *e->u.func.args);
    e->u.func.args[0] = v;
    e->u.func.args[1] = c;
    e->u.func.nargs = 2;
    return e;
}

/* a[i] (the element type) and a[lo:hi] (the array type), NULL outside the
 * bounds; jsonb's subscripts pick a field or an element. */
static BExpr *bind_subscript(Binder *b, const Expr *x) {
    BExpr *v = bind_expr(b, x->u.subscript.value);
    if (!v) return NULL;
    if (v->type == TYPE_JSONB) return bind_jsonb_subscript(b, x, v);
    if (!type_is_array((TypeId)v->type))
        return fail_at(b, expr_location(x->u.subscript.value), SQLSTATE_DATATYPE_MISMATCH,
                       "cannot subscript type %s because it does not support subscripting", type_name(v->type));
    bool slice = x->u.subscript.slice;
    BExpr *e = node(b, BEXPR_SUBSCRIPT, slice ? v->type : type_info(v->type)->elem, x->pos);
    e->u.subscript.value = v;
    e->u.subscript.slice = slice;
    if (!slice && !(e->u.subscript.index = bind_subscript_index(b, x->u.subscript.index))) return NULL;
    if (x->u.subscript.lower && !(e->u.subscript.lower = bind_subscript_index(b, x->u.subscript.lower))) return NULL;
    if (x->u.subscript.upper && !(e->u.subscript.upper = bind_subscript_index(b, x->u.subscript.upper))) return NULL;
    return e;
}

/* l op ANY|ALL (r), bound: l and the elements compared as l op element is. */
static BExpr *bind_quantified_bound(Binder *b, int at, SqlOp op, bool all, BExpr *l, BExpr *r) {
    bool failed;
    if (is_unknown(r)) {
        TypeId want = type_array_of(is_unknown(l) ? TYPE_TEXT : (TypeId)l->type);
        if (want == TYPE_INVALID || !(r = coerce(b, r, want, -1, COERCE_IMPLICIT, &failed))) return NULL;
    }
    if (!type_is_array((TypeId)r->type))
        return fail_at(b, at, SQLSTATE_WRONG_OBJECT_TYPE, "op ANY/ALL (array) requires array on right side");
    TypeId elem = type_info(r->type)->elem, t;
    BExpr probe = {.kind = BEXPR_COLUMN, .type = elem}; /* stands for an element */
    TypeId lt = l->type;
    if (!common_type(l, &probe, true, &t) || !type_is_orderable(t)) {
        fail_at(b, at, SQLSTATE_UNDEFINED_FUNCTION, "operator does not exist: %s %s %s", type_name(lt), sql_op_name(op),
                type_name(elem));
        error_hint(b->err, "No operator matches the given name and argument types. You might need to add explicit "
                           "type casts.");
        return NULL;
    }
    if (!(l = coerce(b, l, t, -1, COERCE_IMPLICIT, &failed))) return NULL;
    if (t != elem && !(r = coerce(b, r, type_array_of(t), -1, COERCE_IMPLICIT, &failed))) return NULL;
    BExpr *e = node(b, BEXPR_ANY, TYPE_BOOL, at);
    e->u.any.op = op;
    e->u.any.left = l;
    e->u.any.right = r;
    e->u.any.all = all;
    return e;
}

static BExpr *bind_quantified(Binder *b, const Expr *x) {
    BExpr *l = bind_expr(b, x->u.quantified.left);
    if (!l) return NULL;
    BExpr *r = bind_expr(b, x->u.quantified.right);
    if (!r) return NULL;
    return bind_quantified_bound(b, x->pos, x->u.quantified.op, x->u.quantified.all, l, r);
}

/* ---- CASE, COALESCE, GREATEST, LEAST, NULLIF, IN, IS DISTINCT FROM, IS TRUE ---------------
 * The constructs that choose one type for several expressions do it as
 * PostgreSQL's select_common_type does: the first known type, replaced by
 * a later one of the same category that it converts to implicitly (and
 * not back) unless it is its category's preferred type; all unknown is
 * text; two categories are an error (or, without a construct name, no
 * common type). Each expression is then converted implicitly. */

static BExpr *coerce_to_common(Binder *b, BExpr *e, const Expr *src, TypeId t, const char *construct) {
    bool failed;
    TypeId from = e->type;
    BExpr *c = coerce(b, e, t, -1, COERCE_IMPLICIT, &failed);
    if (!c && !failed)
        fail_at(b, src ? expr_location(src) : -1, SQLSTATE_CANNOT_COERCE, "%s could not convert type %s to %s",
                construct, type_name(from), type_name(t));
    return c;
}

/* The common type of items[n] (src: where each is written, or NULL);
 * construct NULL: TYPE_INVALID instead of an error. */
static TypeId select_common_type(Binder *b, BExpr **items, const Expr *const *src, int n, const char *construct) {
    TypeId t = items[0]->type;
    int i;
    for (i = 1; i < n && items[i]->type == t; i++) continue;
    if (i == n && !is_unknown(items[0])) return t;
    t = TYPE_UNKNOWN;
    for (i = 0; i < n; i++) {
        TypeId nt = is_unknown(items[i]) ? TYPE_UNKNOWN : (TypeId)items[i]->type;
        if (nt == TYPE_UNKNOWN || nt == t) continue;
        if (t == TYPE_UNKNOWN) {
            t = nt;
        } else if (type_info(nt)->category != type_info(t)->category) {
            if (!construct) return TYPE_INVALID;
            fail_at(b, src ? expr_location(src[i]) : -1, SQLSTATE_DATATYPE_MISMATCH,
                    "%s types %s and %s cannot be matched", construct, type_name(t), type_name(nt));
            return TYPE_INVALID;
        } else if (!type_info(t)->preferred && cast_allowed(t, nt, COERCE_IMPLICIT) &&
                   !cast_allowed(nt, t, COERCE_IMPLICIT)) {
            t = nt;
        }
    }
    return t == TYPE_UNKNOWN ? TYPE_TEXT : t;
}

static bool coerce_all_to_common(Binder *b, BExpr **items, const Expr *const *src, int n, TypeId t,
                                 const char *construct) {
    for (int i = 0; i < n; i++)
        if (!(items[i] = coerce_to_common(b, items[i], src ? src[i] : NULL, t, construct))) return false;
    return true;
}

static BExpr **bind_list(Binder *b, Expr *const *xs, int n) {
    BExpr **items = arena_alloc(b->arena, (size_t)(n + 1) * sizeof *items);
    for (int i = 0; i < n; i++)
        if (!(items[i] = bind_expr(b, xs[i]))) return NULL;
    return items;
}

/* CASE: the ELSE's type counts first, as in PostgreSQL ("the default
 * result is the most significant type"). */
static BExpr *bind_case_expr(Binder *b, const Expr *x);
static BExpr *bind_coalesce(Binder *b, const Expr *x) { return bind_list_construct(b, x, BEXPR_COALESCE, "COALESCE"); }

/* CASE and COALESCE evaluate their arms conditionally: no set-returning
 * function may run in them (PostgreSQL's 0A000). */
static BExpr *bind_conditional(Binder *b, const Expr *x, const char *construct,
                               BExpr *(*bind)(Binder *, const Expr *)) {
    const char *saved = b->srf_refused;
    b->srf_refused = construct;
    BExpr *e = bind(b, x);
    b->srf_refused = saved;
    return e;
}

static BExpr *bind_case(Binder *b, const Expr *x) { return bind_conditional(b, x, "CASE", bind_case_expr); }

static BExpr *bind_case_expr(Binder *b, const Expr *x) {
    int n = x->u.case_.n;
    BExpr *e = node(b, BEXPR_CASE, TYPE_UNKNOWN, x->pos), *arg = NULL, *placeholder = NULL;
    if (x->u.case_.arg) {
        if (!(arg = bind_expr(b, x->u.case_.arg))) return NULL;
        if (is_unknown(arg) && !(arg = coerce_to_common(b, arg, x->u.case_.arg, TYPE_TEXT, "CASE"))) return NULL;
        placeholder = node(b, BEXPR_CASE_VALUE, arg->type, -1);
        placeholder->typmod = arg->typmod;
    }
    e->u.case_.arg = arg;
    e->u.case_.n = n;
    e->u.case_.whens = arena_alloc(b->arena, (size_t)n * sizeof(BExpr *));
    BExpr **results = arena_alloc(b->arena, (size_t)(n + 1) * sizeof(BExpr *));
    const Expr **src = arena_alloc(b->arena, (size_t)(n + 1) * sizeof(Expr *));
    for (int i = 0; i < n; i++) {
        const Expr *w = x->u.case_.whens[i];
        BExpr *cond = bind_expr(b, w);
        if (cond && arg)
            cond = bind_comparison(b, SQL_OP_EQ, x->u.case_.when_pos[i], x->u.case_.arg, placeholder, w, cond);
        if (!cond || !(e->u.case_.whens[i] =
                           coerce_to_bool(b, cond, "CASE/WHEN", arg ? x->u.case_.when_pos[i] : expr_location(w))))
            return NULL;
        if (!(results[1 + i] = bind_expr(b, x->u.case_.thens[i]))) return NULL;
        src[1 + i] = x->u.case_.thens[i];
    }
    src[0] = x->u.case_.else_;
    results[0] = src[0] ? bind_expr(b, src[0]) : const_node(b, value_null(TYPE_UNKNOWN), -1);
    if (!results[0]) return NULL;
    TypeId t = select_common_type(b, results, src, n + 1, "CASE");
    if (t == TYPE_INVALID || !coerce_all_to_common(b, results, src, n + 1, t, "CASE")) return NULL;
    e->type = t;
    e->u.case_.else_ = results[0];
    e->u.case_.thens = results + 1;
    return e;
}

/* COALESCE, GREATEST and LEAST (function-call syntax; their names are
 * keywords in PostgreSQL, so no function of those names is looked for). */
static BExpr *bind_list_construct(Binder *b, const Expr *x, BExprKind kind, const char *construct) {
    int n = x->u.func.nargs;
    BExpr **items = bind_list(b, x->u.func.args, n);
    if (!items) return NULL;
    TypeId t = select_common_type(b, items, (const Expr *const *)x->u.func.args, n, construct);
    if (t == TYPE_INVALID || !coerce_all_to_common(b, items, (const Expr *const *)x->u.func.args, n, t, construct))
        return NULL;
    if (kind != BEXPR_COALESCE && !type_is_orderable(t))
        /* PostgreSQL finds out when the plan starts to run: no position */
        return fail_at(b, -1, SQLSTATE_UNDEFINED_FUNCTION, "could not identify a comparison function for type %s",
                       type_name(t));
    BExpr *e = node(b, kind, t, x->pos);
    e->u.list.items = items;
    e->u.list.n = n;
    return e;
}

/* NULLIF(a, b): a unless a = b; of the type a takes for the comparison. */
static BExpr *bind_nullif(Binder *b, const Expr *x) {
    BExpr **items = bind_list(b, x->u.func.args, 2);
    if (!items) return NULL;
    BExpr *eq = bind_comparison(b, SQL_OP_EQ, x->pos, x->u.func.args[0], items[0], x->u.func.args[1], items[1]);
    if (!eq) return NULL;
    if (eq->kind != BEXPR_COMPARE)
        return fail_at(b, x->pos, SQLSTATE_DATATYPE_MISMATCH, "NULLIF requires = operator to yield boolean");
    BExpr *e = node(b, BEXPR_NULLIF, eq->u.op.left->type, x->pos);
    e->typmod = eq->u.op.left->typmod;
    e->u.op = eq->u.op;
    /* PostgreSQL compares integers of two widths, floats of two widths and
     * dates with timestamps by cross-type operators that leave `a` as it
     * is (a real against any number too: float48eq wins by the preferred
     * type): the value goes back to a's type, exactly, having come from it. */
    TypeId lt = items[0]->type, rt = items[1]->type;
    bool ints = is_int_type(lt) && is_int_type(rt);
    bool floats = (is_float_type(lt) && is_float_type(rt)) || (lt == TYPE_FLOAT4 && is_number_type(rt));
    bool times = is_date_or_timestamp(lt) && is_date_or_timestamp(rt);
    bool failed;
    if (lt != e->type && (ints || floats || times)) return coerce(b, e, lt, -1, COERCE_EXPLICIT, &failed);
    /* varchar has no = of its own: text's compares it, and gives text */
    return e->type == TYPE_VARCHAR ? coerce(b, e, TYPE_TEXT, -1, COERCE_IMPLICIT, &failed) : e;
}

static bool has_column_ref(const BExpr *e);

/* a [NOT] IN (list), as PostgreSQL's transformAExprIn: the items without
 * column references, when there are several and a common type exists,
 * become a = ANY (ARRAY[...]) (<> ALL); each other item a comparison, all
 * ORed (ANDed). */
static BExpr *bind_in(Binder *b, const Expr *x) {
    int n = x->u.in.n;
    bool negated = x->u.in.negated;
    SqlOp op = negated ? SQL_OP_NE : SQL_OP_EQ;
    BExpr *l = bind_expr(b, x->u.in.left);
    if (!l) return NULL;
    BExpr **items = bind_list(b, x->u.in.items, n);
    if (!items) return NULL;
    BExpr **all = arena_alloc(b->arena, (size_t)(n + 2) * sizeof *all);
    int nconst = 0;
    all[nconst++] = l;
    for (int i = 0; i < n; i++)
        if (!has_column_ref(items[i])) all[nconst++] = items[i];
    BExpr *result = NULL;
    bool arrayed = false;
    if (nconst > 2) {
        TypeId t = select_common_type(b, all, NULL, nconst, NULL);
        for (int i = 0; t != TYPE_INVALID && i < nconst; i++)
            if (!is_unknown(all[i]) && !cast_allowed((TypeId)all[i]->type, t, COERCE_IMPLICIT)) t = TYPE_INVALID;
        if (t != TYPE_INVALID && type_array_of(t) != TYPE_INVALID) {
            BExpr *array = node(b, BEXPR_ARRAY, type_array_of(t), x->pos);
            array->u.array.items = arena_alloc(b->arena, (size_t)nconst * sizeof(BExpr *));
            for (int i = 0; i < n; i++) {
                if (has_column_ref(items[i])) continue;
                BExpr *c = coerce_to_common(b, items[i], x->u.in.items[i], t, "IN");
                if (!c) return NULL;
                array->u.array.items[array->u.array.n++] = c;
            }
            if (!(result = bind_quantified_bound(b, x->pos, op, negated, l, array))) return NULL;
            arrayed = true;
        }
    }
    for (int i = 0; i < n; i++) {
        if (arrayed && !has_column_ref(items[i])) continue;
        BExpr *cmp = bind_comparison(b, op, x->pos, x->u.in.left, l, x->u.in.items[i], items[i]);
        if (!cmp || !(cmp = coerce_to_bool(b, cmp, "IN", x->pos))) return NULL;
        if (!result) {
            result = cmp;
            continue;
        }
        BExpr *join = node(b, negated ? BEXPR_AND : BEXPR_OR, TYPE_BOOL, x->pos);
        join->u.op.op = negated ? SQL_OP_AND : SQL_OP_OR;
        join->u.op.left = result;
        join->u.op.right = cmp;
        result = join;
    }
    return result;
}

static bool no_column_ref(BExpr **slot, void *unused) {
    return (*slot)->kind != BEXPR_COLUMN && planner__visit_children(*slot, no_column_ref, unused);
}

static bool has_column_ref(const BExpr *e) {
    BExpr *slot = (BExpr *)e;
    return !no_column_ref(&slot, NULL);
}

/* a IS [NOT] DISTINCT FROM b: a = b that treats NULLs as values. */
static BExpr *bind_distinct(Binder *b, const Expr *x) {
    BExpr **items = bind_list(b, (Expr *const[]){x->u.distinct.left, x->u.distinct.right}, 2);
    if (!items) return NULL;
    BExpr *eq = bind_comparison(b, SQL_OP_EQ, x->pos, x->u.distinct.left, items[0], x->u.distinct.right, items[1]);
    if (!eq) return NULL;
    if (eq->kind != BEXPR_COMPARE)
        return fail_at(b, x->pos, SQLSTATE_DATATYPE_MISMATCH, "IS DISTINCT FROM requires = operator to yield boolean");
    BExpr *e = node(b, BEXPR_DISTINCT, TYPE_BOOL, x->pos);
    e->u.op = eq->u.op;
    e->u.op.op = x->u.distinct.negated ? SQL_OP_EQ : SQL_OP_NE;
    return e;
}

static BExpr *bind_booltest(Binder *b, const Expr *x) {
    static const char *const NAMES[2][3] = {{"IS TRUE", "IS FALSE", "IS UNKNOWN"},
                                            {"IS NOT TRUE", "IS NOT FALSE", "IS NOT UNKNOWN"}};
    BExpr *a = bind_expr(b, x->u.booltest.arg);
    if (!a) return NULL;
    const char *name = NAMES[x->u.booltest.negated][x->u.booltest.test];
    if (!(a = coerce_to_bool(b, a, name, expr_location(x->u.booltest.arg)))) return NULL;
    BExpr *e = node(b, BEXPR_BOOLTEST, TYPE_BOOL, x->pos);
    e->u.booltest.arg = a;
    e->u.booltest.test = x->u.booltest.test;
    e->u.booltest.negated = x->u.booltest.negated;
    return e;
}

static Binder child_binder(const Binder *b, Binder *outer);
static Plan *bind_select(Binder *b, const SelectStmt *s);
static void add_subquery(Binder *b, Plan *p);

/* x COLLATE name: strand compares text bytewise (the C collation), which
 * is what "C", "POSIX", ucs_basic and this database's "default" are; any
 * other collation does not exist here. */
static BExpr *bind_collate(Binder *b, const Expr *x) {
    BExpr *e = bind_expr(b, x->u.collate.arg);
    if (!e) return NULL;
    const char *schema = x->u.collate.schema, *name = x->u.collate.name;
    if (schema && strcmp(schema, "pg_catalog") != 0)
        return fail_at(b, x->pos, SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", schema);
    if (strcmp(name, "C") && strcmp(name, "POSIX") && strcmp(name, "default") && strcmp(name, "ucs_basic"))
        return fail_at(b, x->pos, SQLSTATE_UNDEFINED_OBJECT, "collation \"%s\" for encoding \"UTF8\" does not exist",
                       name);
    if (is_unknown(e)) {
        bool failed;
        if (!(e = coerce(b, e, TYPE_TEXT, -1, COERCE_IMPLICIT, &failed))) return NULL;
    }
    TypeId t = e->type;
    if (type_is_array(t)) t = type_info(t)->elem;
    if (!is_string_type(t))
        return fail_at(b, x->pos, SQLSTATE_DATATYPE_MISMATCH, "collations are not supported by type %s",
                       type_name(e->type));
    return e;
}

static Expr *row_comparison(Binder *b, SqlOp op, int pos, const Expr *l, const Expr *r);
static Expr *syn(Binder *b, ExprKind kind, int pos);

/* Column i of the subquery row an ANY / ALL test compares with. */
static BExpr *sublink_value(Binder *b, const Plan *p, int i) {
    BExpr *value = node(b, BEXPR_SUBLINK_VALUE, p->cols[i].type, -1);
    value->typmod = p->cols[i].typmod;
    value->u.param = i;
    return value;
}

/* ---- subqueries in expressions --------------------------------------------------------
 * (SELECT ...) of one column and at most one row, EXISTS (SELECT ...),
 * x op ANY | ALL (SELECT ...) and x [NOT] IN (SELECT ...): the subquery is
 * a query of its own whose names may reach this one's (correlation); what
 * it reads here becomes parameters the sublink sets from each row. */
static BExpr *bind_sublink(Binder *b, const Expr *x) {
    const Stmt *q = x->u.sublink.query;
    SqlSublinkKind kind = x->u.sublink.kind;
    BExpr *left = NULL;
    const Expr *row = kind == SQL_SUBLINK_ANY || kind == SQL_SUBLINK_ALL ? x->u.sublink.left : NULL;
    if (row && row->kind != EXPR_ROW) { /* PostgreSQL binds the left operand first */
        if (!(left = bind_expr(b, row))) return NULL;
        row = NULL;
    }
    Binder c = child_binder(b, b);
    Plan *p = bind_select(&c, &q->u.select);
    if (!p) return NULL;
    if (p->kind != PLAN_SELECT)
        return fail_at(b, x->pos, SQLSTATE_FEATURE_NOT_SUPPORTED, "a procedure call is not supported in a subquery");
    add_subquery(b, p);
    int want = row ? row->u.array.n : 1;
    if (kind != SQL_SUBLINK_EXISTS && p->ncols != want)
        return fail_at(b, x->pos, SQLSTATE_SYNTAX_ERROR,
                       p->ncols > want ? (kind == SQL_SUBLINK_EXPR || kind == SQL_SUBLINK_ARRAY
                                              ? "subquery must return only one column"
                                              : "subquery has too many columns")
                                       : "subquery has too few columns");
    TypeId type = kind == SQL_SUBLINK_EXPR ? p->cols[0].type : TYPE_BOOL;
    if (kind == SQL_SUBLINK_ARRAY && (type = type_array_of(p->cols[0].type)) == TYPE_INVALID)
        return fail_at(b, x->pos, SQLSTATE_UNDEFINED_OBJECT, "could not find array type for data type %s",
                       type_name(p->cols[0].type));
    BExpr *e = node(b, BEXPR_SUBLINK, type, x->pos);
    if (kind == SQL_SUBLINK_EXPR) e->typmod = p->cols[0].typmod;
    e->u.sublink.kind = kind;
    e->u.sublink.plan = p;
    e->u.sublink.slots = c.corr_slots;
    e->u.sublink.args = c.corr_exprs;
    e->u.sublink.nparams = c.ncorr;
    e->u.sublink.cache = c.ncorr || c.reads_outer ? -1 : b->shared->nsublinks++;
    e->u.sublink.text = b->sql + q->start;
    e->u.sublink.len = q->end - q->start;
    e->u.sublink.ncols = want;
    if (left) {
        BExpr *test =
            bind_comparison(b, x->u.sublink.op, x->pos, x->u.sublink.left, left, NULL, sublink_value(b, p, 0));
        if (!test || !(test = coerce_to_bool(b, test, "ANY/ALL", x->pos))) return NULL;
        e->u.sublink.test = test;
    } else if (row) { /* (a, b) op ANY (SELECT x, y ...): the row comparison, over the subquery's row */
        Expr *values = syn(b, EXPR_ROW, x->pos);
        values->u.array.n = want;
        values->u.array.items = arena_alloc(b->arena, (size_t)want * sizeof(Expr *));
        for (int i = 0; i < want; i++) {
            values->u.array.items[i] = syn(b, EXPR_BOUND, x->pos);
            values->u.array.items[i]->u.bound = sublink_value(b, p, i);
        }
        const Expr *test = row_comparison(b, x->u.sublink.op, x->pos, row, values);
        if (!test || !(e->u.sublink.test = bind_expr(b, test))) return NULL;
    }
    return e;
}

/* ---- row constructors -----------------------------------------------------------------
 * ROW(a, b) and (a, b) as PostgreSQL compares them, spelled out in scalar
 * terms and bound as such: = is a1 = b1 AND a2 = b2, <> an OR of <>,
 * IS [NOT] DISTINCT FROM likewise; <, <=, >, >= compare left to right up
 * to the first pair that is not equal, NULL if that pair holds a NULL;
 * IN a list of rows is an OR of row equalities; ROW(...) IS [NOT] NULL
 * holds when every field is [not] NULL. Rows as values (and compared with
 * a subquery) are not supported yet. */

static Expr *syn(Binder *b, ExprKind kind, int pos) {
    Expr *e = arena_zalloc(b->arena, sizeof *e);
    e->kind = kind;
    e->pos = pos;
    return e;
}

static Expr *syn_binary(Binder *b, SqlOp op, int pos, Expr *l, Expr *r) {
    Expr *e = syn(b, EXPR_BINARY, pos);
    e->u.binary.op = op;
    e->u.binary.left = l;
    e->u.binary.right = r;
    return e;
}

static Expr *syn_combine(Binder *b, SqlOp op, int pos, Expr *acc, Expr *e) {
    return acc ? syn_binary(b, op, pos, acc, e) : e;
}

static bool is_row(const Expr *x) { return x->kind == EXPR_ROW; }

static const Expr *row_mismatch(Binder *b, int pos, const Expr *l, const Expr *r) {
    if (!is_row(l) || !is_row(r)) {
        const Expr *scalar = is_row(l) ? r : l;
        if (scalar->kind == EXPR_SUBLINK)
            return fail_at(b, pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                           "comparing a row with a subquery is not supported yet");
        BExpr *other = bind_expr(b, scalar);
        if (!other) return NULL;
        fail_at(b, pos, SQLSTATE_UNDEFINED_FUNCTION, "operator does not exist: %s = %s",
                is_row(l) ? "record" : type_name(other->type), is_row(l) ? type_name(other->type) : "record");
        error_hint(b->err,
                   "No operator matches the given name and argument types. You might need to add explicit type casts.");
        return NULL;
    }
    if (l->u.array.n != r->u.array.n)
        return fail_at(b, pos, SQLSTATE_SYNTAX_ERROR, "unequal number of entries in row expressions");
    if (l->u.array.n == 0) return fail_at(b, pos, SQLSTATE_FEATURE_NOT_SUPPORTED, "cannot compare rows of zero length");
    return l;
}

/* l op r for rows l and r, in scalar terms; NULL with the error set. */
static Expr *row_comparison(Binder *b, SqlOp op, int pos, const Expr *l, const Expr *r) {
    if (!row_mismatch(b, pos, l, r)) return NULL;
    int n = l->u.array.n;
    Expr **a = l->u.array.items, **c = r->u.array.items;
    Expr *acc = NULL;
    if (op == SQL_OP_EQ || op == SQL_OP_NE) {
        for (int i = 0; i < n; i++)
            acc =
                syn_combine(b, op == SQL_OP_EQ ? SQL_OP_AND : SQL_OP_OR, pos, acc, syn_binary(b, op, pos, a[i], c[i]));
        return acc;
    }
    if (op < SQL_OP_LT || op > SQL_OP_GE)
        return fail_at(b, pos, SQLSTATE_UNDEFINED_FUNCTION, "operator does not exist: record %s record",
                       sql_op_name(op));
    SqlOp strict = op == SQL_OP_LE ? SQL_OP_LT : op == SQL_OP_GE ? SQL_OP_GT : op;
    acc = syn_binary(b, op, pos, a[n - 1], c[n - 1]);
    for (int i = n - 2; i >= 0;
         i--) { /* CASE WHEN (ai = ci) IS NULL THEN NULL WHEN NOT ai = ci THEN ai < ci ELSE ... */
        Expr *k = syn(b, EXPR_CASE, pos);
        k->u.case_.n = 2;
        k->u.case_.whens = arena_alloc(b->arena, 2 * sizeof(Expr *));
        k->u.case_.thens = arena_alloc(b->arena, 2 * sizeof(Expr *));
        k->u.case_.when_pos = arena_zalloc(b->arena, 2 * sizeof(int));
        Expr *isnull = syn(b, EXPR_IS_NULL, pos), *negation = syn(b, EXPR_UNARY, pos), *none = syn(b, EXPR_CAST, pos);
        isnull->u.isnull.arg = syn_binary(b, SQL_OP_EQ, pos, a[i], c[i]);
        negation->u.unary.op = SQL_OP_NOT;
        negation->u.unary.arg = syn_binary(b, SQL_OP_EQ, pos, a[i], c[i]);
        none->u.cast.arg = syn(b, EXPR_NULL, pos);
        none->u.cast.type = (SqlTypeName){.name = "bool"};
        k->u.case_.whens[0] = isnull, k->u.case_.thens[0] = none;
        k->u.case_.whens[1] = negation, k->u.case_.thens[1] = syn_binary(b, strict, pos, a[i], c[i]);
        k->u.case_.else_ = acc;
        acc = k;
    }
    return acc;
}

/* x in scalar terms if it is a row form, else x. */
static const Expr *expand_rows(Binder *b, const Expr *x) {
    switch (x->kind) {
    case EXPR_BINARY: {
        SqlOp op = x->u.binary.op;
        if (!is_row(x->u.binary.left) && !is_row(x->u.binary.right)) return x;
        if (op < SQL_OP_EQ || op > SQL_OP_GE)
            return fail_at(b, x->pos, SQLSTATE_FEATURE_NOT_SUPPORTED, "row values are not supported here yet");
        return row_comparison(b, op, x->pos, x->u.binary.left, x->u.binary.right);
    }
    case EXPR_DISTINCT: {
        if (!is_row(x->u.distinct.left) && !is_row(x->u.distinct.right)) return x;
        if (!row_mismatch(b, x->pos, x->u.distinct.left, x->u.distinct.right)) return NULL;
        Expr *acc = NULL;
        for (int i = 0; i < x->u.distinct.left->u.array.n; i++) {
            Expr *d = syn(b, EXPR_DISTINCT, x->pos);
            d->u.distinct.left = x->u.distinct.left->u.array.items[i];
            d->u.distinct.right = x->u.distinct.right->u.array.items[i];
            d->u.distinct.negated = x->u.distinct.negated;
            acc = syn_combine(b, x->u.distinct.negated ? SQL_OP_AND : SQL_OP_OR, x->pos, acc, d);
        }
        return acc;
    }
    case EXPR_IN: {
        if (!is_row(x->u.in.left)) return x;
        Expr *acc = NULL;
        for (int i = 0; i < x->u.in.n; i++) {
            Expr *c =
                row_comparison(b, x->u.in.negated ? SQL_OP_NE : SQL_OP_EQ, x->pos, x->u.in.left, x->u.in.items[i]);
            if (!c) return NULL;
            acc = syn_combine(b, x->u.in.negated ? SQL_OP_AND : SQL_OP_OR, x->pos, acc, c);
        }
        return acc;
    }
    case EXPR_IS_NULL: {
        if (!is_row(x->u.isnull.arg)) return x;
        Expr *acc = NULL;
        for (int i = 0; i < x->u.isnull.arg->u.array.n; i++) {
            Expr *t = syn(b, EXPR_IS_NULL, x->pos);
            t->u.isnull.arg = x->u.isnull.arg->u.array.items[i];
            t->u.isnull.negated = x->u.isnull.negated;
            acc = syn_combine(b, SQL_OP_AND, x->pos, acc, t);
        }
        if (!acc) acc = syn(b, EXPR_BOOL, x->pos), acc->u.bval = true;
        return acc;
    }
    case EXPR_ROW:
        return fail_at(b, x->pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                       "row values are supported only in comparisons, IN and IS NULL yet");
    default: return x;
    }
}

static BExpr *bind_expr(Binder *b, const Expr *x) {
    if (!stack_check(b->err)) return NULL;
    if ((x->kind == EXPR_BINARY || x->kind == EXPR_DISTINCT || x->kind == EXPR_IN || x->kind == EXPR_IS_NULL ||
         x->kind == EXPR_ROW) &&
        (!(x = expand_rows(b, x)) || b->err->set))
        return NULL;
    switch (x->kind) {
    case EXPR_INTEGER: return bind_number_literal(b, x->u.text, false, x->pos);
    case EXPR_DECIMAL: return bind_number_literal(b, x->u.text, true, x->pos);
    case EXPR_STRING: return const_node(b, value_string(TYPE_UNKNOWN, x->u.text, (uint32_t)strlen(x->u.text)), x->pos);
    case EXPR_BOOL: return const_node(b, value_bool(x->u.bval), x->pos);
    case EXPR_NULL: return const_node(b, value_null(TYPE_UNKNOWN), x->pos);
    case EXPR_DEFAULT: return fail_at(b, x->pos, SQLSTATE_SYNTAX_ERROR, "DEFAULT is not allowed in this context");
    case EXPR_ROW: break;      /* expand_rows refused it */
    case EXPR_GROUPING: break; /* only GROUP BY has them */
    case EXPR_BOUND: return x->u.bound;
    case EXPR_COLUMN: return bind_column(b, x);
    case EXPR_STAR: return fail_at(b, x->pos, SQLSTATE_SYNTAX_ERROR, "syntax error at or near \"*\"");
    case EXPR_PARAM: return bind_param(b, x);
    case EXPR_UNARY: return bind_unary(b, x);
    case EXPR_BINARY: return bind_binary(b, x);
    case EXPR_IS_NULL: {
        BExpr *a = bind_expr(b, x->u.isnull.arg);
        if (!a) return NULL;
        BExpr *e = node(b, BEXPR_IS_NULL, TYPE_BOOL, x->pos);
        e->u.isnull.arg = a;
        e->u.isnull.negated = x->u.isnull.negated;
        return e;
    }
    case EXPR_CAST: return bind_cast(b, x);
    case EXPR_FUNC: return bind_func(b, x);
    case EXPR_ARRAY: return bind_array(b, x, TYPE_INVALID);
    case EXPR_SUBSCRIPT: return bind_subscript(b, x);
    case EXPR_QUANTIFIED: return bind_quantified(b, x);
    case EXPR_CASE: return bind_case(b, x);
    case EXPR_IN: return bind_in(b, x);
    case EXPR_DISTINCT: return bind_distinct(b, x);
    case EXPR_BOOLTEST: return bind_booltest(b, x);
    case EXPR_SUBLINK: return bind_sublink(b, x);
    case EXPR_COLLATE: return bind_collate(b, x);
    case EXPR_FIELD: return bind_field(b, x);
    }
    return fail_at(b, x->pos, SQLSTATE_INTERNAL_ERROR, "unknown expression kind %d", (int)x->kind);
}

/* An unknown literal left as a result column is text (PostgreSQL 10+). */
static BExpr *resolve_unknown_output(Binder *b, BExpr *e) {
    if (!is_unknown(e)) return e;
    bool failed;
    return coerce(b, e, TYPE_TEXT, -1, COERCE_IMPLICIT, &failed);
}

/* ---- result columns ---------------------------------------------------------------- */

/* PostgreSQL's FigureColname: a column's or function's name is strong (2);
 * a cast names the column after its type unless its argument has a strong
 * name; anything else is ?column? (0). */
static int column_name(const Expr *x, const char **name) {
    if (x->label) return *name = x->label, 2;
    switch (x->kind) {
    case EXPR_COLUMN: *name = x->u.column.name; return 2;
    case EXPR_FUNC: *name = x->u.func.name; return 2;
    case EXPR_FIELD:
        if (x->u.field.name) return *name = x->u.field.name, 2;
        return 0;
    case EXPR_ARRAY: *name = "array"; return 2;
    case EXPR_SUBLINK: /* EXISTS, or (SELECT x ...) named after x */
        if (x->u.sublink.kind == SQL_SUBLINK_EXISTS) return *name = "exists", 2;
        if (x->u.sublink.kind == SQL_SUBLINK_ARRAY) return *name = "array", 2;
        if (x->u.sublink.kind == SQL_SUBLINK_EXPR) {
            const SelectStmt *q = &x->u.sublink.query->u.select;
            while (q->setop) q = q->larg;
            if (q->nvalues) return *name = "column1", 2;
            if (q->ntargets && q->targets[0].alias) return *name = q->targets[0].alias, 2;
            if (q->ntargets && q->targets[0].expr->kind != EXPR_STAR) return column_name(q->targets[0].expr, name), 2;
        }
        *name = "?column?";
        return 0;
    case EXPR_CASE: /* named after its ELSE if that has a name of its own */
        if (x->u.case_.else_ && column_name(x->u.case_.else_, name) == 2) return 2;
        *name = "case";
        return 1;
    case EXPR_SUBSCRIPT: return column_name(x->u.subscript.value, name);
    case EXPR_COLLATE: return column_name(x->u.collate.arg, name);
    case EXPR_CAST:
        if (column_name(x->u.cast.arg, name) == 2) return 2;
        *name = x->u.cast.type.name;
        return 1;
    default: *name = "?column?"; return 0;
    }
}

typedef struct TargetList {
    BExpr **exprs;
    PlanColumn *cols;
    int n, cap;
} TargetList;

static void target_add(Binder *b, TargetList *tl, BExpr *e, const char *name) {
    if (tl->n == tl->cap) {
        int cap = tl->cap ? tl->cap * 2 : 8;
        BExpr **exprs = arena_alloc(b->arena, (size_t)cap * sizeof *exprs);
        PlanColumn *cols = arena_alloc(b->arena, (size_t)cap * sizeof *cols);
        if (tl->n) {
            memcpy(exprs, tl->exprs, (size_t)tl->n * sizeof *exprs);
            memcpy(cols, tl->cols, (size_t)tl->n * sizeof *cols);
        }
        tl->exprs = exprs;
        tl->cols = cols;
        tl->cap = cap;
    }
    PlanColumn *c = &tl->cols[tl->n];
    c->name = name;
    c->type = e->type;
    c->typmod = e->typmod;
    c->table_oid = 0;
    c->attnum = 0;
    Table *origin = b->table; /* RETURNING: the target table's columns */
    int attnum = e->u.column + 1;
    if (e->kind == BEXPR_COLUMN &&
        (b->from ? planner__from_origin(b->from, e->u.column, &origin, &attnum) : !!origin)) {
        c->table_oid = storage_table_oid(origin);
        c->attnum = (int16_t)attnum;
    }
    tl->exprs[tl->n++] = e;
}

static void add_item_columns(Binder *b, const ScopeItem *it, int byte_pos, TargetList *tl) {
    for (int i = 0; i < it->ncols; i++) {
        BExpr *e = arena_alloc(b->arena, sizeof *e);
        *e = *it->cols[i];
        e->pos = byte_pos + 1;
        target_add(b, tl, e, it->colnames[i]);
    }
}

/* * (every item whose columns are in view, in order) or t.* */
static bool expand_star(Binder *b, const Expr *x, TargetList *tl) {
    const char *q = x->u.column.table;
    if (x->u.column.catalog)
        return fail_at(b, x->pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                       "cross-database references are not implemented: %s.%s.%s.*", x->u.column.catalog,
                       x->u.column.schema, q),
               false;
    if (q) {
        const ScopeItem *it = planner__scope_relation_in(b, x->u.column.schema, q);
        if (!it) return planner__missing_relation(b, x), false;
        add_item_columns(b, it, x->pos, tl);
        return true;
    }
    if (!b->scope || !b->scope->n) {
        fail_at(b, x->pos, SQLSTATE_SYNTAX_ERROR, "SELECT * with no tables specified is not valid");
        return false;
    }
    for (int k = 0; k < b->scope->n; k++)
        if (b->scope->items[k].cols_visible) add_item_columns(b, &b->scope->items[k], x->pos, tl);
    return true;
}

static bool bind_targets(Binder *b, const ResTarget *targets, int n, TargetList *tl) {
    memset(tl, 0, sizeof *tl);
    for (int i = 0; i < n; i++) {
        const Expr *x = targets[i].expr;
        if (x->kind == EXPR_STAR) {
            if (!expand_star(b, x, tl)) return false;
            continue;
        }
        BExpr *e = bind_expr(b, x);
        if (!e || (!b->keep_unknown && !(e = resolve_unknown_output(b, e)))) return false;
        const char *name = targets[i].alias;
        if (!name) column_name(x, &name);
        target_add(b, tl, e, name);
    }
    return true;
}

static void plan_set_targets(Plan *p, const TargetList *tl) {
    p->ncols = tl->n;
    p->cols = tl->cols;
    p->targets = tl->exprs;
}

/* ---- FROM, WHERE, primary-key lookups ------------------------------------------------- */

/* INSERT, UPDATE, DELETE: the target table, and its columns in scope. */
static bool bind_table(Binder *b, const RangeVar *rv) {
    if (!(b->table = planner__lookup_table(b, rv->schema, rv->name, rv->pos))) return false;
    planner__depend_on(b, b->table);
    planner__scope_table(b, b->table, rv->alias ? rv->alias : rv->name, rv->alias ? rv->name : NULL);
    return true;
}

static bool bind_where(Binder *b, const Expr *where, Plan *p) {
    if (!where) return true;
    b->agg_ok = false;
    b->agg_context = "WHERE";
    BExpr *e = bind_expr(b, where);
    if (!e) return false;
    p->filter = coerce_to_bool(b, e, "WHERE", expr_location(where));
    return p->filter != NULL;
}

/* UPDATE, DELETE and a SELECT of one table: which index, if any, reads it. */
static void plan_row_source(Binder *b, Plan *p) {
    if (p->kind == PLAN_SELECT && p->from && p->from->table)
        p->source.table = p->from->table;
    else if (p->kind == PLAN_UPDATE || p->kind == PLAN_DELETE)
        p->source.table = b->table;
    else
        return;
    /* an index in the ORDER BY's order is of use unless grouping or windows reorder the rows */
    bool order_survives = p->kind == PLAN_SELECT && !p->grouped && !p->nwins;
    planner__choose_path(&p->source, p->filter, order_survives ? p->sort : NULL, p->nsort, b->txn, b->arena);
}

/* ---- SELECT ----------------------------------------------------------------------- */

/* LIMIT's or OFFSET's count: bigint by assignment (2.6 rounds to 3), and
 * no column of this query (42P10), as in PostgreSQL. */
static BExpr *bind_limit(Binder *b, const Expr *x, const char *what) {
    if (!x) return NULL;
    BExpr *e = bind_expr(b, x);
    if (!e) return NULL;
    if (has_column_ref(e))
        return fail_at(b, expr_location(x), SQLSTATE_INVALID_COLUMN_REFERENCE,
                       "argument of %s must not contain variables", what);
    bool failed;
    BExpr *r = coerce(b, e, TYPE_INT8, -1, COERCE_ASSIGNMENT, &failed);
    if (r || failed) return r;
    return fail_at(b, expr_location(x), SQLSTATE_DATATYPE_MISMATCH, "argument of %s must be type bigint, not type %s",
                   what, type_name(e->type));
}

/* The sort key found for ORDER BY; 42883 for a type without ordering. */
static bool sort_by(Binder *b, SortKey *key, BExpr *e, int byte_pos) {
    key->expr = e;
    if (type_is_orderable((TypeId)e->type)) return true;
    fail_at(b, byte_pos, SQLSTATE_UNDEFINED_FUNCTION, "could not identify an ordering operator for type %s",
            type_name(e->type));
    error_hint(b->err, "Use an explicit ordering operator or modify the query.");
    return false;
}

/* An integer constant, as PostgreSQL's grammar makes one: 3, or -3 (a
 * minus sign folds into its constant). */
static bool integer_constant(const Expr *x, long *n) {
    bool negative = x->kind == EXPR_UNARY && x->u.unary.op == SQL_OP_NEG;
    if (negative) x = x->u.unary.arg;
    if (x->kind != EXPR_INTEGER) return false;
    *n = strtol(x->u.text, NULL, 10);
    if (negative) *n = -*n;
    return true;
}

/* Any other constant: a string, a decimal, true, false or NULL. */
static bool other_constant(const Expr *x) {
    if (x->kind == EXPR_UNARY && x->u.unary.op == SQL_OP_NEG) x = x->u.unary.arg;
    return x->kind == EXPR_STRING || x->kind == EXPR_DECIMAL || x->kind == EXPR_BOOL || x->kind == EXPR_NULL;
}

/* ORDER BY n, ORDER BY output-name, or an expression over the input
 * (`clause` names it in errors: ORDER BY, DISTINCT ON). */
static bool bind_sort_key(Binder *b, const OrderItem *item, const TargetList *tl, SortKey *key, const char *clause) {
    const Expr *x = item->expr;
    long n;
    key->desc = item->desc;
    key->nulls_first = item->nulls ? item->nulls == 1 : item->desc;
    if (integer_constant(x, &n)) {
        if (n < 1 || n > tl->n) {
            fail_at(b, x->pos, SQLSTATE_INVALID_COLUMN_REFERENCE, "%s position %ld is not in select list", clause, n);
            return false;
        }
        return sort_by(b, key, tl->exprs[n - 1], x->pos);
    }
    if (other_constant(x))
        return fail_at(b, x->pos, SQLSTATE_SYNTAX_ERROR, "non-integer constant in %s", clause), false;
    if (x->kind == EXPR_COLUMN && !x->u.column.table) {
        int found = -1;
        for (int i = 0; i < tl->n; i++) {
            if (strcmp(tl->cols[i].name, x->u.column.name) != 0) continue;
            if (found >= 0 && !planner__bexpr_equal(tl->exprs[found], tl->exprs[i]))
                return fail_at(b, x->pos, SQLSTATE_AMBIGUOUS_COLUMN, "%s \"%s\" is ambiguous", clause,
                               x->u.column.name),
                       false;
            found = i;
        }
        if (found >= 0) return sort_by(b, key, tl->exprs[found], x->pos);
    }
    BExpr *e = bind_expr(b, x);
    if (!e || !(e = resolve_unknown_output(b, e))) return false;
    return sort_by(b, key, e, x->pos);
}

/* FOR UPDATE / SHARE: OF must name a table of FROM; without FROM there is
 * nothing to lock. */
static bool bind_locking(Binder *b, const LockingClause *k, Plan *p) {
    if (k->strength == SQL_LOCK_NONE) return true;
    for (int i = 0; i < k->ntables; i++) {
        const ScopeItem *it = planner__scope_relation(b, k->tables[i]);
        if (!it || !it->rel) {
            static const char *const NAMES[] = {"", "FOR KEY SHARE", "FOR SHARE", "FOR NO KEY UPDATE", "FOR UPDATE"};
            fail_at(b, k->table_pos[i], SQLSTATE_UNDEFINED_TABLE,
                    "relation \"%s\" in %s clause not found in FROM clause", k->tables[i], NAMES[k->strength]);
            return false;
        }
    }
    if (!b->from) return true;
    if (!b->from->table)
        return fail_at(b, k->pos, SQLSTATE_FEATURE_NOT_SUPPORTED, "FOR UPDATE / SHARE of a join is not supported yet"),
               false;
    static const RowLockMode MODES[] = {RLOCK_KEY_SHARE, RLOCK_KEY_SHARE, RLOCK_SHARE, RLOCK_NO_KEY_UPDATE,
                                        RLOCK_UPDATE};
    static const RowLockWait WAITS[] = {RLOCK_WAIT, RLOCK_NOWAIT, RLOCK_SKIP_LOCKED};
    p->locking = true;
    p->lock_mode = MODES[k->strength];
    p->lock_wait = WAITS[k->wait];
    return true;
}

/* SELECT proc(args) and SELECT * FROM proc(args): what psycopg2's callproc
 * and JDBC's {call} escape send (proc.c). */
static bool is_procedure_select(const SelectStmt *s) {
    if (s->nfrom) return s->nfrom == 1 && s->from[0]->kind == FROM_FUNCTION;
    if (s->ntargets != 1 || s->targets[0].expr->kind != EXPR_FUNC || s->targets[0].expr->u.func.star) return false;
    const Expr *f = s->targets[0].expr;
    return !function_exists(f->u.func.name, f->u.func.nargs);
}

/* Where aggregate calls are allowed, or where the binder is for their error. */
static void agg_context(Binder *b, bool ok, const char *context) {
    b->agg_ok = ok;
    b->agg_context = context;
    b->win_ok = false; /* only where bind_simple and bind_select allow them */
    b->win_context = context;
}

/* ---- GROUP BY and aggregates ----------------------------------------------------------- */

/* e as a GROUP BY key: its index among them (an equal one's if there is). */
static int add_group_key(Binder *b, Plan *p, BExpr *e) {
    for (int i = 0; i < p->ngroup; i++)
        if (planner__bexpr_equal(p->group[i], e)) return i;
    BExpr **keys = arena_alloc(b->arena, (size_t)(p->ngroup + 1) * sizeof *keys);
    if (p->ngroup) memcpy(keys, p->group, (size_t)p->ngroup * sizeof *keys);
    keys[p->ngroup++] = e;
    p->group = keys;
    return p->ngroup - 1;
}

/* GROUP BY n (a result column), GROUP BY name (a FROM column, else a
 * result column of that name), or an expression over FROM: its key's
 * index into *key. A row (a, b) groups by each of its items. */
static bool bind_group_item(Binder *b, const Expr *x, const TargetList *tl, Plan *p, uint64_t *keys) {
    long n;
    if (x->kind == EXPR_ROW) {
        for (int i = 0; i < x->u.array.n; i++)
            if (!bind_group_item(b, x->u.array.items[i], tl, p, keys)) return false;
        return true;
    }
    BExpr *e = NULL;
    if (integer_constant(x, &n)) {
        if (n < 1 || n > tl->n)
            return fail_at(b, x->pos, SQLSTATE_INVALID_COLUMN_REFERENCE, "GROUP BY position %ld is not in select list",
                           n),
                   false;
        const BExpr *agg = planner__find_kind(tl->exprs[n - 1], BEXPR_AGGREF);
        if (agg)
            return fail_at(b, agg->pos - 1, SQLSTATE_GROUPING_ERROR, "aggregate functions are not allowed in GROUP BY"),
                   false;
        e = tl->exprs[n - 1];
    }
    if (!e && other_constant(x))
        return fail_at(b, x->pos, SQLSTATE_SYNTAX_ERROR, "non-integer constant in GROUP BY"), false;
    if (!e && x->kind == EXPR_COLUMN && !x->u.column.table && !planner__scope_has_column(b, x->u.column.name)) {
        int found = -1;
        for (int i = 0; i < tl->n; i++) {
            if (strcmp(tl->cols[i].name, x->u.column.name) != 0) continue;
            if (found >= 0 && !planner__bexpr_equal(tl->exprs[found], tl->exprs[i]))
                return fail_at(b, x->pos, SQLSTATE_AMBIGUOUS_COLUMN, "GROUP BY \"%s\" is ambiguous", x->u.column.name),
                       false;
            found = i;
        }
        if (found >= 0) e = tl->exprs[found];
    }
    if (!e && (!(e = bind_expr(b, x)) || !(e = resolve_unknown_output(b, e)))) return false;
    int key = add_group_key(b, p, e);
    if (key >= 64)
        return fail_at(b, x->pos, SQLSTATE_PROGRAM_LIMIT_EXCEEDED, "more than 64 GROUP BY keys are not supported"),
               false;
    *keys |= (uint64_t)1 << key;
    return true;
}

/* ---- GROUPING SETS, ROLLUP, CUBE ----------------------------------------------------------
 * Each GROUP BY item stands for a list of sets of keys: an expression for
 * one set of it, () for the empty set, ROLLUP (a, b) for (a, b), (a), (),
 * CUBE (a, b) for every subset, GROUPING SETS (...) for its items' sets
 * one after the other; the items of GROUP BY multiply (every combination
 * of one set of each), as PostgreSQL expands them. */

#define MAX_GROUPING_SETS 4096

typedef struct GroupingSets {
    uint64_t *sets;
    int n;
} GroupingSets;

static bool sets_add(Binder *b, GroupingSets *g, uint64_t set, int at) {
    if (g->n == MAX_GROUPING_SETS)
        return fail_at(b, at, SQLSTATE_STATEMENT_TOO_COMPLEX, "too many grouping sets present (maximum 4096)"), false;
    if ((g->n & (g->n - 1)) == 0) { /* 0, 1, 2, 4, ...: grow */
        uint64_t *sets = arena_alloc(b->arena, (size_t)(g->n ? 2 * g->n : 1) * sizeof *sets);
        if (g->n) memcpy(sets, g->sets, (size_t)g->n * sizeof *sets);
        g->sets = sets;
    }
    g->sets[g->n++] = set;
    return true;
}

static bool item_sets(Binder *b, const Expr *x, const TargetList *tl, Plan *p, GroupingSets *out) {
    *out = (GroupingSets){0};
    if (x->kind != EXPR_GROUPING) {
        uint64_t keys = 0;
        return bind_group_item(b, x, tl, p, &keys) && sets_add(b, out, keys, x->pos);
    }
    int n = x->u.grouping.n;
    if (x->u.grouping.kind == SQL_GROUPING_EMPTY) return sets_add(b, out, 0, x->pos);
    if (x->u.grouping.kind == SQL_GROUPING_SETS) {
        for (int i = 0; i < n; i++) {
            GroupingSets inner;
            if (!item_sets(b, x->u.grouping.items[i], tl, p, &inner)) return false;
            for (int k = 0; k < inner.n; k++)
                if (!sets_add(b, out, inner.sets[k], x->pos)) return false;
        }
        return true;
    }
    uint64_t *elems = arena_alloc(b->arena, (size_t)(n + 1) * sizeof *elems);
    for (int i = 0; i < n; i++) {
        elems[i] = 0;
        if (!bind_group_item(b, x->u.grouping.items[i], tl, p, &elems[i])) return false;
    }
    if (x->u.grouping.kind == SQL_GROUPING_ROLLUP) { /* (a, b, c), (a, b), (a), () */
        for (int len = n; len >= 0; len--) {
            uint64_t set = 0;
            for (int i = 0; i < len; i++) set |= elems[i];
            if (!sets_add(b, out, set, x->pos)) return false;
        }
        return true;
    }
    if (n > 12) return fail_at(b, x->pos, SQLSTATE_STATEMENT_TOO_COMPLEX, "CUBE is limited to 12 elements"), false;
    for (uint32_t bits = 0; bits < (1u << n); bits++) { /* CUBE: every subset, the whole first */
        uint64_t set = 0;
        for (int i = 0; i < n; i++)
            if (!(bits & (1u << i))) set |= elems[i];
        if (!sets_add(b, out, set, x->pos)) return false;
    }
    return true;
}

static bool is_grouping_construct(const Expr *x) { return x->kind == EXPR_GROUPING; }

/* GROUP BY with grouping sets: the keys (p->group) and the sets. */
static bool bind_grouping_sets(Binder *b, const SelectStmt *s, const TargetList *tl, Plan *p) {
    GroupingSets all = {0};
    if (!sets_add(b, &all, 0, -1)) return false;
    for (int i = 0; i < s->ngroup; i++) {
        GroupingSets item, product = {0};
        if (!item_sets(b, s->group[i], tl, p, &item)) return false;
        for (int a = 0; a < all.n; a++)
            for (int k = 0; k < item.n; k++)
                if (!sets_add(b, &product, all.sets[a] | item.sets[k], s->group[i]->pos)) return false;
        all = product;
    }
    if (s->group_distinct) { /* GROUP BY DISTINCT: each set once, where it first comes */
        int kept = 0;
        for (int i = 0; i < all.n; i++) {
            bool seen = false;
            for (int k = 0; k < kept && !seen; k++) seen = all.sets[k] == all.sets[i];
            if (!seen) all.sets[kept++] = all.sets[i];
        }
        all.n = kept;
    }
    p->grouping_sets = all.sets;
    p->nsets = all.n;
    b->shared->grouping_sets = true;
    return true;
}

/* The name PostgreSQL gives a FROM-row column in "must appear in the GROUP BY" errors: t.c */
static bool from_column_name(Binder *b, int column, const char **table, const char **name) {
    for (int k = 0; b->scope && k < b->scope->n; k++) {
        const ScopeItem *it = &b->scope->items[k];
        if (!it->rel || column < it->offset || column >= it->offset + it->ncols) continue;
        *table = it->name;
        *name = it->colnames[column - it->offset];
        return true;
    }
    /* a subquery's, a function's or VALUES' column */
    for (int k = 0; b->scope && k < b->scope->n; k++) {
        const ScopeItem *it = &b->scope->items[k];
        for (int i = 0; !it->rel && it->name && i < it->ncols; i++) {
            const BExpr *c = it->cols[i];
            if (c->kind != BEXPR_COLUMN || c->u.column != column) continue;
            *table = it->name;
            *name = it->colnames[i];
            return true;
        }
    }
    return false;
}

/* Whether `column` belongs to a table whose primary key is grouped on:
 * PostgreSQL's functional dependency, which lets t.* go with GROUP BY t.id. */
static bool grouped_by_primary_key(Binder *b, const Plan *p, int column) {
    Table *t;
    int attnum;
    if (!b->from || !planner__from_origin(b->from, column, &t, &attnum)) return false;
    int start = column - (attnum - 1), nindexes = storage_table_nindexes(t, b->txn);
    const IndexDesc *pk = nindexes ? storage_index_desc(storage_table_index(t, b->txn, 0)) : NULL;
    if (!pk || !pk->primary) return false;
    for (int k = 0; k < pk->ncols; k++) {
        bool found = false;
        for (int i = 0; i < p->ngroup && !found; i++)
            found = p->group[i]->kind == BEXPR_COLUMN && p->group[i]->u.column == start + pk->cols[k];
        if (!found) return false;
    }
    return true;
}

typedef struct Regroup {
    Binder *b;
    Plan *p;
    bool for_sublink; /* regrouping what a sublink reads of this query */
} Regroup;

static bool regroup_slot(BExpr **slot, void *ctx);

/* e over the FROM row, as an expression over the AGG's row (the calls'
 * results, then the keys); 42803 for a column neither grouped nor in an
 * aggregate. */
static BExpr *regroup(Regroup *g, BExpr *e) {
    Binder *b = g->b;
    Plan *p = g->p;
    for (int i = 0; i < p->ngroup; i++)
        if (planner__bexpr_equal(e, p->group[i]))
            return planner__column_ref(b->arena, b->naggs + i, (TypeId)e->type, e->typmod, e->pos - 1);
    switch (e->kind) {
    case BEXPR_AGGREF: return planner__column_ref(b->arena, e->u.aggref.index, (TypeId)e->type, e->typmod, e->pos - 1);
    case BEXPR_SUBLINK: { /* its test as any expression; what it reads of this query, said so if ungrouped */
        BExpr *k = planner__copy_node(e, b->arena);
        if (k->u.sublink.test && !regroup_slot(&k->u.sublink.test, g)) return NULL;
        Regroup inner = *g;
        inner.for_sublink = true;
        BExpr **args = arena_alloc(b->arena, (size_t)(k->u.sublink.nparams + 1) * sizeof *args);
        for (int i = 0; i < k->u.sublink.nparams; i++)
            if (!(args[i] = regroup(&inner, k->u.sublink.args[i]))) return NULL;
        k->u.sublink.args = args;
        return k;
    }
    case BEXPR_CONST:
    case BEXPR_PARAM:
    case BEXPR_WINDOW: return e; /* its arguments are regrouped with its call */
    case BEXPR_COLUMN: {
        if (!p->nsets && grouped_by_primary_key(b, p, e->u.column)) {
            add_group_key(b, p, planner__column_ref(b->arena, e->u.column, (TypeId)e->type, e->typmod, -1));
            return regroup(g, e);
        }
        const char *table = NULL, *name = NULL;
        if (from_column_name(b, e->u.column, &table, &name) && g->for_sublink)
            return fail_at(b, e->pos - 1, SQLSTATE_GROUPING_ERROR,
                           "subquery uses ungrouped column \"%s.%s\" from outer query", table, name);
        if (name)
            return fail_at(b, e->pos - 1, SQLSTATE_GROUPING_ERROR,
                           "column \"%s.%s\" must appear in the GROUP BY clause or be used in an aggregate function",
                           table, name);
        return fail_at(b, e->pos - 1, SQLSTATE_GROUPING_ERROR, "subquery uses ungrouped column from outer query");
    }
    default: break;
    }
    BExpr *k = planner__copy_node(e, b->arena);
    return planner__visit_children(k, regroup_slot, g) ? k : NULL;
}

static bool regroup_slot(BExpr **slot, void *ctx) {
    BExpr *e = regroup(ctx, *slot);
    if (!e) return false;
    *slot = e;
    return true;
}

/* A grouped query's targets, ORDER BY keys and HAVING over the AGG's row,
 * checked in PostgreSQL's order. */
static bool regroup_plan(Binder *b, Plan *p) {
    Regroup g = {b, p, false};
    p->grouped = true;
    if (!match_grouping_keys(b, p)) return false;
    for (int i = 0; i < p->ncols; i++)
        if (!(p->targets[i] = regroup(&g, p->targets[i]))) return false;
    for (int i = 0; i < p->nsort; i++)
        if (!(p->sort[i].expr = regroup(&g, p->sort[i].expr))) return false;
    if (p->having && !(p->having = regroup(&g, p->having))) return false;
    for (int i = 0; i < p->ndistinct_on; i++)
        if (!(p->distinct_on[i] = regroup(&g, p->distinct_on[i]))) return false;
    for (int i = 0; i < b->nwins; i++) { /* windows are computed over the groups */
        WindowCall *w = b->wins[i];
        WindowDef *d = w->def;
        for (int k = 0; k < w->nargs; k++)
            if (!(w->args[k] = regroup(&g, w->args[k]))) return false;
        if (w->agg && w->agg->filter && !(w->agg->filter = regroup(&g, w->agg->filter))) return false;
        for (int k = 0; k < d->npartition; k++)
            if (!(d->partition[k] = regroup(&g, d->partition[k]))) return false;
        for (int k = 0; k < d->norder; k++)
            if (!(d->order[k].expr = regroup(&g, d->order[k].expr))) return false;
    }
    p->aggs = b->aggs;
    p->naggs = b->naggs;
    return true;
}

/* ---- queries below the statement: subqueries, set operations ------------------------ */

static Plan *bind_select(Binder *b, const SelectStmt *s);

static void add_subquery(Binder *b, Plan *p) {
    BindShared *l = b->shared;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        Plan **items = arena_alloc(b->arena, (size_t)l->cap * sizeof *items);
        const bool **needed = arena_alloc(b->arena, (size_t)l->cap * sizeof *needed);
        if (l->n) memcpy(items, l->subqueries, (size_t)l->n * sizeof *items);
        if (l->n) memcpy(needed, l->needed, (size_t)l->n * sizeof *needed);
        l->subqueries = items;
        l->needed = needed;
    }
    l->needed[l->n] = NULL;
    l->subqueries[l->n++] = p;
}

/* A binder for a query of its own (its own names, aggregates and groups),
 * looking names up next in `outer`. */
static Binder child_binder(const Binder *b, Binder *outer) {
    Binder c = {
        .storage = b->storage, .txn = b->txn, .sql = b->sql, .arena = b->arena, .err = b->err, .params = b->params};
    c.agg_context = "this context";
    c.shared = b->shared;
    c.outer = outer;
    c.ctes = b->ctes;
    return c;
}

void planner__add_correlation(Binder *b, int slot, BExpr *e) {
    if (b->ncorr == b->corr_cap) {
        b->corr_cap = b->corr_cap ? 2 * b->corr_cap : 4;
        int *slots = arena_alloc(b->arena, (size_t)b->corr_cap * sizeof *slots);
        BExpr **exprs = arena_alloc(b->arena, (size_t)b->corr_cap * sizeof *exprs);
        if (b->ncorr) {
            memcpy(slots, b->corr_slots, (size_t)b->ncorr * sizeof *slots);
            memcpy(exprs, b->corr_exprs, (size_t)b->ncorr * sizeof *exprs);
        }
        b->corr_slots = slots;
        b->corr_exprs = exprs;
    }
    b->corr_slots[b->ncorr] = slot;
    b->corr_exprs[b->ncorr++] = e;
}

/* A query at this level's depth (a subquery in FROM, a set operation's
 * side): it sees the names of the levels above, not of this one, and what
 * it reads of them this level's sublink sets. */
static Plan *bind_query_below(Binder *b, const SelectStmt *s, bool keep_unknown) {
    Binder c = child_binder(b, b->outer);
    c.beside = b;
    c.keep_unknown = keep_unknown;
    Plan *p = bind_select(&c, s);
    if (!p) return NULL;
    if (p->kind != PLAN_SELECT)
        return fail_at(b, s->pos, SQLSTATE_FEATURE_NOT_SUPPORTED, "a procedure call is not supported in a subquery");
    for (int i = 0; i < c.ncorr; i++) planner__add_correlation(b, c.corr_slots[i], c.corr_exprs[i]);
    b->reads_outer |= c.reads_outer;
    add_subquery(b, p);
    return p;
}

Plan *planner__bind_subquery(Binder *b, const Stmt *stmt) { return bind_query_below(b, &stmt->u.select, false); }

Binder planner__lateral_binder(Binder *b, const char *context) {
    Binder c = child_binder(b, b);
    agg_context(&c, false, context);
    return c;
}

Plan *planner__bind_lateral(Binder *b, const Stmt *stmt, FromNode *lateral) {
    Binder c = child_binder(b, b);
    Plan *p = bind_select(&c, &stmt->u.select);
    if (!p) return NULL;
    if (p->kind != PLAN_SELECT)
        return fail_at(b, stmt->u.select.pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                       "a procedure call is not supported in a subquery");
    lateral->lateral_slots = c.corr_slots;
    lateral->lateral_exprs = c.corr_exprs;
    lateral->nlateral = c.ncorr;
    b->reads_outer |= c.reads_outer;
    add_subquery(b, p);
    return p;
}

/* Where a query's first result column is written (a set operation's errors point there). */
static int first_target_pos(const SelectStmt *s) {
    while (s->setop) s = s->larg;
    if (s->nvalues) return s->values_len[0] ? expr_location(s->values[0][0]) : s->pos;
    return s->ntargets ? expr_location(s->targets[0].expr) : s->pos;
}

static int target_pos(const SelectStmt *s, int i) {
    while (s->setop) s = s->larg;
    if (s->nvalues) return i < s->values_len[0] ? expr_location(s->values[0][i]) : -1;
    return i < s->ntargets && s->targets[i].expr->kind != EXPR_STAR ? expr_location(s->targets[i].expr) : -1;
}

/* Column i of a set operation's query, as an expression for select_common_type. */
static BExpr *setop_column(Binder *b, Plan *p, int i) {
    if (p->targets && !p->setop) return p->targets[i];
    return planner__column_ref(b->arena, i, p->cols[i].type, p->cols[i].typmod, -1);
}

/* Makes column i of a set operation's query of type t: its target, or a cast over its rows. */
static bool setop_coerce(Binder *b, Plan *p, const SelectStmt *s, int i, TypeId t, const char *op, BExpr ***casts) {
    BExpr *e = setop_column(b, p, i);
    int at = target_pos(s, i);
    BExpr *c = coerce_to_common(b, e, NULL, t, op);
    if (!c) {
        if (b->err->set && at >= 0 && !b->err->position) b->err->position = char_pos(b, at);
        return false;
    }
    if (p->targets && !p->setop) {
        p->targets[i] = c;
        p->cols[i].type = t;
        if (c != e) p->cols[i].typmod = c->typmod;
        return true;
    }
    if (!*casts) {
        *casts = arena_alloc(b->arena, (size_t)(p->ncols + 1) * sizeof **casts);
        for (int k = 0; k < p->ncols; k++) (*casts)[k] = setop_column(b, p, k);
    }
    (*casts)[i] = c;
    return true;
}

/* larg UNION | INTERSECT | EXCEPT [ALL] rarg: columns of the left's names
 * and, pairwise, their common type. */
static Plan *bind_setop(Binder *b, const SelectStmt *s, TargetList *tl) {
    static const char *const NAMES[] = {"", "UNION", "INTERSECT", "EXCEPT"};
    const char *op = NAMES[s->setop];
    Plan *l = bind_query_below(b, s->larg, true);
    if (!l) return NULL;
    Plan *r = bind_query_below(b, s->rarg, true);
    if (!r) return NULL;
    if (l->ncols != r->ncols)
        return fail_at(b, first_target_pos(s->rarg), SQLSTATE_SYNTAX_ERROR,
                       "each %s query must have the same number of columns", op);
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = PLAN_SELECT;
    p->setop = s->setop;
    p->setop_all = s->setop_all;
    p->larg = l;
    p->rarg = r;
    memset(tl, 0, sizeof *tl);
    for (int i = 0; i < l->ncols; i++) {
        BExpr *pair[2] = {setop_column(b, l, i), setop_column(b, r, i)};
        TypeId t = select_common_type(b, pair, NULL, 2, op);
        if (t == TYPE_INVALID) {
            int at = target_pos(s->rarg, i);
            if (at >= 0) b->err->position = char_pos(b, at);
            return NULL;
        }
        int32_t typmod = pair[0]->typmod == pair[1]->typmod ? pair[0]->typmod : -1;
        if (!setop_coerce(b, l, s->larg, i, t, op, &p->lcast) || !setop_coerce(b, r, s->rarg, i, t, op, &p->rcast))
            return NULL;
        BExpr *out = planner__column_ref(b->arena, i, t, typmod, -1);
        target_add(b, tl, out, l->cols[i].name);
    }
    plan_set_targets(p, tl);
    return p;
}

/* ---- WITH ------------------------------------------------------------------------------ */

/* WITH name (a, b): the query's columns renamed (42P10 for too many names). */
static bool rename_cte_columns(Binder *b, const CommonTableExpr *cte, PlanColumn *cols, int ncols) {
    if (cte->ncolumns > ncols)
        return fail_at(b, cte->pos, SQLSTATE_INVALID_COLUMN_REFERENCE,
                       "WITH query \"%s\" has %d columns available but %d columns specified", cte->name, ncols,
                       cte->ncolumns),
               false;
    for (int i = 0; i < cte->ncolumns; i++) cols[i].name = cte->columns[i];
    return true;
}

/* non-recursive-term UNION [ALL] recursive-term: the second reads, each
 * round, the rows the round before made (the work table); its columns are
 * the first term's, of the types the first term gives them. */
static Plan *bind_recursive(Binder *b, CteScope *sc, const CommonTableExpr *cte) {
    const SelectStmt *q = &cte->query->u.select;
    if (q->norder || q->limit || q->offset)
        return fail_at(b, -1, SQLSTATE_FEATURE_NOT_SUPPORTED, "%s in a recursive query is not implemented",
                       q->norder   ? "ORDER BY"
                       : q->offset ? "OFFSET"
                                   : "LIMIT");
    Plan *l = bind_query_below(b, q->larg, false);
    if (!l) return NULL;
    PlanColumn *cols = arena_alloc(b->arena, (size_t)(l->ncols + 1) * sizeof *cols);
    memcpy(cols, l->cols, (size_t)l->ncols * sizeof *cols);
    if (!rename_cte_columns(b, cte, cols, l->ncols)) return NULL;
    sc->worktable = ++b->shared->nworktables;
    sc->cols = cols;
    sc->ncols = l->ncols;
    sc->term = b; /* the recursive term's FROM is bound by a binder beside b */
    Plan *r = bind_query_below(b, q->rarg, false);
    if (!r) return NULL;
    if (!sc->references) return NULL; /* no recursion after all: the caller binds it plainly */
    if (l->ncols != r->ncols)
        return fail_at(b, first_target_pos(q->rarg), SQLSTATE_SYNTAX_ERROR,
                       "each UNION query must have the same number of columns");
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = PLAN_SELECT;
    p->setop = SQL_SETOP_UNION;
    p->setop_all = q->setop_all;
    p->recursive = sc->worktable;
    p->larg = l;
    p->rarg = r;
    TargetList tl;
    memset(&tl, 0, sizeof tl);
    for (int i = 0; i < l->ncols; i++) {
        BExpr *pair[2] = {setop_column(b, l, i), setop_column(b, r, i)};
        TypeId t = select_common_type(b, pair, NULL, 2, "UNION");
        if (t == TYPE_INVALID) return NULL;
        if (t != l->cols[i].type) {
            fail_at(b, target_pos(q->larg, i), SQLSTATE_DATATYPE_MISMATCH,
                    "recursive query \"%s\" column %d has type %s in non-recursive term but type %s overall", cte->name,
                    i + 1, type_name(l->cols[i].type), type_name(t));
            error_hint(b->err, "Cast the output of the non-recursive term to the correct type.");
            return NULL;
        }
        if (!setop_coerce(b, r, q->rarg, i, t, "UNION", &p->rcast)) return NULL;
        target_add(b, &tl, planner__column_ref(b->arena, i, t, l->cols[i].typmod, -1), cols[i].name);
    }
    plan_set_targets(p, &tl);
    add_subquery(b, p);
    return p;
}

static Plan *bind_stmt(Binder *b, const Stmt *stmt);
static bool finish_plan(Binder *b, Plan *p);

/* WITH x AS (INSERT | UPDATE | DELETE ... [RETURNING ...]): a write run
 * once before the statement (referenced or not), whose RETURNING rows
 * its references read from a work table; only at the top level, as in
 * PostgreSQL. */
static Plan *bind_write_cte(Binder *b, CteScope *sc, int i) {
    const CommonTableExpr *cte = &sc->items[i];
    if (b->outer || b->beside)
        return fail_at(b, cte->pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                       "WITH clause containing a data-modifying statement must be at the top level");
    Binder c = child_binder(b, NULL);
    Plan *p = bind_stmt(&c, cte->query);
    if (!p || !finish_plan(&c, p)) return NULL; /* with its own binder: its table */
    if (!rename_cte_columns(b, cte, p->cols, p->ncols)) return NULL;
    p->worktable = ++b->shared->nworktables;
    BindShared *sh = b->shared;
    if (sh->nwrites == sh->capwrites) {
        sh->capwrites = sh->capwrites ? 2 * sh->capwrites : 4;
        Plan **writes = arena_alloc(b->arena, (size_t)sh->capwrites * sizeof *writes);
        if (sh->nwrites) memcpy(writes, sh->writes, (size_t)sh->nwrites * sizeof *writes);
        sh->writes = writes;
    }
    sh->writes[sh->nwrites++] = p;
    sc->referenced[i] = true; /* it runs whether read or not */
    return p;
}

Plan *planner__bind_cte(Binder *b, CteScope *sc, int i) {
    const CommonTableExpr *cte = &sc->items[i];
    if (sc->plans[i]) return sc->plans[i];
    if (cte->query->kind != STMT_SELECT) return sc->plans[i] = bind_write_cte(b, sc, i);
    if (sc->busy[i])
        return fail_at(b, cte->pos, SQLSTATE_FEATURE_NOT_SUPPORTED,
                       "mutual recursion between WITH items is not implemented");
    sc->busy[i] = true;
    CteScope saved = *sc;
    sc->binding = i + 1;
    sc->worktable = 0;
    sc->references = 0;
    sc->cols = NULL;
    sc->ncols = 0;
    const SelectStmt *q = &cte->query->u.select;
    Plan *p = NULL;
    if (sc->recursive && q->setop == SQL_SETOP_UNION) p = bind_recursive(b, sc, cte);
    if (!p && !b->err->set) {
        sc->worktable = sc->recursive ? -1 : 0; /* a reference to itself now: not of the recursive form */
        p = bind_query_below(b, q, false);
        if (p && !rename_cte_columns(b, cte, p->cols, p->ncols)) p = NULL;
    }
    sc->binding = saved.binding, sc->worktable = saved.worktable, sc->references = saved.references;
    sc->cols = saved.cols, sc->ncols = saved.ncols, sc->term = saved.term;
    sc->busy[i] = false;
    return sc->plans[i] = p;
}

/* VALUES (...), (...): columns column1, column2, ... of each column's common type. */
static Plan *bind_values(Binder *b, const SelectStmt *s, TargetList *tl) {
    int n = s->values_len[0];
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = PLAN_SELECT;
    p->nvalues = s->nvalues;
    p->values = arena_alloc(b->arena, (size_t)s->nvalues * sizeof *p->values);
    agg_context(b, false, "VALUES");
    for (int r = 0; r < s->nvalues; r++) {
        if (s->values_len[r] != n)
            return fail_at(b, expr_location(s->values[r][0]), SQLSTATE_SYNTAX_ERROR,
                           "VALUES lists must all be the same length");
        p->values[r] = arena_alloc(b->arena, (size_t)(n + 1) * sizeof(BExpr *));
        for (int c = 0; c < n; c++)
            if (!(p->values[r][c] = bind_expr(b, s->values[r][c]))) return NULL;
    }
    memset(tl, 0, sizeof *tl);
    BExpr **column = arena_alloc(b->arena, (size_t)(s->nvalues + 1) * sizeof *column);
    const Expr **src = arena_alloc(b->arena, (size_t)(s->nvalues + 1) * sizeof *src);
    for (int c = 0; c < n; c++) {
        for (int r = 0; r < s->nvalues; r++) column[r] = p->values[r][c], src[r] = s->values[r][c];
        TypeId t = select_common_type(b, column, src, s->nvalues, "VALUES");
        if (t == TYPE_INVALID) return NULL;
        for (int r = 0; r < s->nvalues; r++)
            if (!(p->values[r][c] = coerce_to_common(b, column[r], src[r], t, "VALUES"))) return NULL;
        int32_t typmod = column[0]->typmod;
        for (int r = 1; r < s->nvalues; r++)
            if (p->values[r][c]->typmod != typmod) typmod = -1;
        target_add(b, tl, planner__column_ref(b->arena, c, t, typmod, -1), arena_sprintf(b->arena, "column%d", c + 1));
    }
    plan_set_targets(p, tl);
    /* ORDER BY reads the rows as the columns of "*VALUES*" */
    b->scope = arena_zalloc(b->arena, sizeof *b->scope);
    b->scope->items = arena_zalloc(b->arena, sizeof *b->scope->items);
    b->scope->n = b->scope->cap = 1;
    b->scope->width = n;
    ScopeItem *it = &b->scope->items[0];
    it->name = "*VALUES*";
    it->rel_visible = it->cols_visible = true;
    it->ncols = n;
    it->colnames = arena_alloc(b->arena, (size_t)(n + 1) * sizeof *it->colnames);
    it->cols = tl->exprs;
    for (int c = 0; c < n; c++) it->colnames[c] = tl->cols[c].name;
    return p;
}

/* The WINDOW clause with each window that names another (defined before
 * it, as PostgreSQL requires) spelled out: its base's PARTITION BY, and
 * ORDER BY unless it has its own. */
static const WindowSpec *spell_out_windows(Binder *b, const SelectStmt *s) {
    WindowSpec *out = arena_alloc(b->arena, (size_t)(s->nwindows + 1) * sizeof *out);
    for (int i = 0; i < s->nwindows; i++) {
        WindowSpec w = s->windows[i];
        if (w.base) {
            const WindowSpec *base = NULL;
            for (int k = 0; k < i && !base; k++)
                if (strcmp(out[k].name, w.base) == 0) base = &out[k];
            if (!base) return fail_at(b, w.pos, SQLSTATE_UNDEFINED_OBJECT, "window \"%s\" does not exist", w.base);
            if (w.npartition)
                return window_error(b, w.pos, "cannot override PARTITION BY clause of window \"%s\"", w.base), NULL;
            if (w.norder && base->norder)
                return window_error(b, w.pos, "cannot override ORDER BY clause of window \"%s\"", w.base), NULL;
            if (base->mode != SQL_FRAME_DEFAULT)
                return window_error(b, w.pos, "cannot copy window \"%s\" because it has a frame clause", w.base), NULL;
            w.partition = base->partition, w.npartition = base->npartition;
            if (!w.norder) w.order = base->order, w.norder = base->norder;
            w.base = NULL;
        }
        out[i] = w;
    }
    return out;
}

/* SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ...: up to its ORDER BY. */
static Plan *bind_simple(Binder *b, const SelectStmt *s, TargetList *tl) {
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = PLAN_SELECT;
    agg_context(b, false, "functions in FROM");
    if (s->nfrom && !planner__bind_from(b, s->from, s->nfrom)) return NULL;
    p->from = b->from;
    agg_context(b, true, NULL);
    for (int i = 0; i < s->nwindows; i++)
        for (int k = 0; k < i; k++)
            if (strcmp(s->windows[i].name, s->windows[k].name) == 0)
                return fail_at(b, s->windows[i].pos, SQLSTATE_WINDOWING_ERROR, "window \"%s\" is already defined",
                               s->windows[i].name);
    if (!(b->windows = spell_out_windows(b, s))) return NULL;
    b->nwindows = s->nwindows;
    b->win_ok = true;
    b->srf_ok = true;
    bool ok = bind_targets(b, s->targets, s->ntargets, tl);
    b->srf_ok = false;
    if (!ok) return NULL;
    plan_set_targets(p, tl);
    p->srfs = b->srfs;
    p->nsrfs = b->nsrfs;
    agg_context(b, false, "WHERE");
    if (!bind_where(b, s->where, p)) return NULL;
    agg_context(b, false, "GROUP BY");
    bool sets = false;
    for (int i = 0; i < s->ngroup; i++) sets |= is_grouping_construct(s->group[i]);
    if (sets && !bind_grouping_sets(b, s, tl, p)) return NULL;
    for (int i = 0; i < s->ngroup && !sets; i++) {
        uint64_t keys = 0;
        if (!bind_group_item(b, s->group[i], tl, p, &keys)) return NULL;
    }
    agg_context(b, true, NULL);
    b->win_context = "HAVING";
    if (s->having) {
        BExpr *h = bind_expr(b, s->having);
        if (!h || !(p->having = coerce_to_bool(b, h, "HAVING", expr_location(s->having)))) return NULL;
    }
    return p;
}

/* ORDER BY of a set operation: result columns only, by name or number. */
static bool setop_order_item_ok(Binder *b, const OrderItem *item, const TargetList *tl) {
    const Expr *x = item->expr;
    if (x->kind == EXPR_INTEGER) return true;
    if (x->kind == EXPR_COLUMN && !x->u.column.table)
        for (int i = 0; i < tl->n; i++)
            if (strcmp(tl->cols[i].name, x->u.column.name) == 0) return true;
    if (x->kind == EXPR_COLUMN) {
        fail_at(b, x->pos, SQLSTATE_UNDEFINED_COLUMN, "column \"%s\" does not exist", x->u.column.name);
        return false;
    }
    fail_at(b, expr_location(x), SQLSTATE_FEATURE_NOT_SUPPORTED, "invalid UNION/INTERSECT/EXCEPT ORDER BY clause");
    error_detail(b->err, "Only result column names can be used, not expressions or functions.");
    error_hint(b->err, "Add the expression/function to every SELECT, or move the UNION into a FROM clause.");
    return false;
}

/* DISTINCT ON (...): its keys (by result name or number, as ORDER BY's),
 * which the ORDER BY must begin with; without ORDER BY, they sort. */
static bool bind_distinct_on(Binder *b, const SelectStmt *s, const TargetList *tl, Plan *p) {
    p->ndistinct_on = s->ndistinct_on;
    p->distinct_on = arena_alloc(b->arena, (size_t)(s->ndistinct_on + 1) * sizeof *p->distinct_on);
    for (int i = 0; i < s->ndistinct_on; i++) {
        OrderItem item = {s->distinct_on[i], false, 0};
        SortKey key;
        if (!bind_sort_key(b, &item, tl, &key, "DISTINCT ON")) return false;
        p->distinct_on[i] = key.expr;
    }
    int covered = 0;
    for (int k = 0; k < p->nsort && covered < p->ndistinct_on; k++) {
        bool in = false;
        for (int i = 0; i < p->ndistinct_on && !in; i++) in = planner__bexpr_equal(p->sort[k].expr, p->distinct_on[i]);
        if (!in)
            return fail_at(b, expr_location(s->distinct_on[0]), SQLSTATE_INVALID_COLUMN_REFERENCE,
                           "SELECT DISTINCT ON expressions must match initial ORDER BY expressions"),
                   false;
        covered++;
    }
    /* the DISTINCT ON items the ORDER BY does not name come after it, as
     * PostgreSQL adds them, so that equal keys end up together */
    for (int i = 0; i < p->ndistinct_on; i++) {
        bool in = false;
        for (int k = 0; k < p->nsort && !in; k++) in = planner__bexpr_equal(p->sort[k].expr, p->distinct_on[i]);
        if (in) continue;
        SortKey *keys = arena_zalloc(b->arena, (size_t)(p->nsort + 2) * sizeof *keys);
        if (p->nsort) memcpy(keys, p->sort, (size_t)p->nsort * sizeof *keys);
        keys[p->nsort++].expr = p->distinct_on[i];
        p->sort = keys;
    }
    return true;
}

/* WITH: its queries in scope for this query and those inside it, each
 * bound once (referenced or not, as PostgreSQL analyses them) and planned
 * only if read. */
static bool bind_with(Binder *b, const CommonTableExpr *ctes, int n, bool recursive) {
    CteScope *sc = arena_zalloc(b->arena, sizeof *sc);
    sc->items = ctes;
    sc->n = n;
    sc->recursive = recursive;
    sc->parent = b->ctes;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < i; k++)
            if (strcmp(ctes[i].name, ctes[k].name) == 0)
                return fail_at(b, ctes[i].pos, SQLSTATE_DUPLICATE_ALIAS,
                               "WITH query name \"%s\" specified more than once", ctes[i].name),
                       false;
    sc->plans = arena_zalloc(b->arena, (size_t)n * sizeof *sc->plans);
    sc->referenced = arena_zalloc(b->arena, (size_t)n);
    sc->busy = arena_zalloc(b->arena, (size_t)n);
    b->ctes = sc;
    for (int i = 0; i < n; i++) {
        int first = b->shared->n;
        if (!planner__bind_cte(b, sc, i)) return false;
        for (int k = first; k < b->shared->n; k++)
            if (!b->shared->needed[k]) b->shared->needed[k] = &sc->referenced[i];
    }
    return true;
}

static Plan *bind_select(Binder *b, const SelectStmt *s) {
    bool simple = !s->setop && !s->nvalues;
    if (s->nctes && !bind_with(b, s->ctes, s->nctes, s->recursive)) return NULL;
    if (simple && is_procedure_select(s)) {
        Plan *call = planner__bind_select_call(b, s);
        if (call || b->err->set) return call;
    }
    TargetList tl;
    Plan *p = s->setop ? bind_setop(b, s, &tl) : s->nvalues ? bind_values(b, s, &tl) : bind_simple(b, s, &tl);
    if (!p) return NULL;
    if (s->setop) b->scope = NULL; /* ORDER BY: result columns only */
    agg_context(b, simple, simple ? NULL : "ORDER BY");
    b->win_ok = simple;
    p->nsort = s->norder;
    p->sort = arena_zalloc(b->arena, (size_t)(s->norder + 1) * sizeof *p->sort);
    for (int i = 0; i < s->norder; i++) {
        if (s->setop && !setop_order_item_ok(b, &s->order[i], &tl)) return NULL;
        if (!bind_sort_key(b, &s->order[i], &tl, &p->sort[i], "ORDER BY")) return NULL;
        if (s->distinct && !s->ndistinct_on) {
            bool in = false;
            for (int k = 0; k < p->ncols && !in; k++) in = planner__bexpr_equal(p->sort[i].expr, p->targets[k]);
            if (!in)
                return fail_at(b, expr_location(s->order[i].expr), SQLSTATE_INVALID_COLUMN_REFERENCE,
                               "for SELECT DISTINCT, ORDER BY expressions must appear in select list");
        }
    }
    p->distinct = s->distinct;
    if (s->ndistinct_on && !bind_distinct_on(b, s, &tl, p)) return NULL;
    agg_context(b, false, "LIMIT");
    if (s->limit && !(p->limit = bind_limit(b, s->limit, "LIMIT"))) return NULL;
    p->with_ties = s->with_ties;
    agg_context(b, false, "OFFSET");
    if (s->offset && !(p->offset = bind_limit(b, s->offset, "OFFSET"))) return NULL;
    if (simple && (b->naggs || s->ngroup || s->having) && !regroup_plan(b, p)) return NULL;
    if (p->nsrfs && (p->grouped || b->nwins || s->locking.strength != SQL_LOCK_NONE))
        return fail_at(b, -1, SQLSTATE_FEATURE_NOT_SUPPORTED,
                       "set-returning functions in the select list of a grouped, windowed or locking query are not "
                       "supported yet");
    p->wins = b->wins;
    p->nwins = b->nwins;
    if (s->locking.strength != SQL_LOCK_NONE && (p->grouped || s->distinct || !simple)) {
        static const char *const LOCKS[] = {"", "KEY SHARE", "SHARE", "NO KEY UPDATE", "UPDATE"};
        const char *what = s->setop      ? "UNION/INTERSECT/EXCEPT"
                           : s->nvalues  ? "VALUES"
                           : s->distinct ? "DISTINCT clause"
                           : s->ngroup   ? "GROUP BY clause"
                                         : "aggregate functions";
        return fail_at(b, -1, SQLSTATE_FEATURE_NOT_SUPPORTED, "FOR %s is not allowed with %s",
                       LOCKS[s->locking.strength], what);
    }
    if (!bind_locking(b, &s->locking, p)) return NULL;
    return p;
}

/* ---- INSERT / UPDATE / DELETE -------------------------------------------------------- */

int planner__find_column(const TableDesc *d, const char *name) {
    for (int i = 0; i < d->ncols; i++)
        if (strcmp(d->cols[i].name, name) == 0) return i;
    return -1;
}

static BExpr *bind_assignment(Binder *b, const Expr *x, const ColumnDesc *col) {
    if (x->kind == EXPR_DEFAULT) return NULL; /* no column defaults yet: NULL */
    BExpr *e = bind_expr(b, x);
    if (!e) return NULL;
    bool failed;
    BExpr *r = coerce(b, e, col->type, col->typmod, COERCE_ASSIGNMENT, &failed);
    if (r || failed) return r;
    fail_at(b, expr_location(x), SQLSTATE_DATATYPE_MISMATCH, "column \"%s\" is of type %s but expression is of type %s",
            col->name, type_name(col->type), type_name(e->type));
    error_hint(b->err, "You will need to rewrite or cast the expression.");
    return NULL;
}

static bool bind_returning(Binder *b, const ResTarget *targets, int n, Plan *p) {
    agg_context(b, false, "RETURNING");
    if (!n) return true;
    TargetList tl;
    if (!bind_targets(b, targets, n, &tl)) return false;
    plan_set_targets(p, &tl);
    return true;
}

static bool bind_insert_columns(Binder *b, const InsertStmt *s, const TableDesc *d, int *cols, int *ncols) {
    if (!s->columns) {
        for (int i = 0; i < d->ncols; i++) cols[i] = i;
        *ncols = d->ncols;
        return true;
    }
    for (int i = 0; i < s->ncolumns; i++) {
        int c = planner__find_column(d, s->columns[i]);
        if (c < 0) {
            fail_at(b, s->column_pos[i], SQLSTATE_UNDEFINED_COLUMN, "column \"%s\" of relation \"%s\" does not exist",
                    s->columns[i], d->name);
            return false;
        }
        for (int j = 0; j < i; j++) {
            if (cols[j] == c) {
                fail_at(b, s->column_pos[i], SQLSTATE_DUPLICATE_COLUMN, "column \"%s\" specified more than once",
                        s->columns[i]);
                return false;
            }
        }
        cols[i] = c;
    }
    *ncols = s->ncolumns;
    return true;
}

static bool bind_insert_row(Binder *b, const InsertStmt *s, int r, const int *cols, int ncols, BExpr **out) {
    const TableDesc *d = storage_table_desc(b->table);
    int len = s->row_len[r];
    if (len > ncols) {
        fail_at(b, s->rows[r][ncols]->pos, SQLSTATE_SYNTAX_ERROR, "INSERT has more expressions than target columns");
        return false;
    }
    if (len < ncols && s->columns) {
        fail_at(b, s->column_pos[len], SQLSTATE_SYNTAX_ERROR, "INSERT has more target columns than expressions");
        return false;
    }
    /* VALUES cannot see the target table's columns. */
    Scope *scope = b->scope;
    b->scope = NULL;
    for (int j = 0; j < len; j++) {
        out[cols[j]] = bind_assignment(b, s->rows[r][j], &d->cols[cols[j]]);
        if (!out[cols[j]] && b->err->set) break;
    }
    b->scope = scope;
    return !b->err->set;
}

static Plan *bind_insert(Binder *b, const InsertStmt *s) {
    agg_context(b, false, "VALUES");
    if (!bind_table(b, &s->table)) return NULL;
    const TableDesc *d = storage_table_desc(b->table);
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = PLAN_INSERT;
    p->source.table = b->table;
    int *cols = arena_alloc(b->arena, (size_t)(d->ncols + 1) * sizeof *cols), ncols;
    if (!bind_insert_columns(b, s, d, cols, &ncols)) return NULL;
    p->ninsert_rows = s->default_values ? 1 : s->nrows;
    p->insert_rows = arena_zalloc(b->arena, (size_t)p->ninsert_rows * sizeof *p->insert_rows);
    for (int r = 0; r < p->ninsert_rows; r++) {
        p->insert_rows[r] = arena_zalloc(b->arena, (size_t)d->ncols * sizeof(BExpr *));
        if (r > 0 && s->row_len[r] != s->row_len[0]) {
            fail_at(b, s->rows[r][0]->pos, SQLSTATE_SYNTAX_ERROR, "VALUES lists must all be the same length");
            return NULL;
        }
        if (!s->default_values && !bind_insert_row(b, s, r, cols, ncols, p->insert_rows[r])) return NULL;
    }
    if (!bind_returning(b, s->returning, s->nreturning, p)) return NULL;
    return p;
}

/* SET doc[k1][k2]... = v: jsonb_subscript_assign over the path as text
 * (integer subscripts written as numbers) and v as jsonb. */
static BExpr *bind_jsonb_assignment(Binder *b, const SetClause *sc, int c, const ColumnDesc *col) {
    static const TypeId ARGS[] = {TYPE_JSONB, TYPE_TEXTARRAY, TYPE_JSONB, TYPE_BOOL};
    static const PlannerFunc ASSIGN = {
        0, "jsonb_subscript_assign", 4, ARGS, TYPE_JSONB, FUNC_IMMUTABLE, jsonb_subscript_assign, true, false, false};
    BExpr *path = node(b, BEXPR_ARRAY, TYPE_TEXTARRAY, -1);
    path->u.array.items = arena_alloc(b->arena, (size_t)(sc->nindexes + 1) * sizeof(BExpr *));
    path->u.array.n = sc->nindexes;
    bool first_int = false, failed;
    for (int i = 0; i < sc->nindexes; i++) {
        BExpr *k = bind_expr(b, sc->indexes[i]);
        if (!k) return NULL;
        if (i == 0) first_int = is_number_type((TypeId)k->type);
        TypeId from = k->type;
        if (!(k = coerce(b, k, TYPE_TEXT, -1, COERCE_EXPLICIT, &failed))) {
            if (failed) return NULL;
            fail_at(b, expr_location(sc->indexes[i]), SQLSTATE_DATATYPE_MISMATCH, "subscript type %s is not supported",
                    type_name(from));
            error_hint(b->err, "jsonb subscript must be coercible to either integer or text.");
            return NULL;
        }
        path->u.array.items[i] = k;
    }
    BExpr *value = bind_expr(b, sc->value);
    if (!value) return NULL;
    TypeId from = value->type;
    BExpr *v = coerce(b, value, TYPE_JSONB, -1, COERCE_ASSIGNMENT, &failed);
    if (!v) {
        if (failed) return NULL;
        fail_at(b, expr_location(sc->value), SQLSTATE_DATATYPE_MISMATCH,
                "subscripted assignment to \"%s\" requires type jsonb but expression is of type %s", col->name,
                type_name(from));
        error_hint(b->err, "You will need to rewrite or cast the expression.");
        return NULL;
    }
    BExpr *doc = node(b, BEXPR_COLUMN, TYPE_JSONB, -1), *e = node(b, BEXPR_FUNC, TYPE_JSONB, -1);
    doc->u.column = c;
    e->u.func.fn = &ASSIGN;
    e->u.func.args = arena_alloc(b->arena, 5 * sizeof *e->u.func.args);
    e->u.func.args[0] = doc, e->u.func.args[1] = path, e->u.func.args[2] = v;
    e->u.func.args[3] = const_node(b, value_bool(first_int), -1);
    e->u.func.nargs = 4;
    return e;
}

/* SET a[i] = x: the column's array with that element set (array_set_element,
 * which SQL cannot call by name). */
static BExpr *bind_element_assignment(Binder *b, const SetClause *sc, int c, const ColumnDesc *col) {
    static const TypeId ARGS[] = {TYPE_INVALID, TYPE_INT4, TYPE_INVALID};
    static const PlannerFunc SET_ELEMENT = {
        0, "array_set_element", 3, ARGS, TYPE_INVALID, FUNC_IMMUTABLE, array_set_element, true, false, false};
    if (col->type == TYPE_JSONB) return bind_jsonb_assignment(b, sc, c, col);
    if (!type_is_array(col->type))
        return fail_at(b, sc->pos, SQLSTATE_DATATYPE_MISMATCH,
                       "cannot subscript type %s because it does not support subscripting", type_name(col->type));
    if (sc->nindexes > 1) /* arrays here have one dimension */
        return fail_at(b, -1, SQLSTATE_ARRAY_SUBSCRIPT_ERROR, "wrong number of array subscripts");
    BExpr *arr = node(b, BEXPR_COLUMN, col->type, -1), *index = bind_subscript_index(b, sc->indexes[0]);
    arr->u.column = c;
    if (!index) return NULL;
    BExpr *value = bind_expr(b, sc->value);
    if (!value) return NULL;
    TypeId elem = type_info(col->type)->elem, from = value->type;
    bool failed;
    BExpr *v = coerce(b, value, elem, col->typmod, COERCE_ASSIGNMENT, &failed);
    if (!v) {
        if (failed) return NULL;
        fail_at(b, expr_location(sc->value), SQLSTATE_DATATYPE_MISMATCH,
                "subscripted assignment to \"%s\" requires type %s but expression is of type %s", col->name,
                type_name(elem), type_name(from));
        error_hint(b->err, "You will need to rewrite or cast the expression.");
        return NULL;
    }
    BExpr *e = node(b, BEXPR_FUNC, col->type, -1);
    e->u.func.fn = &SET_ELEMENT;
    e->u.func.args = arena_alloc(b->arena, 4 * sizeof *e->u.func.args);
    e->u.func.args[0] = arr, e->u.func.args[1] = index, e->u.func.args[2] = v;
    e->u.func.nargs = 3;
    return e;
}

static Plan *bind_update(Binder *b, const UpdateStmt *s) {
    agg_context(b, false, "UPDATE");
    if (!bind_table(b, &s->table)) return NULL;
    const TableDesc *d = storage_table_desc(b->table);
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = PLAN_UPDATE;
    p->update_values = arena_zalloc(b->arena, (size_t)d->ncols * sizeof(BExpr *));
    bool *set = arena_zalloc(b->arena, (size_t)d->ncols * sizeof *set);
    for (int i = 0; i < s->nsets; i++) {
        int c = planner__find_column(d, s->sets[i].column);
        if (c < 0)
            return fail_at(b, s->sets[i].pos, SQLSTATE_UNDEFINED_COLUMN,
                           "column \"%s\" of relation \"%s\" does not exist", s->sets[i].column, d->name);
        if (set[c])
            return fail_at(b, -1, SQLSTATE_SYNTAX_ERROR, "multiple assignments to same column \"%s\"",
                           s->sets[i].column);
        set[c] = true;
        if (s->sets[i].nindexes) {
            if (!(p->update_values[c] = bind_element_assignment(b, &s->sets[i], c, &d->cols[c]))) return NULL;
            continue;
        }
        p->update_values[c] = bind_assignment(b, s->sets[i].value, &d->cols[c]);
        if (!p->update_values[c]) {
            if (b->err->set) return NULL;
            p->update_values[c] = const_node(b, value_null(d->cols[c].type), -1); /* SET c = DEFAULT */
        }
    }
    if (!bind_where(b, s->where, p)) return NULL;
    if (!bind_returning(b, s->returning, s->nreturning, p)) return NULL;
    return p;
}

static Plan *bind_delete(Binder *b, const DeleteStmt *s) {
    if (!bind_table(b, &s->table)) return NULL;
    Plan *p = arena_zalloc(b->arena, sizeof *p);
    p->kind = PLAN_DELETE;
    if (!bind_where(b, s->where, p)) return NULL;
    if (!bind_returning(b, s->returning, s->nreturning, p)) return NULL;
    return p;
}

/* ---- for the other files of the planner ---------------------------------------------- */

BExpr *planner__bind_expr(Binder *b, const Expr *x) { return bind_expr(b, x); }

int planner__expr_location(const Expr *x) { return expr_location(x); }

BExpr *planner__bind_comparison(Binder *b, SqlOp op, int byte_pos, BExpr *l, BExpr *r) {
    return bind_comparison(b, op, byte_pos, NULL, l, NULL, r);
}

TypeId planner__common_type(Binder *b, BExpr **items, int n, const char *construct, int byte_pos) {
    TypeId t = select_common_type(b, items, NULL, n, construct);
    if (t == TYPE_INVALID && b->err->set && byte_pos < 0) b->err->position = 0;
    return t;
}

BExpr *planner__coerce_common(Binder *b, BExpr *e, TypeId t, const char *construct, int byte_pos) {
    (void)byte_pos;
    return coerce_to_common(b, e, NULL, t, construct);
}

BExpr *planner__coerce_bool(Binder *b, BExpr *e, const char *construct, int byte_pos) {
    return coerce_to_bool(b, e, construct, byte_pos);
}

bool planner__implicit_cast_exists(TypeId from, TypeId to) { return cast_allowed(from, to, COERCE_IMPLICIT); }

BExpr *planner__coerce_implicit(Binder *b, BExpr *e, TypeId to, bool *failed) {
    return coerce(b, e, to, -1, COERCE_IMPLICIT, failed);
}

/* ---- entry point ---------------------------------------------------------------------- */

static Plan *bind_stmt(Binder *b, const Stmt *stmt) {
    switch (stmt->kind) {
    case STMT_SELECT: return bind_select(b, &stmt->u.select);
    case STMT_INSERT:
    case STMT_UPDATE:
    case STMT_DELETE:
        if (stmt->nctes && !bind_with(b, stmt->ctes, stmt->nctes, stmt->recursive)) return NULL;
        return stmt->kind == STMT_INSERT   ? bind_insert(b, &stmt->u.insert)
               : stmt->kind == STMT_UPDATE ? bind_update(b, &stmt->u.update)
                                           : bind_delete(b, &stmt->u.del);
    case STMT_CREATE_TABLE:
    case STMT_ALTER_TABLE:
    case STMT_DROP_TABLE:
    case STMT_CREATE_INDEX:
    case STMT_DROP_INDEX:
    case STMT_VACUUM: return planner__bind_ddl(b, stmt);
    case STMT_CREATE_PROCEDURE:
    case STMT_DROP_PROCEDURE:
    case STMT_CALL: b->shared->deps_all = true; return planner__bind_procedure(b, stmt);
    case STMT_COPY: return planner__bind_copy(b, stmt);
    case STMT_DECLARE: return bind_stmt(b, stmt->u.cursor.query); /* the cursor's query */
    case STMT_EXPLAIN: {
        Plan *inner = bind_stmt(b, stmt->u.explain.query);
        if (!inner) return NULL;
        Plan *p = arena_zalloc(b->arena, sizeof *p);
        p->kind = PLAN_EXPLAIN;
        p->explained = inner;
        p->explain_analyze = stmt->u.explain.analyze;
        TargetList tl;
        memset(&tl, 0, sizeof tl);
        target_add(b, &tl, planner__column_ref(b->arena, 0, TYPE_TEXT, -1, -1), "QUERY PLAN");
        plan_set_targets(p, &tl);
        return p;
    }
    default: break;
    }
    return fail_at(b, -1, SQLSTATE_INTERNAL_ERROR, "statement %s is not planned", sql_stmt_kind_name(stmt->kind));
}

/* Constant folding, the access path and the operator tree of a bound plan. */
static bool finish_plan(Binder *b, Plan *p) {
    if (p->kind == PLAN_EXPLAIN) return finish_plan(b, p->explained);
    if (!planner__fold_plan(p, b->arena, &b->shared->folds_params, b->err)) return false;
    plan_row_source(b, p);
    if (p->kind == PLAN_SELECT) planner__plan_select(p, b->txn, &b->shared->nexec, b->arena);
    return true;
}

bool planner_bind(Storage *storage, Txn *txn, const Stmt *stmt, const char *sql, ParamTypes *params, Arena *arena,
                  Plan **out, Error *err) {
    Binder b = {.storage = storage,
                .txn = txn,
                .sql = sql,
                .arena = arena,
                .err = err,
                .params = params,
                .agg_context = "this context"};
    error_clear(err);
    BindShared shared = {0};
    b.shared = &shared;
    Plan *p = bind_stmt(&b, stmt);
    if (!p) return false;
    /* after every binding error, as PostgreSQL plans after parse analysis: inner queries first */
    for (int i = 0; i < shared.n; i++)
        if ((!shared.needed[i] || *shared.needed[i]) && !finish_plan(&b, shared.subqueries[i])) return false;
    if (!finish_plan(&b, p)) return false;
    p->nexec = shared.nexec;
    p->nsublinks = shared.nsublinks;
    p->nworktables = shared.nworktables;
    p->writes = shared.writes;
    p->nwrites = shared.nwrites;
    p->folds_params = shared.folds_params;
    p->has_grouping_sets = shared.grouping_sets;
    p->deps = shared.deps;
    p->ndeps = shared.ndeps;
    p->deps_all = shared.deps_all;
    for (int i = 0; params && i < params->n; i++)
        if (params->types[i] == TYPE_INVALID) params->types[i] = TYPE_TEXT;
    *out = p;
    return true;
}

bool planner_plan_folds_params(const Plan *plan) { return plan->folds_params; }

bool planner_plan_has_grouping_sets(const Plan *plan) { return plan->has_grouping_sets; }

void planner__depend_on(Binder *b, Table *t) {
    BindShared *sh = b->shared;
    uint32_t oid = storage_table_oid(t);
    for (int i = 0; i < sh->ndeps; i++)
        if (sh->deps[i] == oid) return;
    if (sh->ndeps == sh->capdeps) {
        int cap = sh->capdeps ? 2 * sh->capdeps : 4;
        uint32_t *deps = arena_alloc(b->arena, (size_t)cap * sizeof *deps);
        if (sh->ndeps) memcpy(deps, sh->deps, (size_t)sh->ndeps * sizeof *deps);
        sh->deps = deps;
        sh->capdeps = cap;
    }
    sh->deps[sh->ndeps++] = oid;
}

bool planner_plan_current(const Plan *plan, Storage *storage, uint64_t bound_at) {
    if (plan->deps_all) return storage_catalog_version(storage) == bound_at;
    for (int i = 0; i < plan->ndeps; i++)
        if (storage_table_changed(storage, plan->deps[i]) > bound_at) return false;
    return true;
}

bool planner_plan_returns_rows(const Plan *plan) { return plan->kind == PLAN_SELECT || plan->ncols > 0; }

int planner_plan_ncols(const Plan *plan) { return plan->ncols; }

const PlanColumn *planner_plan_columns(const Plan *plan) { return plan->cols; }
