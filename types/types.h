/*
 * types.h — the built-in data types (PostgreSQL's utils/adt): values, their
 * text and binary forms, comparison, hashing, typmods, and the arithmetic of
 * each type family. Knows no SQL text, no storage and no sockets: storage/
 * lays values out in rows, planner/ binds and evaluates expressions with
 * these functions.
 *
 * The table of built-in types is generated from types.def.
 *
 * INTERFACE
 *   catalog:  type_info, type_by_name
 *   values:   value_null, value_int, value_float8, value_bool, value_string
 *   I/O:      value_from_text, value_from_binary, value_to_text,
 *             value_has_binary, value_to_binary
 *   order:    value_compare, value_equal, value_hash
 *   typmods:  value_apply_typmod
 *   casts:    type_cast_context, type_cast
 *   numeric:  numeric_* (numeric.h)
 */
#ifndef STRAND_TYPES_H
#define STRAND_TYPES_H

#include "common/common.h"

/* ---- types ----------------------------------------------------------------
 * Type ids are PostgreSQL's type OIDs, so clients recognise them. */
typedef enum TypeId {
    TYPE_INVALID = 0,
#define TYPE(NAME, oid, typname, sql_name, typlen, category, preferred, rank) TYPE_##NAME = oid,
#define ARRAY_TYPE(NAME, oid, typname, sql_name, elem) TYPE_##NAME = oid,
#include "types/types.def"
#undef TYPE
#undef ARRAY_TYPE
} TypeId;
/* How values are held (Value.u):
 *   bool: b; int2, int4, int8: i; float4, float8: f (float4 rounded to float)
 *   date: i, days since 2000-01-01; time: i, microseconds since midnight
 *   timestamp: i, microseconds since 2000-01-01 00:00 (local time)
 *   timestamptz: i, microseconds since 2000-01-01 00:00 UTC, PostgreSQL's
 *   interval: s/len, 16 bytes: microseconds, days, months (datetime.c)
 *   pg_lsn: i, the uint64 bits of a WAL position ("16/B374D848")
 *   regtype: i, a type's OID, written as format_type names it
 *   oid, regproc, regprocedure, regclass, regnamespace: i, the OID (oid.c)
 *   text, varchar, unknown: s/len, the bytes
 *   bpchar: s/len without trailing spaces (which comparisons ignore), and
 *           width, the length in characters it shows (padded with spaces)
 *   bytea: s/len, the bytes; uuid: s/len, its 16 bytes
 *   json: s/len, the text as given; jsonb: s/len, its normal form (json.c)
 *   arrays: s/len, bound, count and elements (array.c)
 *   numeric: s/len, its canonical text as numeric_out writes it (numeric.c)
 *   void: s/len, "" (what a procedure called by SELECT returns) */

/* PostgreSQL's typcategory: B, N, S, X (unknown) and U (user-defined, and
 * the built-in types in no other category, such as pg_lsn). Implicit casts
 * and operator resolution stay within a category. */
typedef enum TypeCategory {
    TYPCAT_BOOL,
    TYPCAT_NUMERIC,
    TYPCAT_STRING,
    TYPCAT_UNKNOWN,
    TYPCAT_USER,
    TYPCAT_DATETIME,
    TYPCAT_TIMESPAN, /* interval: PostgreSQL's T */
    TYPCAT_ARRAY
} TypeCategory;

typedef struct TypeInfo {
    TypeId id;
    const char *name;     /* pg_type.typname: int4 */
    const char *sql_name; /* format_type's name, used in messages: integer */
    int16_t typlen;       /* -1 = variable */
    TypeCategory category;
    bool preferred;   /* pg_type.typispreferred */
    int numeric_rank; /* int2 < int4 < int8 < numeric < float4 < float8 */
    TypeId elem;      /* an array's element type (TYPE_INVALID for the others) */
} TypeInfo;

