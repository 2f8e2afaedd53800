-- Indexes: CREATE [UNIQUE] INDEX, DROP INDEX, UNIQUE constraints, names
-- PostgreSQL chooses, and queries that read through an index.
DROP TABLE IF EXISTS ix;
CREATE TABLE ix (id int PRIMARY KEY, a int, b text, c int UNIQUE);
INSERT INTO ix VALUES (1, 10, 'x', 100), (2, 20, 'y', 200), (3, NULL, 'z', 300), (4, 20, NULL, NULL),
    (5, 5, 'x', NULL);
CREATE INDEX ON ix (a);
CREATE INDEX ix_b ON ix (b DESC NULLS LAST, a);
CREATE INDEX IF NOT EXISTS ix_b ON ix (b);
CREATE INDEX ix_b ON ix (b);
CREATE INDEX ON ix (a);
CREATE UNIQUE INDEX ix_a_unique ON ix (a);
CREATE UNIQUE INDEX ix_b_unique ON ix USING btree (b, a);
CREATE INDEX ix_hash ON ix USING hash (b);
CREATE INDEX ix_nosuch ON ix USING nosuch (b);
CREATE UNIQUE INDEX ix_hash2 ON ix USING hash (b);
CREATE INDEX ix_hash3 ON ix USING hash (a, b);
CREATE INDEX ix_missing ON ix (nosuch);
CREATE INDEX ON nosuch (a);
CREATE INDEX ix_on_index ON ix_b (a);
-- Equality, ranges and order through indexes; NULLs where PostgreSQL puts them.
SELECT id FROM ix WHERE a = 20 ORDER BY id;
SELECT id, a FROM ix WHERE a > 5 ORDER BY a, id;
SELECT id, a FROM ix WHERE a >= 10 AND a < 20;
SELECT id, a FROM ix ORDER BY a LIMIT 3;
SELECT id, a FROM ix ORDER BY a DESC, id LIMIT 3;
SELECT id, a FROM ix ORDER BY a NULLS FIRST;
SELECT id, b FROM ix ORDER BY b DESC NULLS LAST, a;
SELECT id, b FROM ix ORDER BY b, a DESC NULLS FIRST;
SELECT id FROM ix WHERE b = 'x' AND a = 5;
SELECT id FROM ix WHERE id = 3;
SELECT id FROM ix WHERE id > 2 ORDER BY id DESC LIMIT 2;
SELECT id FROM ix WHERE c = NULL;
SELECT id FROM ix WHERE c IS NULL ORDER BY id;
-- ORDER BY ... LIMIT in an index's order stops after the rows it needs: the
-- rows after them are never evaluated (PostgreSQL's index scan does the same).
CREATE TABLE lim (id int PRIMARY KEY, d int);
INSERT INTO lim VALUES (1, 1), (2, 1), (3, 1), (4, 0), (5, 2);
SELECT id, 10 / d FROM lim ORDER BY id LIMIT 3;
SELECT id, 10 / d FROM lim ORDER BY id DESC LIMIT 1;
SELECT id, 10 / d FROM lim WHERE id > 4 ORDER BY id;
SELECT id, 10 / d FROM lim ORDER BY id LIMIT 4;
DROP TABLE lim;
-- Unique constraints and indexes on writes; NULLs never collide.
INSERT INTO ix VALUES (6, 1, 'w', 100);
INSERT INTO ix VALUES (6, 1, 'w', NULL), (7, 1, 'v', NULL);
UPDATE ix SET c = 200 WHERE id = 1;
UPDATE ix SET c = c + 1;
SELECT id, c FROM ix ORDER BY id;
UPDATE ix SET a = 21 WHERE id = 4;
CREATE UNIQUE INDEX ix_a_uniq ON ix (a);
CREATE UNIQUE INDEX ix_id_a ON ix (id, a);
INSERT INTO ix VALUES (8, 1, 'u', NULL);
-- Index updates follow key changes.
UPDATE ix SET a = 99 WHERE id = 2;
SELECT id FROM ix WHERE a = 20;
SELECT id FROM ix WHERE a = 99;
UPDATE ix SET id = id + 100 WHERE id = 1;
SELECT id FROM ix WHERE id = 101;
SELECT id FROM ix WHERE id = 1;
-- DROP INDEX and its errors.
DROP INDEX ix_b;
DROP INDEX ix_b;
DROP INDEX IF EXISTS ix_b, ix_a_idx;
DROP INDEX ix_pkey;
DROP INDEX ix_c_key;
DROP INDEX ix;
DROP TABLE ix_id_a;
-- Constraint syntax and chosen names.
CREATE TABLE uq (a int, b int, c int, UNIQUE (a, b), CONSTRAINT uq_c UNIQUE (c), UNIQUE (b, a), UNIQUE (a, b));
INSERT INTO uq VALUES (1, 1, 1);
INSERT INTO uq VALUES (1, 1, 2);
INSERT INTO uq VALUES (2, 2, 1);
CREATE TABLE uq2 (a int UNIQUE UNIQUE, b int CONSTRAINT b_must_differ UNIQUE, PRIMARY KEY (a));
INSERT INTO uq2 VALUES (1, 1), (2, 1);
CREATE TABLE uq3 (a int, UNIQUE (nosuch));
CREATE TABLE uq4 (a int, UNIQUE (a, a));
CREATE TABLE uq_a_key (a int);
CREATE TABLE uq5 (a int PRIMARY KEY);
CREATE TABLE uq_a (x int);
CREATE TABLE uq (a int UNIQUE);
CREATE TABLE uq_pk (a int CONSTRAINT uq_c PRIMARY KEY);
-- Transactional index DDL.
BEGIN;
CREATE INDEX uq_tmp ON uq (c);
ROLLBACK;
DROP INDEX uq_tmp;
BEGIN;
DROP INDEX uq_b_a_key;
ROLLBACK;
CREATE TABLE dr (x int);
CREATE UNIQUE INDEX dr_x ON dr (x);
INSERT INTO dr VALUES (1);
BEGIN;
DROP INDEX dr_x;
INSERT INTO dr VALUES (1);
SELECT x FROM dr ORDER BY x;
ROLLBACK;
BEGIN;
SAVEPOINT a;
DROP INDEX dr_x;
ROLLBACK TO a;
INSERT INTO dr VALUES (1);
ROLLBACK;
INSERT INTO dr VALUES (1);
DROP TABLE dr;
INSERT INTO uq VALUES (3, 3, 3), (3, 3, 4);
VACUUM;
VACUUM uq, ix;
VACUUM FULL uq;
VACUUM nosuch;
BEGIN;
VACUUM;
ROLLBACK;
DROP TABLE ix, uq, uq2, uq_a_key, uq5, uq_a;
