/* types_int.h — shared by the files of types/ only. */
#ifndef STRAND_TYPES_INT_H
#define STRAND_TYPES_INT_H

#include "types/types.h"

/* 22P02 invalid input syntax for type X: "s" */
bool types__invalid_syntax(TypeId t, const char *s, size_t len, Error *err);
/* Leading and trailing white space removed. */
void types__trim(const char **s, size_t *len);

/* The implementations named in types.def that live outside math.c. */
bool pg_typeof(const Value *args, Arena *arena, Value *out, Error *err);

/* float.c */
bool types__float8_from_text(const char *s, size_t len, Value *out, Error *err);
int types__float8_to_text(double d, char *buf);

/* datetime.c */
bool types__timestamptz_from_text(const char *s, size_t len, Value *out, Error *err);
int types__timestamptz_to_text(int64_t ts, char *buf);

#endif
