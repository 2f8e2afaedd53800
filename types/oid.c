/*
 * oid.c — oid and the reg* types (PostgreSQL's oid.c and regproc.c): an
 * object identifier, read and written as the object's name where the name
 * resolves today — regtype (the type table), regproc and regprocedure (the
 * built-in functions), regnamespace (pg_catalog, pg_toast, public) and regclass
 * (relations, through the TypeCatalog callbacks the engine gives with the
 * session's settings). An OID nothing answers to prints as its number.
 *
 * Values: Value.u.i, the OID as an unsigned 32-bit number.
 *
 * INTERFACE (types-internal): types__oid_from_text, types__oid_to_text,
 *   types__is_oid_type, types__oid_cast
 */
#include "types/types_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The schemas there are today (CREATE SCHEMA comes with the schema issue). */
static const struct {
    uint32_t oid;
    const char *name;
} NAMESPACES[] = {{11, "pg_catalog"}, {99, "pg_toast"}, {2200, "public"}};

bool types__is_oid_type(TypeId t) {
    return t == TYPE_OID || t == TYPE_REGPROC || t == TYPE_REGPROCEDURE || t == TYPE_REGTYPE || t == TYPE_REGCLASS ||
           t == TYPE_REGNAMESPACE;
}

/* oidin: an unsigned 32-bit number, or a negative one that wraps (as strtoul does). */
static bool oid_number(TypeId t, const char *s0, size_t len0, Value *out, Error *err) {
    const char *s = s0;
    size_t len = len0;
    types__trim(&s, &len);
    char buf[32];
    if (len == 0 || len >= sizeof buf) return types__invalid_syntax(t, s0, len0, err);
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    long long v = strtoll(buf, &end, 10);
    if (*end || end == buf) return types__invalid_syntax(t, s0, len0, err);
    if (v < INT32_MIN || v > (long long)UINT32_MAX)
        return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "value \"%.*s\" is out of range for type %s",
                         (int)len0, s0, type_info(t)->sql_name);
    *out = value_int(t, (uint32_t)v);
    return true;
}

static bool all_digits(const char *s, size_t len) {
    if (!len) return false;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return true;
}

/* A possibly qualified name as PostgreSQL's stringToQualifiedNameList
 * reads it: identifiers separated by dots, each lower-cased unless
 * double-quoted; white space around them. The number of parts, or -1 for
 * "invalid name syntax". */
#define NAME_PARTS 3
static int split_name(const char *s, size_t len, char parts[NAME_PARTS][64]) {
    const char *p = s, *end = s + len;
    int n = 0;
    for (;;) {
        while (p < end && isspace((unsigned char)*p)) p++;
        if (n == NAME_PARTS) return -1;
        size_t k = 0;
        if (p < end && *p == '"') {
            for (p++;; p++) {
                if (p == end) return -1;
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"')
                        p++;
                    else
                        break;
                }
                if (k + 1 < 64) parts[n][k++] = *p;
            }
            p++;
            if (k == 0) return -1;
        } else {
            for (; p < end && !isspace((unsigned char)*p) && *p != '.' && *p != '"'; p++)
                if (k + 1 < 64) parts[n][k++] = (char)tolower((unsigned char)*p);
            if (k == 0) return -1;
        }
        parts[n++][k] = '\0';
        while (p < end && isspace((unsigned char)*p)) p++;
        if (p == end) return n;
        if (*p != '.') return -1;
        p++;
    }
}

static bool invalid_name(Error *err) { return error_set(err, SQLSTATE_INVALID_NAME, "invalid name syntax"); }

/* ---- regproc and regprocedure: the built-in functions ---------------------------------- */

static const BuiltinFunc *func_by_oid(uint32_t oid) {
    size_t n;
    const BuiltinFunc *f = builtin_funcs(&n);
    for (size_t i = 0; i < n; i++)
        if (f[i].oid == oid && !f[i].operator) return &f[i];
    return NULL;
}

