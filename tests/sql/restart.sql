-- Everything committed before a crash is there after it: tables, indexes
-- (and what they enforce), rows of every type, updates, deletes and drops;
-- nothing uncommitted is. The server is killed and restarted twice in the
-- middle of this file (\! $SQL_RESTART), once with a checkpoint before.
CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance int8, note varchar(20), UNIQUE (note));
CREATE UNIQUE INDEX accounts_owner ON accounts (owner);
CREATE INDEX accounts_balance ON accounts (balance DESC NULLS LAST);
INSERT INTO accounts VALUES (1, 'ann', 100, NULL), (2, 'bob', 250, 'x'), (3, 'cy', NULL, 'long note here');
UPDATE accounts SET balance = balance + 1 WHERE id = 1;
DELETE FROM accounts WHERE id = 3;
CREATE TABLE gone (a int);
INSERT INTO gone VALUES (1);
DROP TABLE gone;
CREATE TABLE kinds (a int2, b bool, c float8, d text, e int8, f varchar, g int4);
INSERT INTO kinds VALUES (1, true, 1.5, 'é ü', -9223372036854775808, '', 2147483647),
    (NULL, NULL, NULL, NULL, NULL, NULL, NULL), (3, false, -0.0, '', 0, 'x', 0);
INSERT INTO kinds VALUES (2, false, 1e300, 'a long text value that needs more than one hundred and twenty-seven bytes to be stored, so its length takes four bytes in the row', 7, 'y', -1);
CREATE TABLE empty_one (k int PRIMARY KEY);
BEGIN;
INSERT INTO accounts VALUES (4, 'dee', 4, NULL);
CREATE TABLE uncommitted (a int);
SAVEPOINT s;
UPDATE accounts SET balance = 0;
\! $SQL_RESTART
\c
SELECT * FROM accounts ORDER BY id;
SELECT id FROM accounts WHERE owner = 'bob';
SELECT owner, balance FROM accounts ORDER BY balance DESC NULLS LAST;
INSERT INTO accounts VALUES (5, 'ann', 1, NULL);
INSERT INTO accounts VALUES (2, 'eve', 1, NULL);
INSERT INTO accounts VALUES (6, 'fay', 1, 'x');
SELECT * FROM gone;
SELECT * FROM uncommitted;
SELECT * FROM kinds ORDER BY a, e;
SELECT * FROM empty_one;
CREATE TABLE gone (b text PRIMARY KEY);
INSERT INTO gone VALUES ('again');
DROP INDEX accounts_balance;
CHECKPOINT;
INSERT INTO accounts VALUES (7, 'gus', 70, 'after checkpoint');
UPDATE kinds SET d = 'changed' WHERE a = 1;
DELETE FROM accounts WHERE id = 2;
CREATE INDEX kinds_d ON kinds (d);
\! $SQL_RESTART
\c
SELECT * FROM accounts ORDER BY id;
SELECT * FROM gone;
SELECT a, d FROM kinds WHERE d = 'changed';
SELECT a, d FROM kinds ORDER BY d NULLS FIRST;
DROP INDEX accounts_balance;
INSERT INTO accounts VALUES (8, 'gus', 1, NULL);
INSERT INTO accounts VALUES (2, 'bob', 250, 'x');
SELECT * FROM accounts ORDER BY id;
DROP TABLE accounts, kinds, gone, empty_one;
