/* types_int.h — shared by the files of types/ only. */
#ifndef STRAND_TYPES_INT_H
#define STRAND_TYPES_INT_H

#include "types/types.h"

/* 22P02 invalid input syntax for type X: "s" */
bool types__invalid_syntax(TypeId t, const char *s, size_t len, Error *err);
/* Leading and trailing white space removed. */
void types__trim(const char **s, size_t *len);

/* The type table (value.c), *n entries. */
const TypeInfo *types__all(size_t *n);

/* The settings in force (never NULL). */
const TypeSettings *types__settings(void);

/* uuid.c, bytea.c */
bool types__uuid_from_text(const char *s, size_t len, Arena *arena, Value *out, Error *err);
int types__uuid_to_text(const Value *v, char *buf);
bool types__bytea_from_text(const char *s, size_t len, Arena *arena, Value *out, Error *err);
const char *types__bytea_to_text(const Value *v, int *len);

/* Implementations for types.def's function table (math.c includes it). */
#define TYPES_FUNC_DECL(impl) bool impl(const Value *args, Arena *arena, Value *out, Error *err);
#define FUNC(oid, name, impl, ...) TYPES_FUNC_DECL(impl)
#define FUNC0(oid, name, impl, ...) TYPES_FUNC_DECL(impl)
#define FUNC_NONSTRICT(oid, name, impl, ...) TYPES_FUNC_DECL(impl)
#define FUNC_VARIADIC(oid, name, impl, ...) TYPES_FUNC_DECL(impl)
#define FUNC_VARIADIC0(oid, name, impl, ...) TYPES_FUNC_DECL(impl)
#define OPER(oid, name, impl, ...) TYPES_FUNC_DECL(impl)
#define PREFIX_OPER(oid, name, impl, ...) TYPES_FUNC_DECL(impl)
#define CAST(source, target, context)
#include "types/types.def"

/* float.c */
bool types__float_from_text(TypeId t, const char *s, size_t len, Value *out, Error *err);
int types__float_to_text(TypeId t, double d, char *buf);

/* datetime.c */
typedef struct DateTimeFields {
    int64_t year; /* astronomical: 0 is 1 BC */
    int month, day, hour, minute, second, usec;
    int32_t gmtoff;   /* seconds east, when has_zone */
    const char *abbr; /* the zone's abbreviation, when has_zone */
    bool has_zone;
} DateTimeFields;
/* The fields of a date, time, timestamp or timestamptz (local in the
 * TimeZone setting); false for an infinite one. */
bool types__datetime_fields(const Value *v, DateTimeFields *f);
/* A date, timestamp or timestamptz from fields (a timestamptz in the
 * TimeZone setting unless has_zone gives its offset). */
bool types__datetime_from_fields(const DateTimeFields *f, TypeId t, Value *out, Error *err);
void types__iso_week(int64_t y, int m, int d, int *week, int64_t *iso_year);
int64_t types__days_from_civil(int64_t y, int m, int d); /* days since 1970-01-01 */
int types__hex_value(int c);                             /* bytea.c: 0..15, or -1 */
bool types__datetime_cast(Value *v, TypeId to, Arena *arena, bool *handled, Error *err);
bool types__datetime_from_text(TypeId t, const char *s, size_t len, Value *out, Error *err);
int types__datetime_to_text(const Value *v, char *buf);
int types__datetime_to_text_style(const Value *v, char *buf, int style); /* a DateStyle */
bool types__interval_from_text(const char *s, size_t len, Arena *arena, Value *out, Error *err);
int types__interval_to_text(const Value *v, char *buf);
int types__interval_compare(const Value *a, const Value *b);
void types__interval_apply_typmod(Value *v, int32_t typmod, Arena *arena);
bool types__timetz_from_text(const char *s, size_t len, Arena *arena, Value *out, Error *err);
int types__timetz_to_text(const Value *v, char *buf);
int types__timetz_compare(const Value *a, const Value *b);
uint64_t types__timetz_hash(const Value *v);
bool types__timetz_from_binary(const char *p, size_t len, Arena *arena, Value *out, Error *err);
void types__timetz_to_binary(const Value *v, char *buf);
void types__timetz_round(Value *v, int32_t precision, Arena *arena);
uint64_t types__interval_hash(const Value *v);

/* oid.c */
bool types__is_oid_type(TypeId t);
bool types__oid_from_text(TypeId t, const char *s, size_t len, Value *out, Error *err);
int types__oid_to_text(const Value *v, char *buf);
bool types__oid_cast(Value *v, TypeId to, bool *handled, Error *err);

/* json.c */
bool types__json_from_text(const char *s, size_t len, Arena *arena, Value *out, Error *err);
bool types__jsonb_from_text(const char *s, size_t len, Arena *arena, Value *out, Error *err);
int types__jsonb_compare(const Value *a, const Value *b);
uint64_t types__jsonb_hash(const Value *v);
bool types__json_cast(Value *v, TypeId to, Arena *arena, bool *handled, Error *err);

/* array.c */
bool types__array_from_text(TypeId t, const char *s, size_t len, Arena *arena, Value *out, Error *err);
const char *types__array_to_text(const Value *a, int *len);
bool types__array_from_binary(TypeId t, const char *p, size_t len, Arena *arena, Value *out, Error *err);
const char *types__array_to_binary(const Value *a, int *len);
int types__array_compare(const Value *a, const Value *b);
uint64_t types__array_hash(const Value *a);
bool types__array_apply_typmod(Value *a, int32_t typmod, bool is_explicit, Arena *arena, Error *err);

#endif