static bool regproc_from_name(const char *name, const char *text, size_t len, Value *out, Error *err) {
    size_t n;
    const BuiltinFunc *f = builtin_funcs(&n);
    uint32_t found = 0;
    for (size_t i = 0; i < n; i++) {
        if (f[i].operator|| strcmp(f[i].name, name) != 0) continue;
        if (found && found != f[i].oid)
            return error_set(err, SQLSTATE_AMBIGUOUS_FUNCTION, "more than one function named \"%s\"", name);
        found = f[i].oid;
    }
    if (!found) return error_set(err, SQLSTATE_UNDEFINED_FUNCTION, "function \"%.*s\" does not exist", (int)len, text);
    *out = value_int(TYPE_REGPROC, found);
    return true;
}

/* name(type, ...): the function with exactly those argument types. */
static bool regprocedure_from_text(const char *s, size_t len, Value *out, Error *err) {
    const char *open = memchr(s, '(', len);
    if (!open) return error_set(err, SQLSTATE_INVALID_TEXT_REPRESENTATION, "expected a left parenthesis");
    if (s[len - 1] != ')') return error_set(err, SQLSTATE_INVALID_TEXT_REPRESENTATION, "expected a right parenthesis");
    char types[16][64], name[NAME_PARTS][64];
    int parts = split_name(s, (size_t)(open - s), name);
    if (parts < 0) return invalid_name(err);
    int nargs = 0;
    const char *p = open + 1, *end = s + len - 1;
    while (p < end) {
        const char *comma = p;
        while (comma < end && *comma != ',') comma++;
        const char *a = p, *b = comma;
        while (a < b && isspace((unsigned char)*a)) a++;
        while (b > a && isspace((unsigned char)b[-1])) b--;
        if (nargs == 16 || a == b) return types__invalid_syntax(TYPE_REGPROCEDURE, s, len, err);
        snprintf(types[nargs++], sizeof types[0], "%.*s", (int)(b - a), a);
        p = comma + (comma < end);
    }
    TypeId argtypes[16];
    for (int i = 0; i < nargs; i++) {
        Value t;
        if (!value_from_text(TYPE_REGTYPE, types[i], strlen(types[i]), NULL, &t, err)) return false;
        argtypes[i] = (TypeId)t.u.i;
    }
    size_t n;
    const BuiltinFunc *f = builtin_funcs(&n);
    for (size_t i = 0; i < n; i++) {
        if (f[i].operator|| f[i].nargs != nargs || f[i].variadic || strcmp(f[i].name, name[parts - 1]) != 0) continue;
        bool same = true;
        for (int a = 0; a < nargs && same; a++) same = f[i].argtypes[a] == argtypes[a];
        if (same) return *out = value_int(TYPE_REGPROCEDURE, f[i].oid), true;
    }
    return error_set(err, SQLSTATE_UNDEFINED_FUNCTION, "function \"%.*s\" does not exist", (int)len, s);
}

static int regprocedure_to_text(const BuiltinFunc *f, char *buf) {
    int n = snprintf(buf, VALUE_TEXT_BUF, "%s(", f->name);
    for (int a = 0; a < f->nargs && n < VALUE_TEXT_BUF; a++)
        n += snprintf(buf + n, (size_t)(VALUE_TEXT_BUF - n), "%s%s", a ? "," : "", type_info(f->argtypes[a])->sql_name);
    if (f->variadic && n < VALUE_TEXT_BUF)
        n += snprintf(buf + n, (size_t)(VALUE_TEXT_BUF - n), "%s\"any\"", f->nargs ? "," : "");
    if (n < VALUE_TEXT_BUF - 1) buf[n++] = ')', buf[n] = '\0';
    return n < VALUE_TEXT_BUF ? n : VALUE_TEXT_BUF - 1;
}

/* ---- input and output -------------------------------------------------------------------------- */

