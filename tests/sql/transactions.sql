-- Transaction blocks: COMMIT, ROLLBACK, aborted blocks, statement atomicity.
DROP TABLE IF EXISTS tx;
DROP TABLE IF EXISTS tx_new;
CREATE TABLE tx (id int PRIMARY KEY, v text);
INSERT INTO tx VALUES (1, 'one'), (2, 'two'), (3, 'three');
-- Ending a block that was never started.
COMMIT;
ROLLBACK;
END;
-- A committed block.
BEGIN;
INSERT INTO tx VALUES (4, 'four');
UPDATE tx SET v = 'ONE' WHERE id = 1;
COMMIT;
SELECT * FROM tx ORDER BY id;
-- A rolled back block undoes inserts, updates, deletes and CREATE TABLE.
BEGIN;
INSERT INTO tx VALUES (5, 'five');
UPDATE tx SET v = 'changed' WHERE id = 2;
DELETE FROM tx WHERE id = 3;
CREATE TABLE tx_new (a int);
INSERT INTO tx_new VALUES (1);
SELECT * FROM tx ORDER BY id;
ROLLBACK;
SELECT * FROM tx ORDER BY id;
SELECT * FROM tx_new;
-- DROP TABLE inside a rolled back block.
BEGIN;
DROP TABLE tx;
ROLLBACK;
SELECT * FROM tx ORDER BY id;
-- START TRANSACTION and END; BEGIN twice.
START TRANSACTION;
BEGIN;
INSERT INTO tx VALUES (6, 'six');
END;
SELECT * FROM tx WHERE id = 6;
-- An error aborts the block until its end.
BEGIN;
INSERT INTO tx VALUES (7, 'seven');
SELECT 1 / 0;
SELECT 1;
INSERT INTO tx VALUES (8, 'eight');
ROLLBACK;
SELECT * FROM tx WHERE id >= 7;
-- COMMIT of a failed block reports ROLLBACK.
BEGIN;
UPDATE tx SET v = 'lost' WHERE id = 1;
INSERT INTO tx VALUES (1, 'duplicate');
COMMIT;
SELECT * FROM tx WHERE id = 1;
-- Outside a block each statement is atomic on its own.
UPDATE tx SET v = 'kept' WHERE id = 2;
INSERT INTO tx VALUES (9, 'nine'), (2, 'dup');
SELECT * FROM tx ORDER BY id;
-- Several statements on one line are separate statements.
BEGIN; INSERT INTO tx VALUES (10, 'ten'); COMMIT;
SELECT 1 AS a; SELECT 2 AS b;
SELECT id FROM tx WHERE id = 10;
-- A read-only block reads but may not write; isolation levels are accepted.
BEGIN READ ONLY;
SELECT v FROM tx WHERE id = 2;
ROLLBACK;
BEGIN TRANSACTION READ ONLY;
SELECT id FROM tx WHERE id = 10;
INSERT INTO tx VALUES (11, 'eleven');
ROLLBACK;
START TRANSACTION ISOLATION LEVEL REPEATABLE READ;
SELECT id FROM tx WHERE id = 10;
COMMIT;
BEGIN ISOLATION LEVEL READ COMMITTED, READ WRITE;
DELETE FROM tx WHERE id = 10;
COMMIT;
SELECT id FROM tx WHERE id = 10;
DROP TABLE tx;
