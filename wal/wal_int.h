/* wal_int.h — internals shared by the files of wal/. */
#ifndef STRAND_WAL_INT_H
#define STRAND_WAL_INT_H

#include "wal/wal.h"

#include <pthread.h>
#include <string.h>

/* ---- crc32c.c ------------------------------------------------------------------- */
uint32_t wal__crc32c(uint32_t crc, const void *p, size_t n);

/* ---- record.c: the byte format of records and descriptions --------------------- */
#define WAL_SEG_SIZE (16u << 20) /* PostgreSQL's default segment size */
#define WAL_FIRST_LSN ((uint64_t)WAL_SEG_SIZE)
#define WAL_HEADER_SIZE 40
#define WAL_RECORD_MAX (1u << 30)
#define WAL_RECORD_COMMIT 1

/* Appends the commit record of a change set at `lsn` to out. */
void wal__encode_commit(StrBuf *out, uint64_t lsn, const StorageChangeSet *cs, uint64_t xid, int64_t commit_time);
/* Checks a whole record found at `lsn` (len bytes): header, length, CRC.
 * Returns NULL if it is sound, else why not. */
const char *wal__check_record(const uint8_t *rec, size_t len, uint64_t lsn);
uint32_t wal__record_len(const uint8_t *header); /* from the first 8 bytes */
/* Applies a sound commit record to the store (storage_restore_*); counts
 * the rows it set. `arena` holds descriptions while it runs. */
bool wal__replay_commit(Storage *s, const uint8_t *rec, size_t len, Arena *arena, uint64_t *rows, Error *err);

/* A bounded reader over bytes, for records and snapshots alike: a read past
 * the end sets `bad` and yields zeros. */
typedef struct WalCursor {
    const uint8_t *p, *end;
    bool bad;
} WalCursor;
uint8_t wal__get_u8(WalCursor *c);
uint16_t wal__get_u16(WalCursor *c);
uint32_t wal__get_u32(WalCursor *c);
uint64_t wal__get_u64(WalCursor *c);
const uint8_t *wal__get_bytes(WalCursor *c, size_t n);
void wal__put_u8(StrBuf *b, uint8_t v);
void wal__put_u16(StrBuf *b, uint16_t v);
void wal__put_u32(StrBuf *b, uint32_t v);
void wal__put_u64(StrBuf *b, uint64_t v);
void wal__put_table_desc(StrBuf *b, const TableDesc *d);
void wal__put_index_desc(StrBuf *b, const IndexDesc *d);
/* Descriptions read back into `arena`; false if malformed. */
bool wal__get_table_desc(WalCursor *c, Arena *arena, TableDesc *d);
bool wal__get_index_desc(WalCursor *c, Arena *arena, IndexDesc *d);

/* ---- files (log.c) ---------------------------------------------------------------- */
/* An errno as PostgreSQL reports it: 53100 for a full disk, else 58030,
 * "could not <what> "<path>": <reason>". Returns false. */
bool wal__io_error(Error *err, int e, const char *what, const char *path);
/* Seconds on the monotonic clock, for progress reports. */
double wal__now_s(void);
/* Hex digits [s, end), at most 16, into *out; false if any is not one. */
bool wal__parse_hex(const char *s, const char *end, uint64_t *out);
/* The numbers of the files in dir whose names `parse` recognises, ascending
 * (malloc'd); returns how many. */
size_t wal__list_files(const char *dir, bool (*parse)(const char *name, uint64_t *number), uint64_t **out);
/* "<dir>/wal/<24 hex digits>", PostgreSQL's segment names on timeline 1. */
void wal__segment_path(const Wal *w, uint64_t segno, char *buf, size_t cap);
/* The segment numbers present, ascending (malloc'd). */
size_t wal__list_segments(const Wal *w, uint64_t **out);

bool wal__lock_folder(Wal *w, Error *err);
bool wal__start_writer(Wal *w, Error *err);
bool wal__sync_dir(const char *dir, Error *err);

/* ---- snapshot.c ---------------------------------------------------------------- */
/* Loads a snapshot file into an empty store; its redo LSN in *redo. */
bool wal__snapshot_load(const char *path, Storage *s, uint64_t *redo, uint64_t *rows, Error *err);
/* The redo LSNs of the snapshot files present, ascending (malloc'd). */
size_t wal__list_snapshots(const Wal *w, uint64_t **redos);
void wal__snapshot_path(const Wal *w, uint64_t redo, char *buf, size_t cap);
void wal__checkpoint_abandon(Wal *w);

/* ---- log.c ---------------------------------------------------------------------- */
struct Wal {
    WalConfig cfg;
    char *dir, *wal_dir, *snap_dir;
    int lock_fd;
    /* The engine's side. */
    uint64_t insert_lsn;      /* where the next record starts */
    uint64_t checkpoint_redo; /* the newest snapshot's redo LSN */
    uint64_t (*cfg_retention)(void *ctx);
    void *cfg_retention_ctx;
    WalCheckpoint *checkpoint; /* running, or NULL */
    /* Shared with the WAL thread, under mu. */
    pthread_mutex_t mu;
    pthread_cond_t wake;
    StrBuf fill; /* appended, not yet taken: [fill_lsn, insert_lsn) */
    uint64_t fill_lsn;
    bool urgent; /* a commit waits for it */
    bool stop;
    bool failed;
    Error failure;
    uint64_t flushed; /* durable up to here (also read without mu: atomic) */
    /* The WAL thread's own. */
    pthread_t thread;
    bool thread_started;
    StrBuf writing;
    int seg_fd;
    uint64_t seg_no;
};

#endif