const TypeInfo *type_info(TypeId t); /* NULL if unknown */
const TypeInfo *type_by_name(const char *typname);
/* Whether the type is one of the array types (TypeInfo.elem its element). */
bool type_is_array(TypeId t);
/* The array type of an element type, or TYPE_INVALID. */
TypeId type_array_of(TypeId elem);
/* Whether the type has btree's ordering (json has none: no =, no ORDER BY, no index). */
bool type_is_orderable(TypeId t);

/* ---- the session's settings ------------------------------------------------------
 * PostgreSQL's settings that change how values read and print. The engine
 * points types at the settings of the session it is serving
 * (types_use_settings) whenever it starts work for one, as PostgreSQL's
 * backend reads its GUCs; NULL means PostgreSQL's defaults. */
typedef enum ByteaOutput { BYTEA_OUTPUT_ESCAPE, BYTEA_OUTPUT_HEX } ByteaOutput;
typedef enum DateOrder { DATE_ORDER_MDY, DATE_ORDER_DMY, DATE_ORDER_YMD } DateOrder;
typedef enum DateStyle { DATE_STYLE_ISO, DATE_STYLE_SQL, DATE_STYLE_POSTGRES, DATE_STYLE_GERMAN } DateStyle;
typedef enum IntervalStyle {
    INTERVAL_STYLE_POSTGRES,
    INTERVAL_STYLE_POSTGRES_VERBOSE,
    INTERVAL_STYLE_SQL_STANDARD,
    INTERVAL_STYLE_ISO_8601
} IntervalStyle;
typedef struct TimeZone TimeZone;
/* Names of catalog objects types/ does not own: relations for regclass.
 * The engine answers for the session's transaction. */
typedef struct TypeCatalog {
    void *ctx;
    uint32_t (*relation_oid)(void *ctx, const char *name); /* 0 if none */
    bool (*relation_name)(void *ctx, uint32_t oid, char *buf, size_t cap);
} TypeCatalog;
typedef struct TypeSettings {
    int32_t extra_float_digits; /* 1..3: the shortest exact form; -15..0: 15 + n significant digits */
    int32_t bytea_output;       /* ByteaOutput */
    int32_t date_order;         /* DateOrder: DateStyle's field order (input, and SQL / Postgres output) */
    int32_t date_style;         /* DateStyle: how dates and times print */
    int32_t interval_style;     /* IntervalStyle */
    const TimeZone *timezone;   /* TimeZone; NULL is UTC */
    const TypeCatalog *catalog; /* NULL: regclass names resolve to nothing */
} TypeSettings;
#define TYPE_SETTINGS_DEFAULT                                                                                          \
    { 1, BYTEA_OUTPUT_HEX, DATE_ORDER_MDY, DATE_STYLE_ISO, INTERVAL_STYLE_POSTGRES, NULL, NULL }

void types_use_settings(const TypeSettings *settings);

/* ---- time zones (timezone.c) --------------------------------------------------
 * A zone by name: a tz database name (any case: America/New_York), UTC, or a
 * POSIX TZ string (EST5EDT, <+0530>-5:30, UTC+3: offsets west). NULL if
 * none. Zones live as long as the process. Offsets are seconds east. */
const TimeZone *timezone_find(const char *name);
const TimeZone *timezone_utc(void);
const char *timezone_name(const TimeZone *tz); /* as the directory spells it */
int32_t timezone_offset_utc(const TimeZone *tz, int64_t unix_secs, bool *isdst, const char **abbr);
/* The offset of a local time (seconds since 1970 as if UTC), as PostgreSQL
 * resolves times a transition skips or repeats. */
int32_t timezone_offset_local(const TimeZone *tz, int64_t local_secs);

/* ---- values ----------------------------------------------------------------
 * A Value is one SQL datum. Strings point at bytes owned elsewhere: a row
 * version (storage memory) or an arena (a statement's temporaries). */
