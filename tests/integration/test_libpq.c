/*
 * test_libpq.c — libpq against a running strand: the extended query protocol
 * (Parse / Describe / Bind / Execute / Sync through PQprepare,
 * PQdescribePrepared, PQexecPrepared and PQexecParams), result metadata,
 * error recovery, and a connection over the Unix socket.
 *
 * Run by with-server.sh, which points PGHOST / PGPORT / PGUSER / PGDATABASE
 * at a fresh server and sets STRAND_SOCKET_DIR (the Unix socket folder).
 * Prints "ok N - what" / "not ok N - what" per check and a final
 * "N passed, N failed" line; exits 1 if any check failed.
 */
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

/* Type OIDs as PostgreSQL assigns them (pg_type.dat). */
#define INT8OID 20
#define INT4OID 23
#define TEXTOID 25
#define BOOLOID 16

/* Checks a result's status; on a mismatch prints the server's message. */
static int check_status(PGresult *res, ExecStatusType want, const char *what) {
    ExecStatusType got = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int ok = check(got == want, "%s (%s)", what, PQresStatus(got));
    if (!ok && res) printf("#   server said: %s", PQresultErrorMessage(res));
    return ok;
}

static int streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* Checks one value of a result (NULL `want` means SQL NULL). */
static void check_value(PGresult *res, int row, int col, const char *want, const char *what) {
    if (PQntuples(res) <= row || PQnfields(res) <= col) {
        check(0, "%s: no row %d / column %d", what, row, col);
        return;
    }
    if (!want) {
        check(PQgetisnull(res, row, col), "%s is NULL", what);
        return;
    }
    const char *got = PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
    check(streq(got, want), "%s = '%s' (got %s%s%s)", what, want, got ? "'" : "", got ? got : "NULL", got ? "'" : "");
}

static void ignore_notice(void *arg, const char *message) {}

/* Runs SELECT 1 with PQexec and expects a single "1" back. */
static void check_select_one(PGconn *conn, const char *what) {
    PGresult *res = PQexec(conn, "SELECT 1");
    if (check_status(res, PGRES_TUPLES_OK, what)) check_value(res, 0, 0, "1", "SELECT 1 value");
    PQclear(res);
}

static PGresult *exec_insert(PGconn *conn, const char *id, const char *name, const char *big, const char *flag) {
    const char *values[4] = {id, name, big, flag};
    return PQexecPrepared(conn, "ins", 4, values, NULL, NULL, 0);
}

static void test_setup(PGconn *conn) {
    const char *v;
    PGresult *res;

    v = PQparameterStatus(conn, "client_encoding");
    check(streq(v, "UTF8"), "ParameterStatus client_encoding = UTF8 (got %s)", v ? v : "none");
    v = PQparameterStatus(conn, "standard_conforming_strings");
    check(streq(v, "on"), "ParameterStatus standard_conforming_strings = on (got %s)", v ? v : "none");
    v = PQparameterStatus(conn, "integer_datetimes");
    check(streq(v, "on"), "ParameterStatus integer_datetimes = on (got %s)", v ? v : "none");
    v = PQparameterStatus(conn, "server_version");
    check(v != NULL, "ParameterStatus server_version is sent (%s)", v ? v : "none");

    check_select_one(conn, "simple query SELECT 1");
    res = PQexec(conn, "CREATE TABLE libpq_t (id int PRIMARY KEY, name text, big int8, flag bool)");
    check_status(res, PGRES_COMMAND_OK, "CREATE TABLE through PQexec");
    PQclear(res);
}