bool types__oid_from_text(TypeId t, const char *s0, size_t len0, Value *out, Error *err) {
    const char *s = s0;
    size_t len = len0;
    types__trim(&s, &len);
    if (t == TYPE_OID || all_digits(s0, len0)) return oid_number(t, s0, len0, out, err); /* digits only: an OID */
    if ((t == TYPE_REGPROC || t == TYPE_REGPROCEDURE || t == TYPE_REGCLASS || t == TYPE_REGNAMESPACE) && len == 1 &&
        s[0] == '-')
        return *out = value_int(t, 0), true; /* "-" is InvalidOid */
    char name[NAME_PARTS][64];
    int parts = t == TYPE_REGPROCEDURE ? 0 : split_name(s, len, name);
    if (parts < 0) return invalid_name(err);
    if (parts > 1 && t != TYPE_REGNAMESPACE) { /* schema.name: the schemas there are */
        if (parts > 2)
            return error_set(err, SQLSTATE_FEATURE_NOT_SUPPORTED,
                             "cross-database references are not implemented: \"%.*s\"", (int)len, s);
        bool known = false;
        for (size_t i = 0; i < ARRAY_LEN(NAMESPACES); i++) known |= !strcmp(name[0], NAMESPACES[i].name);
        if (!known) return error_set(err, SQLSTATE_INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", name[0]);
    }
    const char *last = parts > 0 ? name[parts - 1] : "";
    switch (t) {
    case TYPE_REGPROC: return regproc_from_name(last, s0, len0, out, err);
    case TYPE_REGPROCEDURE: return regprocedure_from_text(s, len, out, err);
    case TYPE_REGNAMESPACE:
        if (parts != 1) return invalid_name(err);
        for (size_t i = 0; i < ARRAY_LEN(NAMESPACES); i++)
            if (!strcmp(last, NAMESPACES[i].name)) return *out = value_int(t, NAMESPACES[i].oid), true;
        return error_set(err, SQLSTATE_UNDEFINED_OBJECT, "schema \"%s\" does not exist", last);
    case TYPE_REGCLASS: {
        const TypeCatalog *c = types__settings()->catalog;
        uint32_t oid = c && c->relation_oid ? c->relation_oid(c->ctx, last) : 0;
        if (!oid) return error_set(err, SQLSTATE_UNDEFINED_TABLE, "relation \"%s\" does not exist", last);
        return *out = value_int(t, oid), true;
    }
    default: return types__invalid_syntax(t, s0, len0, err);
    }
}

int types__oid_to_text(const Value *v, char *buf) {
    uint32_t oid = (uint32_t)v->u.i;
    switch (v->type) {
    case TYPE_REGPROC:
    case TYPE_REGPROCEDURE: {
        if (!oid) return sprintf(buf, "-");
        const BuiltinFunc *f = func_by_oid(oid);
        if (!f) break;
        return v->type == TYPE_REGPROC ? snprintf(buf, VALUE_TEXT_BUF, "%s", f->name) : regprocedure_to_text(f, buf);
    }
    case TYPE_REGNAMESPACE:
        for (size_t i = 0; i < ARRAY_LEN(NAMESPACES); i++)
            if (oid == NAMESPACES[i].oid) return sprintf(buf, "%s", NAMESPACES[i].name);
        break;
    case TYPE_REGCLASS: {
        if (!oid) return sprintf(buf, "-");
        const TypeCatalog *c = types__settings()->catalog;
        if (c && c->relation_name && c->relation_name(c->ctx, oid, buf, VALUE_TEXT_BUF)) return (int)strlen(buf);
        break;
    }
    default: break;
    }
    return sprintf(buf, "%u", oid);
}

/* ---- casts ------------------------------------------------------------------------------------------
 * Among oid and the reg* types an OID stays as it is; the integers become
 * OIDs (int4 wraps, int8 must fit), and OIDs become integers (int4 wraps). */
bool types__oid_cast(Value *v, TypeId to, bool *handled, Error *err) {
    TypeId from = v->type;
    bool from_int = from == TYPE_INT2 || from == TYPE_INT4 || from == TYPE_INT8;
    bool to_int = to == TYPE_INT4 || to == TYPE_INT8;
    *handled = (types__is_oid_type(from) || from_int) && (types__is_oid_type(to) || to_int) &&
               (types__is_oid_type(from) || types__is_oid_type(to));
    if (!*handled) return false;
    int64_t x = v->u.i;
    if (from == TYPE_INT8 && (x < 0 || x > (int64_t)UINT32_MAX))
        return error_set(err, SQLSTATE_NUMERIC_VALUE_OUT_OF_RANGE, "OID out of range");
    if (from_int) x = (uint32_t)x;
    if (to == TYPE_INT4) x = (int32_t)(uint32_t)x;
    *v = value_int(to, x);
    return true;
}