typedef struct Value {
    uint32_t type; /* TypeId */
    bool isnull;
    uint32_t len;   /* string length in bytes */
    uint32_t width; /* bpchar: its length in characters with the trailing spaces, which u.s leaves out */
    union {
        int64_t i; /* int2, int4, int8; pg_lsn (its uint64 bits: compare as unsigned) */
        double f;  /* float8 */
        bool b;
        const char *s; /* text, varchar, bpchar, unknown, numeric (text form) */
    } u;
} Value;

static inline Value value_null(TypeId t) {
    Value v = {.type = t, .isnull = true};
    return v;
}
static inline Value value_int(TypeId t, int64_t i) {
    Value v = {.type = t};
    v.u.i = i;
    return v;
}
static inline Value value_float8(double f) {
    Value v = {.type = TYPE_FLOAT8};
    v.u.f = f;
    return v;
}
/* float4 or float8; a float4 is rounded to float here. */
static inline Value value_float(TypeId t, double f) {
    Value v = {.type = t};
    v.u.f = t == TYPE_FLOAT4 ? (double)(float)f : f;
    return v;
}
static inline Value value_bool(bool b) {
    Value v = {.type = TYPE_BOOL};
    v.u.b = b;
    return v;
}
static inline Value value_string(TypeId t, const char *s, uint32_t len) {
    Value v = {.type = t, .len = len};
    v.u.s = s;
    return v;
}

/* Parses the text form. Errors: 22P02 invalid input syntax for type X: "s",
 * 22003 value "s" is out of range for type X. Strings are copied to arena. */
bool value_from_text(TypeId t, const char *s, size_t len, Arena *arena, Value *out, Error *err);
/* Binary form (the COPY/Bind binary format) for the fixed-size types and text. */
bool value_from_binary(TypeId t, const char *p, size_t len, Arena *arena, Value *out, Error *err);
/* Text form, PostgreSQL's output functions. Returns a pointer to the text
 * and sets *len: into buf (which must hold VALUE_TEXT_BUF bytes), the
 * value's own bytes (strings), or for a long form (bytea) a buffer of
 * types' valid until the next call: a caller that keeps the text copies it. */
#define VALUE_TEXT_BUF 128
const char *value_to_text(const Value *v, char *buf, int *len);
/* Whether the type has a binary form here (numeric's comes later). */
bool value_has_binary(TypeId t);
/* Binary form into buf (VALUE_TEXT_BUF bytes) or the value's own bytes;
 * only for types with value_has_binary. */
const char *value_to_binary(const Value *v, char *buf, int *len);
/* Total order for two non-NULL values of one type (text: bytewise, the C
 * collation). */
int value_compare(const Value *a, const Value *b);
/* Whether a value of t points at its bytes (u.s and len) rather than
 * holding them, and a value made to own its bytes, copied into arena (for
 * whoever keeps it beyond the memory it was made in). */
bool type_by_reference(TypeId t);
void value_detach(Value *v, Arena *arena);
bool value_equal(const Value *a, const Value *b);
uint64_t value_hash(const Value *v);
/* Enforces a typmod: varchar(n)/bpchar(n) length. `is_explicit` casts
 * truncate (as PostgreSQL's do); assignments fail with 22001. */
bool value_apply_typmod(Value *v, int32_t typmod, bool is_explicit, Arena *arena, Error *err);
/* Makes a string value a bpchar: trailing spaces dropped from its bytes,
 * its width the characters it had. */
void value_make_bpchar(Value *v);

/* ---- built-in functions (the FUNC rows of types.def) --------------------------
 * The caller passes values of argtypes, non-NULL unless the function is
 * nonstrict (for a strict one, a NULL argument makes NULL without a call). */
