/*
 * wal.h — the write-ahead log: record format, writer + group commit,
 * checkpoints, recovery, logical decoding and replication slots.
 *
 * Not built yet (a later issue): strand keeps its state in memory only. The
 * engine's commit sequence (server/session.c) is where wal_record_append and
 * the durable acknowledgement will join.
 */
#ifndef STRAND_WAL_H
#define STRAND_WAL_H
#endif
