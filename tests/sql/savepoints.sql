-- Savepoints: nesting, RELEASE, ROLLBACK TO, errors recovered, PostgreSQL's errors.
DROP TABLE IF EXISTS sp;
CREATE TABLE sp (id int PRIMARY KEY, v text);
INSERT INTO sp VALUES (1, 'one');
-- Outside a block.
SAVEPOINT a;
RELEASE SAVEPOINT a;
ROLLBACK TO SAVEPOINT a;
-- Nested savepoints, rolled back one at a time.
BEGIN;
INSERT INTO sp VALUES (2, 'two');
SAVEPOINT a;
INSERT INTO sp VALUES (3, 'three');
SAVEPOINT b;
UPDATE sp SET v = 'ONE' WHERE id = 1;
DELETE FROM sp WHERE id = 2;
SELECT * FROM sp ORDER BY id;
ROLLBACK TO SAVEPOINT b;
SELECT * FROM sp ORDER BY id;
ROLLBACK TO a;
SELECT * FROM sp ORDER BY id;
-- The savepoint stays after ROLLBACK TO; RELEASE drops it and those after it.
INSERT INTO sp VALUES (4, 'four');
ROLLBACK TO a;
SAVEPOINT c;
RELEASE a;
ROLLBACK TO c;
COMMIT;
SELECT * FROM sp ORDER BY id;
-- An error inside a savepoint: ROLLBACK TO makes the block usable again.
BEGIN;
INSERT INTO sp VALUES (5, 'five');
SAVEPOINT s;
INSERT INTO sp VALUES (1, 'dup');
SELECT * FROM sp;
RELEASE s;
ROLLBACK TO nosuch;
ROLLBACK TO s;
INSERT INTO sp VALUES (6, 'six');
COMMIT;
SELECT * FROM sp ORDER BY id;
-- An error without a savepoint: only ROLLBACK (or COMMIT, which rolls back).
BEGIN;
INSERT INTO sp VALUES (7, 'seven');
SELECT 1 / 0;
SAVEPOINT t;
ROLLBACK TO t;
COMMIT;
SELECT * FROM sp ORDER BY id;
-- The same name twice: ROLLBACK TO and RELEASE find the newest.
BEGIN;
SAVEPOINT x;
INSERT INTO sp VALUES (8, 'eight');
SAVEPOINT x;
INSERT INTO sp VALUES (9, 'nine');
ROLLBACK TO x;
SELECT * FROM sp WHERE id >= 8 ORDER BY id;
RELEASE x;
ROLLBACK TO x;
SELECT * FROM sp WHERE id >= 8 ORDER BY id;
RELEASE x;
RELEASE x;
ROLLBACK;
-- DDL inside savepoints.
BEGIN;
SAVEPOINT d;
CREATE TABLE sp_new (a int);
INSERT INTO sp_new VALUES (1);
ROLLBACK TO d;
SELECT * FROM sp_new;
ROLLBACK;
BEGIN;
SAVEPOINT d;
DROP TABLE sp;
ROLLBACK TO d;
SELECT count_me FROM sp;
ROLLBACK;
SELECT * FROM sp ORDER BY id;
-- Settings follow savepoints and the transaction.
BEGIN;
SET lock_timeout = '2s';
SAVEPOINT st;
SET lock_timeout = '3s';
SHOW lock_timeout;
ROLLBACK TO st;
SHOW lock_timeout;
ROLLBACK;
SHOW lock_timeout;
DROP TABLE sp;