static void test_prepared_insert(PGconn *conn) {
    PGresult *res;

    res = PQprepare(conn, "ins", "INSERT INTO libpq_t VALUES ($1, $2, $3, $4)", 4, NULL);
    check_status(res, PGRES_COMMAND_OK, "PQprepare INSERT with inferred parameter types");
    PQclear(res);

    res = PQdescribePrepared(conn, "ins");
    if (check_status(res, PGRES_COMMAND_OK, "PQdescribePrepared INSERT")) {
        check(PQnparams(res) == 4, "INSERT has 4 parameters (got %d)", PQnparams(res));
        if (PQnparams(res) == 4) {
            check(PQparamtype(res, 0) == INT4OID, "$1 inferred as int4 (got %u)", PQparamtype(res, 0));
            check(PQparamtype(res, 1) == TEXTOID, "$2 inferred as text (got %u)", PQparamtype(res, 1));
            check(PQparamtype(res, 2) == INT8OID, "$3 inferred as int8 (got %u)", PQparamtype(res, 2));
            check(PQparamtype(res, 3) == BOOLOID, "$4 inferred as bool (got %u)", PQparamtype(res, 3));
        }
        check(PQnfields(res) == 0, "INSERT without RETURNING describes no columns (got %d)", PQnfields(res));
    }
    PQclear(res);

    res = exec_insert(conn, "1", "one", "10", "true");
    if (check_status(res, PGRES_COMMAND_OK, "PQexecPrepared INSERT row 1")) {
        check(streq(PQcmdTuples(res), "1"), "INSERT row 1: PQcmdTuples = 1 (got '%s')", PQcmdTuples(res));
        check(streq(PQcmdStatus(res), "INSERT 0 1"), "INSERT row 1: command tag 'INSERT 0 1' (got '%s')",
              PQcmdStatus(res));
    }
    PQclear(res);
    res = exec_insert(conn, "2", NULL, "20", "false");
    if (check_status(res, PGRES_COMMAND_OK, "PQexecPrepared INSERT row 2 with a NULL parameter"))
        check(streq(PQcmdTuples(res), "1"), "INSERT row 2: PQcmdTuples = 1 (got '%s')", PQcmdTuples(res));
    PQclear(res);
    res = exec_insert(conn, "3", "three", "3000000000", "t");
    if (check_status(res, PGRES_COMMAND_OK, "PQexecPrepared INSERT row 3 with a large int8"))
        check(streq(PQcmdTuples(res), "1"), "INSERT row 3: PQcmdTuples = 1 (got '%s')", PQcmdTuples(res));
    PQclear(res);
}

static PGresult *exec_select(PGconn *conn, const char *id) {
    const char *values[1] = {id};
    return PQexecPrepared(conn, "sel", 1, values, NULL, NULL, 0);
}

static void test_prepared_select(PGconn *conn) {
    PGresult *res;

    res = PQprepare(conn, "sel", "SELECT id, name, big, flag FROM libpq_t WHERE id = $1", 0, NULL);
    check_status(res, PGRES_COMMAND_OK, "PQprepare SELECT ... WHERE id = $1");
    PQclear(res);

    res = PQdescribePrepared(conn, "sel");
    if (check_status(res, PGRES_COMMAND_OK, "PQdescribePrepared SELECT")) {
        check(PQnparams(res) == 1 && PQparamtype(res, 0) == INT4OID, "SELECT has one int4 parameter (%d, %u)",
              PQnparams(res), PQnparams(res) > 0 ? PQparamtype(res, 0) : 0);
        check(PQnfields(res) == 4, "SELECT describes 4 columns (got %d)", PQnfields(res));
    }
    PQclear(res);

    res = exec_select(conn, "2");
    if (check_status(res, PGRES_TUPLES_OK, "PQexecPrepared SELECT id = 2")) {
        check(PQntuples(res) == 1, "one row for id = 2 (got %d)", PQntuples(res));
        check(PQnfields(res) == 4, "4 columns (got %d)", PQnfields(res));
        if (PQnfields(res) == 4) {
            check(streq(PQfname(res, 0), "id") && streq(PQfname(res, 3), "flag"), "column names id ... flag");
            check(PQftype(res, 0) == INT4OID, "id is int4 (got %u)", PQftype(res, 0));
            check(PQftype(res, 1) == TEXTOID, "name is text (got %u)", PQftype(res, 1));
            check(PQftype(res, 2) == INT8OID, "big is int8 (got %u)", PQftype(res, 2));
            check(PQftype(res, 3) == BOOLOID, "flag is bool (got %u)", PQftype(res, 3));
            check(PQfformat(res, 0) == 0, "results are in text format");
        }
        check_value(res, 0, 0, "2", "row 2 id");
        check_value(res, 0, 1, NULL, "row 2 name");
        check_value(res, 0, 2, "20", "row 2 big");
        check_value(res, 0, 3, "f", "row 2 flag");
    }
    PQclear(res);

    res = exec_select(conn, "3");
    if (check_status(res, PGRES_TUPLES_OK, "PQexecPrepared SELECT id = 3")) {
        check_value(res, 0, 1, "three", "row 3 name");
        check_value(res, 0, 2, "3000000000", "row 3 big");
        check_value(res, 0, 3, "t", "row 3 flag");
    }
    PQclear(res);

    res = exec_select(conn, "42");
    if (check_status(res, PGRES_TUPLES_OK, "PQexecPrepared SELECT id = 42"))
        check(PQntuples(res) == 0 && PQnfields(res) == 4, "no rows, still 4 columns (%d rows)", PQntuples(res));
    PQclear(res);
}