typedef enum FuncVolatility { FUNC_IMMUTABLE, FUNC_STABLE, FUNC_VOLATILE } FuncVolatility;
typedef struct BuiltinFunc {
    uint32_t oid; /* pg_proc.oid */
    const char *name;
    int nargs; /* the declared arguments; a variadic function takes one or more after them */
    const TypeId *argtypes;
    TypeId result;
    FuncVolatility volatility;
    bool (*call)(const Value *args, Arena *arena, Value *out, Error *err);
    bool nonstrict; /* called with NULL arguments too (otherwise a NULL gives NULL) */
    bool variadic;  /* VARIADIC "any": args end with a Value of type TYPE_INVALID */
    bool operator;  /* a binary operator: name is its symbol, the arguments its operands */
} BuiltinFunc;

/* The built-in functions of types.def, *n of them. */
const BuiltinFunc *builtin_funcs(size_t *n);

/* s[0, n) as a json string, quoted and escaped (PostgreSQL's escape_json). */
void json_escape_string(StrBuf *b, const char *s, size_t n);
/* row_to_json of a row given as (pretty, name, value, name, value, ...):
 * the binder's for row_to_json(t). */
bool row_to_json_columns(const Value *args, Arena *arena, Value *out, Error *err);
/* The rows of json(b)_array_elements, json(b)_array_elements_text and
 * json(b)_object_keys (of args[0]) as an array: the planner unnests it. */
bool json_array_elements_rows(const Value *args, Arena *arena, Value *out, Error *err);
bool json_array_elements_text_rows(const Value *args, Arena *arena, Value *out, Error *err);
bool json_object_keys_rows(const Value *args, Arena *arena, Value *out, Error *err);
/* json(b)_each and json(b)_each_text: their key and value columns, each as an array. */
bool json_each_keys_rows(const Value *args, Arena *arena, Value *out, Error *err);
bool json_each_values_rows(const Value *args, Arena *arena, Value *out, Error *err);
bool json_each_text_values_rows(const Value *args, Arena *arena, Value *out, Error *err);
/* UPDATE ... SET doc[...] = v: (jsonb, text[] path, jsonb value, first subscript an integer). */
bool jsonb_subscript_assign(const Value *args, Arena *arena, Value *out, Error *err);

/* ---- casts --------------------------------------------------------------------------
 * The casts of types.def's CAST rows: IMPLICIT, ASSIGNMENT or none. */
typedef enum CastContext { CAST_NONE, CAST_IMPLICIT, CAST_ASSIGNMENT, CAST_EXPLICIT } CastContext;
CastContext type_cast_context(TypeId from, TypeId to);
/* The casts a type family defines for itself: among date, time, timestamp,
 * timestamptz and interval (in the TimeZone setting), json and jsonb, and
 * jsonb's scalars to bool and numbers. *handled false if it is no such cast
 * (the planner's number and string conversions remain). */
bool type_cast(Value *v, TypeId to, Arena *arena, bool *handled, Error *err);

/* ---- arrays (array.c) ---------------------------------------------------------------
 * One-dimensional arrays. ArrayReader walks the elements in order; a
 * Value read points into the array's bytes. */
typedef struct ArrayReader {
    const char *p;
    TypeId elem;
    int32_t lbound;
    uint32_t n, i;
} ArrayReader;
void array_read(const Value *array, ArrayReader *r);
bool array_next(ArrayReader *r, Value *out); /* false after the last */
uint32_t array_count(const Value *array);
/* An array of type `type` from items of its element type (NULLs too). */
void array_make(TypeId type, int32_t lbound, const Value *items, uint32_t n, Arena *arena, Value *out);
/* a[i], NULL outside the bounds; a[lo:hi] with NULL for an open end. */
void array_element(const Value *array, int64_t i, Value *out);
void array_slice(const Value *array, const int64_t *lo, const int64_t *hi, Arena *arena, Value *out);
/* a[i] := x, as UPDATE ... SET a[i] = x assigns it (args: array, int4, element). */
bool array_set_element(const Value *args, Arena *arena, Value *out, Error *err);

