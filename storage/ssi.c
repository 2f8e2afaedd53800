/*
 * ssi.c — serializable snapshot isolation (placeholder: SERIALIZABLE runs
 * as REPEATABLE READ until the read/write dependency tracking lands).
 */
#include "storage/storage_int.h"

void ssi__begin(Txn *t) {}
void ssi__read_table(Txn *t, Table *table) {}
void ssi__read_row(Txn *t, Table *table, RowId rid) {}
bool ssi__conflict_out(Txn *t, uint64_t writer_xid, Error *err) { return true; }
bool ssi__check_write(Txn *t, Table *table, RowId rid, Error *err) { return true; }
bool ssi__precommit(Txn *t, Error *err) { return true; }
void ssi__end(Txn *t, bool committed, uint64_t csn) {}
bool ssi__doomed_check(Txn *t, Error *err) { return true; }
void ssi__destroy(Storage *s) {}