static void test_prepared_update(PGconn *conn) {
    const char *hit[2] = {"2", "two"}, *miss[2] = {"99", "none"};
    PGresult *res;

    res = PQprepare(conn, "upd", "UPDATE libpq_t SET name = $2 WHERE id = $1", 0, NULL);
    check_status(res, PGRES_COMMAND_OK, "PQprepare UPDATE ... WHERE id = $1");
    PQclear(res);

    res = PQexecPrepared(conn, "upd", 2, hit, NULL, NULL, 0);
    if (check_status(res, PGRES_COMMAND_OK, "PQexecPrepared UPDATE id = 2"))
        check(streq(PQcmdTuples(res), "1"), "UPDATE id = 2: PQcmdTuples = 1 (got '%s')", PQcmdTuples(res));
    PQclear(res);
    res = PQexecPrepared(conn, "upd", 2, miss, NULL, NULL, 0);
    if (check_status(res, PGRES_COMMAND_OK, "PQexecPrepared UPDATE id = 99"))
        check(streq(PQcmdTuples(res), "0"), "UPDATE id = 99: PQcmdTuples = 0 (got '%s')", PQcmdTuples(res));
    PQclear(res);

    res = exec_select(conn, "2");
    if (check_status(res, PGRES_TUPLES_OK, "SELECT after UPDATE")) check_value(res, 0, 1, "two", "updated name");
    PQclear(res);
}

static void test_exec_params(PGconn *conn) {
    Oid int8_type[1] = {INT8OID};
    const char *big[1] = {"15"}, *huge[1] = {"9000000000"}, *three[1] = {"3"};
    PGresult *res;

    res = PQexecParams(conn, "SELECT id FROM libpq_t WHERE big > $1 ORDER BY id", 1, int8_type, big, NULL, NULL, 0);
    if (check_status(res, PGRES_TUPLES_OK, "PQexecParams with an int8 parameter")) {
        check(PQntuples(res) == 2, "two rows with big > 15 (got %d)", PQntuples(res));
        check_value(res, 0, 0, "2", "first id");
        check_value(res, 1, 0, "3", "second id");
    }
    PQclear(res);

    res = PQexecParams(conn, "SELECT $1 AS v", 1, int8_type, huge, NULL, NULL, 0);
    if (check_status(res, PGRES_TUPLES_OK, "PQexecParams SELECT $1 typed int8")) {
        check(PQnfields(res) == 1 && PQftype(res, 0) == INT8OID, "result column is int8 (got %u)",
              PQnfields(res) ? PQftype(res, 0) : 0);
        check_value(res, 0, 0, "9000000000", "int8 parameter echoed");
    }
    PQclear(res);

    res = PQexecParams(conn, "SELECT name FROM libpq_t WHERE id = $1", 1, NULL, three, NULL, NULL, 0);
    if (check_status(res, PGRES_TUPLES_OK, "PQexecParams with an untyped parameter"))
        check_value(res, 0, 0, "three", "name of id 3");
    PQclear(res);
}

static void test_errors(PGconn *conn) {
    PGresult *res;
    const char *state;

    res = exec_insert(conn, "1", "again", "1", "f");
    check_status(res, PGRES_FATAL_ERROR, "duplicate key through PQexecPrepared fails");
    state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    check(streq(state, "23505"), "duplicate key SQLSTATE 23505 (got %s)", state ? state : "none");
    state = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    check(streq(state, "duplicate key value violates unique constraint \"libpq_t_pkey\""),
          "duplicate key message (got %s)", state ? state : "none");
    state = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
    check(streq(state, "Key (id)=(1) already exists."), "duplicate key detail (got %s)", state ? state : "none");
    state = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    check(streq(state, "ERROR"), "severity ERROR (got %s)", state ? state : "none");
    PQclear(res);
    check(PQstatus(conn) == CONNECTION_OK, "connection still OK after the error");
    check_select_one(conn, "simple query after an extended-protocol error");
    res = exec_select(conn, "1");
    if (check_status(res, PGRES_TUPLES_OK, "prepared statement still usable after the error"))
        check_value(res, 0, 1, "one", "row 1 name");
    PQclear(res);

    res = PQprepare(conn, "bad", "SELEC 1", 0, NULL);
    check_status(res, PGRES_FATAL_ERROR, "PQprepare of a syntax error fails");
    state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    check(streq(state, "42601"), "syntax error SQLSTATE 42601 (got %s)", state ? state : "none");
    state = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
    check(streq(state, "1"), "syntax error position 1 (got %s)", state ? state : "none");
    PQclear(res);

    res = PQprepare(conn, "ins", "SELECT 1", 0, NULL);
    check_status(res, PGRES_FATAL_ERROR, "PQprepare of an existing statement name fails");
    state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    check(streq(state, "42P05"), "duplicate prepared statement SQLSTATE 42P05 (got %s)", state ? state : "none");
    PQclear(res);

    res = PQexecPrepared(conn, "nosuchstmt", 0, NULL, NULL, NULL, 0);
    check_status(res, PGRES_FATAL_ERROR, "PQexecPrepared of an unknown statement fails");
    state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    check(streq(state, "26000"), "unknown prepared statement SQLSTATE 26000 (got %s)", state ? state : "none");
    PQclear(res);
    check_select_one(conn, "connection works after the prepare errors");
}

