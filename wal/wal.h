/*
 * wal.h — durability: the write-ahead log with group commit on its own
 * thread, checkpoints (compressed snapshots written in the background),
 * and recovery at start.
 *
 * The log is logical (DESIGN.md, "WAL and logical replication"): one
 * record per committed transaction that changed something, with its xid,
 * commit time and changes (full row images, DDL), at an LSN — a byte
 * position in the log, shown as PostgreSQL shows it (0/16B3748). The byte
 * format is documented in record.c, the files in log.c and snapshot.c.
 *
 * Threads. Everything here is called on the engine thread, except
 * WalConfig.notify, which the WAL thread and the checkpoint writer call to
 * wake the engine (uv_async_send is safe there). The engine never waits on
 * the disk: wal_append_commit copies the record into memory and returns;
 * the WAL thread writes and flushes as many records as have arrived (group
 * commit), then notifies; the engine reads wal_flushed_lsn and completes
 * the commits below it.
 *
 * INTERFACE
 *   opening:     wal_open (locks the data folder, recovers the store), wal_close
 *   the log:     wal_append_commit, wal_insert_lsn, wal_flushed_lsn, wal_failed,
 *                wal_format_lsn, wal_parse_lsn, wal_set_retention
 *   checkpoints: wal_checkpoint_begin, wal_checkpoint_step, wal_checkpoint_poll,
 *                wal_checkpoint_running, wal_bytes_since_checkpoint
 */
#ifndef STRAND_WAL_H
#define STRAND_WAL_H

#include "common/common.h"
#include "storage/storage.h"

/* PostgreSQL's wal_sync_method values, in its order. */
typedef enum WalSyncMethod {
    WAL_SYNC_FSYNC,
    WAL_SYNC_FDATASYNC,
    WAL_SYNC_OPEN_SYNC,
    WAL_SYNC_OPEN_DATASYNC
} WalSyncMethod;

typedef struct WalConfig {
    const char *dir; /* the data folder */
    WalSyncMethod sync_method;
    int writer_delay_ms; /* wal_writer_delay: commits nobody waits for are flushed within it */
    void (*notify)(void *ctx);
    void *notify_ctx;
} WalConfig;

typedef struct Wal Wal;
typedef struct WalCheckpoint WalCheckpoint;

/* Takes the data folder's lock (55006 if another server holds it),
 * rebuilds the store from the newest snapshot that passes its checksum and
 * the WAL after it (stopping at a torn or corrupt tail, which is logged
 * with its LSN), then starts the WAL thread. *storage is the recovered
 * store. Errors: the lock, unreadable files, WAL missing after the
 * snapshot (XX001, 58030). */
Wal *wal_open(const WalConfig *cfg, Storage **storage, Error *err);
/* Flushes what was appended, stops the threads, unlocks the folder. */
void wal_close(Wal *w);

/* Appends the commit record of a prepared transaction (its change set);
 * returns the LSN at which it ends: it is durable once wal_flushed_lsn
 * reaches it. `wait`: a client waits for it (synchronous_commit on), so
 * the WAL thread flushes now rather than within wal_writer_delay. *start
 * (if not NULL) is where it begins. Fails (0, err) once the log failed. */
uint64_t wal_append_commit(Wal *w, const StorageChangeSet *cs, uint64_t xid, bool wait, uint64_t *start, Error *err);
uint64_t wal_insert_lsn(const Wal *w); /* the end of the log in memory */
uint64_t wal_flushed_lsn(Wal *w);      /* the end of the log on disk */
/* After a failed write or flush the log takes nothing more until a
 * restart: true, and err (if not NULL) says why (58030, 53100). */
bool wal_failed(Wal *w, Error *err);

/* LSN text, PostgreSQL's: two hex numbers, "0/16B3748". buf: 32 bytes. */
const char *wal_format_lsn(uint64_t lsn, char *buf);
bool wal_parse_lsn(const char *s, uint64_t *out);

/* Segments wholly below the LSN this returns are kept anyway (replication
 * slots, SUBSCRIBE's `since`); NULL: none. Asked on the engine thread when
 * a checkpoint begins; 0 means nothing to keep. */
void wal_set_retention(Wal *w, uint64_t (*oldest_needed)(void *ctx), void *ctx);

/* ---- checkpoints -------------------------------------------------------------
 * A snapshot of every table as one transaction sees it, written
 * compressed by a thread of its own while the engine goes on. `redo` is
 * the LSN from which the WAL must be replayed over it: the start of the
 * oldest commit record not yet visible to `txn`'s snapshot (or the end of
 * the log). The engine calls wal_checkpoint_step from its idle phase (each
 * step serialises about `budget` rows); the checkpoint owns txn from here
 * and ends it. When the file is durable, wal_checkpoint_poll returns true
 * once (after WalConfig.notify), and WAL segments no one needs are removed. */
bool wal_checkpoint_begin(Wal *w, Storage *s, Txn *txn, uint64_t redo, Error *err);
bool wal_checkpoint_running(const Wal *w);
/* Returns whether it wants another step now (false: wait for the writer). */
bool wal_checkpoint_step(Wal *w, size_t budget);
/* true once when the running checkpoint finished; *ok and err say how. */
bool wal_checkpoint_poll(Wal *w, bool *ok, Error *err);
uint64_t wal_bytes_since_checkpoint(const Wal *w);

#endif
