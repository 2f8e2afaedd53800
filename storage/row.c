/*
 * row.c — the packed row format: a row version as one heap chunk holding
 * its header, its MVCC stamps while it needs them, and its columns packed.
 *
 * BYTE LAYOUT (memory only; native byte order; nothing is aligned, every
 * multi-byte field is read with memcpy):
 *
 *   offset  size  field
 *   0       1     flags: ROW_STAMPED, ROW_OLDER, ROW_TOMBSTONE,
 *                 ROW_KEY_UPDATE, ROW_NULLS (storage_int.h)
 *   1       8     pointer to the next older version      if ROW_OLDER
 *   +0      8     xmin: the creating transaction's xid   if ROW_STAMPED
 *   +8      4     cmin: its command id                   if ROW_STAMPED
 *   then, unless ROW_TOMBSTONE:
 *   +0      n     null bitmap, bit i (byte i/8, bit i%8) = column i is NULL,
 *                 n = ceil(ncols / 8)                    if ROW_NULLS
 *   +0      F     the fixed part: every fixed-width column (bool 1, int2 2,
 *                 int4 4, float4 4, int8 8, float8 8, pg_lsn 8) at its layout offset,
 *                 in column order; a NULL one keeps its bytes (zero), so
 *                 fixed columns are read in O(1)
 *   +F      ...   each non-NULL variable-length column in column order: a
 *                 length header then its bytes. The header is one byte
 *                 (0..127) or, with its top bit set, four bytes big-endian
 *                 holding the length in the low 31 bits.
 *
 * A frozen version (creator below every snapshot, S6) is just flags +
 * columns: for (int4, int4, int4, text of 84 bytes) 98 bytes.
 *
 * INTERFACE (storage-internal): row__layout_init, row__layout_deinit,
 *   row__build, row__size, row__free, row__frozen_copy, row__get,
 *   row__fixed_width, row__put_fixed, row__get_fixed (also the index slots' format),
 *   row__image_fits, row__from_image;
 *   storage_row_get, storage_row_decode, storage_row_image
 */
#include "storage/storage_int.h"

#include <stdlib.h>

uint8_t row__fixed_width(TypeId t) {
    switch (t) {
    case TYPE_BOOL: return 1;
    case TYPE_INT2: return 2;
    case TYPE_INT4:
    case TYPE_REGTYPE:
    case TYPE_OID:
    case TYPE_REGPROC:
    case TYPE_REGPROCEDURE:
    case TYPE_REGCLASS:
    case TYPE_REGNAMESPACE:
    case TYPE_DATE:
    case TYPE_FLOAT4: return 4;
    case TYPE_INT8:
    case TYPE_FLOAT8:
    case TYPE_TIME:
    case TYPE_TIMESTAMP:
    case TYPE_TIMESTAMPTZ:
    case TYPE_PG_LSN: return 8;
    default: return 0;
    }
}

void row__layout_init(RowLayout *l, const TableDesc *d) {
    l->ncols = d->ncols;
    l->width = calloc((size_t)d->ncols + 1, sizeof *l->width);
    l->offset = calloc((size_t)d->ncols + 1, sizeof *l->offset);
    TypeId *types = calloc((size_t)d->ncols + 1, sizeof *types);
    l->bpchar_width = calloc((size_t)d->ncols + 1, sizeof *l->bpchar_width);
    if (!l->width || !l->offset || !types || !l->bpchar_width) abort();
    l->fixed = 0;
    for (int i = 0; i < d->ncols; i++) {
        types[i] = d->cols[i].type;
        if (d->cols[i].type == TYPE_BPCHAR && d->cols[i].typmod >= 4)
            l->bpchar_width[i] = (uint32_t)d->cols[i].typmod - 4;
        l->width[i] = row__fixed_width(d->cols[i].type);
        l->offset[i] = l->fixed;
        l->fixed += l->width[i];
    }
    l->types = types;
    l->nullmap = (uint32_t)(d->ncols + 7) / 8;
}

void row__layout_deinit(RowLayout *l) {
    free(l->bpchar_width);
    free(l->width);
    free(l->offset);
    free((void *)l->types);
}

static size_t header_size(uint8_t flags) { return 1 + (flags & ROW_OLDER ? 8 : 0) + (flags & ROW_STAMPED ? 12 : 0); }

static size_t varlen_header(uint32_t len) { return len < 0x80 ? 1 : 4; }

static bool has_nulls(const RowLayout *l, const Value *values) {
    for (int i = 0; i < l->ncols; i++)
        if (values[i].isnull) return true;
    return false;
}

static size_t columns_size(const RowLayout *l, const Value *values, bool nulls) {
    size_t n = l->fixed + (nulls ? l->nullmap : 0);
    for (int i = 0; i < l->ncols; i++)
        if (!l->width[i] && !values[i].isnull) n += varlen_header(values[i].len) + values[i].len;
    return n;
}