static void test_transaction(PGconn *conn) {
    PGresult *res;

    res = PQexec(conn, "BEGIN");
    check_status(res, PGRES_COMMAND_OK, "BEGIN");
    PQclear(res);
    check(PQtransactionStatus(conn) == PQTRANS_INTRANS, "transaction status INTRANS after BEGIN");
    res = exec_insert(conn, "4", "four", "4", "t");
    check_status(res, PGRES_COMMAND_OK, "prepared INSERT inside a block");
    PQclear(res);
    res = exec_insert(conn, "4", "four again", "4", "t");
    check_status(res, PGRES_FATAL_ERROR, "duplicate key inside a block");
    PQclear(res);
    check(PQtransactionStatus(conn) == PQTRANS_INERROR, "transaction status INERROR after the error");
    res = exec_select(conn, "1");
    check(streq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "25P02"), "statements in a failed block give 25P02");
    PQclear(res);
    res = PQexec(conn, "ROLLBACK");
    check_status(res, PGRES_COMMAND_OK, "ROLLBACK");
    PQclear(res);
    check(PQtransactionStatus(conn) == PQTRANS_IDLE, "transaction status IDLE after ROLLBACK");
    res = exec_select(conn, "4");
    if (check_status(res, PGRES_TUPLES_OK, "SELECT after ROLLBACK"))
        check(PQntuples(res) == 0, "rolled back row is gone (%d rows)", PQntuples(res));
    PQclear(res);
}

static void test_unix_socket(void) {
    const char *dir = getenv("STRAND_SOCKET_DIR"), *port = getenv("PGPORT");
    char conninfo[512];
    PGconn *conn;
    PGresult *res;

    snprintf(conninfo, sizeof conninfo, "host=%s port=%s", dir ? dir : "/tmp", port ? port : "5432");
    conn = PQconnectdb(conninfo);
    if (!check(PQstatus(conn) == CONNECTION_OK, "connect over the Unix socket (%s)", conninfo)) {
        printf("#   %s", PQerrorMessage(conn));
        PQfinish(conn);
        return;
    }
    res = PQexec(conn, "SELECT name FROM libpq_t WHERE id = 1");
    if (check_status(res, PGRES_TUPLES_OK, "query over the Unix socket"))
        check_value(res, 0, 0, "one", "data committed over TCP is visible");
    PQclear(res);
    PQfinish(conn);
}

/* A prepared statement whose table changed shape: 0A000, never DataRows
 * that do not match the RowDescription the client has. */
static void test_result_type_change(PGconn *conn) {
    PQclear(PQexec(conn, "CREATE TABLE shape (a int, b text)"));
    PGresult *res = PQprepare(conn, "shape_all", "SELECT * FROM shape", 0, NULL);
    check_status(res, PGRES_COMMAND_OK, "prepare SELECT * FROM shape");
    PQclear(res);
    PQclear(PQexec(conn, "DROP TABLE shape"));
    PQclear(PQexec(conn, "CREATE TABLE shape (a int, b int8, c text)"));
    res = PQexecPrepared(conn, "shape_all", 0, NULL, NULL, NULL, 0);
    check_status(res, PGRES_FATAL_ERROR, "the table changed shape: the prepared statement fails");
    check(streq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "0A000") &&
              streq(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY), "cached plan must not change result type"),
          "... with 0A000 cached plan must not change result type");
    PQclear(res);
    PQclear(PQexec(conn, "DROP TABLE shape"));
    PQclear(PQexec(conn, "CREATE TABLE shape (a int, b text)"));
    res = PQexecPrepared(conn, "shape_all", 0, NULL, NULL, NULL, 0);
    check_status(res, PGRES_TUPLES_OK, "the same shape again: it runs");
    PQclear(res);
    PQclear(PQexec(conn, "DROP TABLE shape"));
}

int main(void) {
    PGconn *conn = PQconnectdb("");

    if (!check(PQstatus(conn) == CONNECTION_OK, "connect over TCP with the PG* environment")) {
        printf("#   %s", PQerrorMessage(conn));
        printf("%d passed, %d failed\n", n_checks - n_failed, n_failed);
        PQfinish(conn);
        return 1;
    }
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    test_setup(conn);
    test_prepared_insert(conn);
    test_prepared_select(conn);
    test_prepared_update(conn);
    test_exec_params(conn);
    test_errors(conn);
    test_transaction(conn);
    test_result_type_change(conn);
    test_unix_socket();
    PQfinish(conn);

    printf("%d passed, %d failed\n", n_checks - n_failed, n_failed);
    return n_failed ? 1 : 0;
}