/* ---- date and time (datetime.c) ------------------------------------------------------- */
void interval_make(int32_t months, int32_t days, int64_t usecs, Arena *arena, Value *out);
/* interval's typmod from its field mask (0: all) and (p); input under one. */
bool interval_typmod(int range, int nmods, const int *mods, int32_t *typmod, Error *err);
bool interval_from_text_typmod(const char *s, size_t len, int32_t typmod, Arena *arena, Value *out, Error *err);
bool interval_negate(const Value *v, Arena *arena, Value *out, Error *err);
/* The current transaction's start (µs since 2000-01-01 UTC): now() and 'now'. */
void types_set_now(int64_t pg_usecs);

/* ---- numeric (numeric.c): exact decimal arithmetic ----------------------------
 * Operands are numeric Values; results are made in arena. Errors are
 * PostgreSQL's: 22012 division by zero, 22003 value overflows numeric
 * format / numeric field overflow / integer out of range, 0A000 cannot
 * convert NaN to integer. */
typedef enum NumericOp { NUMERIC_ADD, NUMERIC_SUB, NUMERIC_MUL, NUMERIC_DIV, NUMERIC_MOD, NUMERIC_DIV_TRUNC } NumericOp;
typedef enum NumericRounding { NUMERIC_ROUND, NUMERIC_TRUNC, NUMERIC_CEIL, NUMERIC_FLOOR } NumericRounding;

bool numeric_from_text(const char *s, size_t len, Arena *arena, Value *out, Error *err);
bool numeric_from_binary(const char *p, size_t len, Arena *arena, Value *out, Error *err);
/* numeric_send's bytes in a buffer of this file's, valid until the next call. */
size_t numeric_to_binary(const Value *v, char **out);
int numeric_compare(const Value *a, const Value *b); /* NaN last, equal to itself */
uint64_t numeric_hash(const Value *v);
bool numeric_arith(NumericOp op, const Value *a, const Value *b, Arena *arena, Value *out, Error *err);
void numeric_negate(const Value *a, Arena *arena, Value *out);
bool numeric_sqrt(const Value *a, Arena *arena, Value *out, Error *err);
/* exp, ln, log(base, x) and power with PostgreSQL's result scales; 2201E / 2201F errors. */
bool numeric_exp(const Value *a, Arena *arena, Value *out, Error *err);
bool numeric_ln(const Value *a, Arena *arena, Value *out, Error *err);
bool numeric_log(const Value *base, const Value *a, Arena *arena, Value *out, Error *err);
bool numeric_power(const Value *a, const Value *b, Arena *arena, Value *out, Error *err);
void numeric_abs(const Value *a, Arena *arena, Value *out);
/* var_samp / var_pop (stddev: their square roots) from count, sum and sum of squares. */
bool numeric_variance_of(const Value *count, const Value *sumx, const Value *sumx2, bool sample, bool stddev,
                         Arena *arena, Value *out, Error *err);
void numeric_sign(const Value *a, Arena *arena, Value *out);
/* round(x, scale) and trunc(x, scale) (scale may be negative); ceil and floor ignore scale. */
bool numeric_round(NumericRounding how, const Value *a, int scale, Arena *arena, Value *out);
void numeric_from_int(int64_t i, Arena *arena, Value *out);
bool numeric_to_int(const Value *a, TypeId to, Arena *arena, int64_t *out, Error *err);
bool numeric_from_float(double d, TypeId from, Arena *arena, Value *out, Error *err);
bool numeric_to_float(const Value *a, TypeId to, Arena *arena, Value *out, Error *err);
/* numeric(p[, s]) as a typmod, with PostgreSQL's checks (22023). */
bool numeric_typmod(int nmods, const int *mods, int32_t *typmod, Error *err);
void numeric_typmod_parts(int32_t typmod, int *precision, int *scale);
bool numeric_apply_typmod(Value *v, int32_t typmod, Arena *arena, Error *err);

#endif