/* By the column's type: the value was coerced to it by the planner. */
void row__put_fixed(uint8_t *p, const Value *v, TypeId t) {
    switch (t) {
    case TYPE_BOOL: *p = v->u.b; break;
    case TYPE_INT2: {
        int16_t x = (int16_t)v->u.i;
        memcpy(p, &x, 2);
        break;
    }
    case TYPE_REGTYPE:
    case TYPE_OID:
    case TYPE_REGPROC:
    case TYPE_REGPROCEDURE:
    case TYPE_REGCLASS:
    case TYPE_REGNAMESPACE: {
        uint32_t x = (uint32_t)v->u.i;
        memcpy(p, &x, 4);
        break;
    }
    case TYPE_INT4:
    case TYPE_DATE: {
        int32_t x = (int32_t)v->u.i;
        memcpy(p, &x, 4);
        break;
    }
    case TYPE_FLOAT4: {
        float f = (float)v->u.f;
        memcpy(p, &f, 4);
        break;
    }
    case TYPE_FLOAT8: memcpy(p, &v->u.f, 8); break;
    default: memcpy(p, &v->u.i, 8); break; /* int8, pg_lsn */
    }
}

static uint8_t *put_varlen(uint8_t *p, const Value *v) {
    if (v->len < 0x80) {
        *p++ = (uint8_t)v->len;
    } else {
        uint32_t be = v->len | 0x80000000u;
        p[0] = (uint8_t)(be >> 24), p[1] = (uint8_t)(be >> 16), p[2] = (uint8_t)(be >> 8), p[3] = (uint8_t)be;
        p += 4;
    }
    memcpy(p, v->u.s, v->len);
    return p + v->len;
}

static void put_columns(const RowLayout *l, uint8_t *p, const Value *values, bool nulls) {
    if (nulls) {
        memset(p, 0, l->nullmap);
        for (int i = 0; i < l->ncols; i++)
            if (values[i].isnull) p[i / 8] |= (uint8_t)(1u << (i % 8));
        p += l->nullmap;
    }
    uint8_t *var = p + l->fixed;
    for (int i = 0; i < l->ncols; i++) {
        if (l->width[i]) {
            if (values[i].isnull)
                memset(p + l->offset[i], 0, l->width[i]);
            else
                row__put_fixed(p + l->offset[i], &values[i], l->types[i]);
        } else if (!values[i].isnull) {
            var = put_varlen(var, &values[i]);
        }
    }
}

Row *row__build(RowHeap *h, const RowLayout *l, uint8_t flags, Row *older, uint64_t xmin, uint32_t cmin,
                const Value *values) {
    bool nulls = values && has_nulls(l, values);
    if (nulls) flags |= ROW_NULLS;
    if (!values) flags |= ROW_TOMBSTONE;
    size_t hdr = header_size(flags);
    Row *r = heap__alloc(h, hdr + (values ? columns_size(l, values, nulls) : 0));
    r->flags = flags;
    uint8_t *p = r->rest;
    if (flags & ROW_OLDER) {
        memcpy(p, &older, 8);
        p += 8;
    }
    if (flags & ROW_STAMPED) {
        memcpy(p, &xmin, 8);
        memcpy(p + 8, &cmin, 4);
        p += 12;
    }
    if (values) put_columns(l, p, values, nulls);
    return r;
}

static const uint8_t *columns_of(const Row *r) { return (const uint8_t *)r + header_size(r->flags); }

static uint32_t get_varlen(const uint8_t **p) {
    const uint8_t *q = *p;
    if (!(q[0] & 0x80)) {
        *p = q + 1;
        return q[0];
    }
    *p = q + 4;
    return ((uint32_t)(q[0] & 0x7f) << 24) | ((uint32_t)q[1] << 16) | ((uint32_t)q[2] << 8) | q[3];
}

static bool is_null(const Row *r, const uint8_t *cols, int col) {
    return (r->flags & ROW_NULLS) && (cols[col / 8] & (1u << (col % 8)));
}

size_t row__size(const RowLayout *l, const Row *r) {
    size_t n = header_size(r->flags);
    if (r->flags & ROW_TOMBSTONE) return n;
    const uint8_t *cols = columns_of(r);
    const uint8_t *p = cols + ((r->flags & ROW_NULLS) ? l->nullmap : 0) + l->fixed;
    for (int i = 0; i < l->ncols; i++) {
        if (l->width[i] || is_null(r, cols, i)) continue;
        uint32_t len = get_varlen(&p);
        p += len;
    }
    return (size_t)(p - (const uint8_t *)r);
}

void row__free(RowHeap *h, const RowLayout *l, Row *r) { heap__free(h, r, row__size(l, r)); }

Row *row__frozen_copy(RowHeap *h, const RowLayout *l, const Row *r) {
    size_t from = header_size(r->flags), size = row__size(l, r);
    uint8_t flags = r->flags & (uint8_t) ~(ROW_STAMPED | ROW_OLDER);
    Row *c = heap__alloc(h, 1 + size - from);
    c->flags = flags;
    memcpy(c->rest, (const uint8_t *)r + from, size - from);
    return c;
}

/* ---- images (the WAL's and snapshots' form of a version) ---------------------------- */

const uint8_t *storage_row_image(const Table *table, const Row *row, size_t *len, uint8_t *flags) {
    size_t from = header_size(row->flags);
    *len = row__size(&table->layout, row) - from;
    *flags = row->flags & ROW_NULLS;
    return (const uint8_t *)row + from;
}

/* Whether an image from a file is exactly one row of this layout: every
 * length it holds stays inside it and it ends where its last column does. */
bool row__image_fits(const RowLayout *l, uint8_t flags, const uint8_t *p, size_t len) {
    size_t need = ((flags & ROW_NULLS) ? l->nullmap : 0) + l->fixed;
    if (need > len) return false;
    const uint8_t *q = p + need, *end = p + len;
    for (int i = 0; i < l->ncols; i++) {
        if (l->width[i] || ((flags & ROW_NULLS) && (p[i / 8] & (1u << (i % 8))))) continue;
        if (q >= end || ((q[0] & 0x80) && end - q < 4)) return false;
        uint32_t n = get_varlen(&q);
        if (n > (size_t)(end - q)) return false;
        q += n;
    }
    return q == end;
}

Row *row__from_image(RowHeap *h, uint8_t flags, const uint8_t *p, size_t len) {
    Row *r = heap__alloc(h, 1 + len);
    r->flags = flags & ROW_NULLS;
    memcpy(r->rest, p, len);
    return r;
}

Value row__get_fixed(TypeId t, const uint8_t *p) {
    Value v = {.type = t};
    switch (t) {
    case TYPE_BOOL: v.u.b = *p != 0; break;
    case TYPE_INT2: {
        int16_t x;
        memcpy(&x, p, 2);
        v.u.i = x;
        break;
    }
    case TYPE_INT4:
    case TYPE_DATE: {
        int32_t x;
        memcpy(&x, p, 4);
        v.u.i = x;
        break;
    }
    case TYPE_REGTYPE:
    case TYPE_OID:
    case TYPE_REGPROC:
    case TYPE_REGPROCEDURE:
    case TYPE_REGCLASS:
    case TYPE_REGNAMESPACE: {
        uint32_t x;
        memcpy(&x, p, 4);
        v.u.i = x;
        break;
    }
    case TYPE_FLOAT4: {
        float f;
        memcpy(&f, p, 4);
        v.u.f = f;
        break;
    }
    case TYPE_FLOAT8: memcpy(&v.u.f, p, 8); break;
    default: memcpy(&v.u.i, p, 8); break; /* int8, pg_lsn */
    }
    return v;
}

Value row__get(const RowLayout *l, const Row *r, int col) {
    const uint8_t *cols = columns_of(r);
    if (is_null(r, cols, col)) return value_null(l->types[col]);
    const uint8_t *p = cols + ((r->flags & ROW_NULLS) ? l->nullmap : 0);
    if (l->width[col]) return row__get_fixed(l->types[col], p + l->offset[col]);
    p += l->fixed;
    for (int i = 0; i < col; i++) {
        if (l->width[i] || is_null(r, cols, i)) continue;
        uint32_t len = get_varlen(&p);
        p += len;
    }
    uint32_t len = get_varlen(&p);
    Value v = value_string(l->types[col], (const char *)p, len);
    v.width = l->bpchar_width[col];
    return v;
}

Value storage_row_get(const Table *table, const Row *row, int col) { return row__get(&table->layout, row, col); }

void storage_row_decode(const Table *table, const Row *row, Value *out) {
    const RowLayout *l = &table->layout;
    const uint8_t *cols = columns_of(row);
    const uint8_t *fixed = cols + ((row->flags & ROW_NULLS) ? l->nullmap : 0);
    const uint8_t *var = fixed + l->fixed;
    for (int i = 0; i < l->ncols; i++) {
        if (is_null(row, cols, i)) {
            out[i] = value_null(l->types[i]);
        } else if (l->width[i]) {
            out[i] = row__get_fixed(l->types[i], fixed + l->offset[i]);
        } else {
            uint32_t len = get_varlen(&var);
            out[i] = value_string(l->types[i], (const char *)var, len);
            out[i].width = l->bpchar_width[i];
            var += len;
        }
    }
}
