-- UPDATE and DELETE: WHERE, RETURNING, row counts, constraints.
DROP TABLE IF EXISTS accounts;
CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance int8, note varchar(8));
INSERT INTO accounts VALUES (1, 'ann', 100, NULL), (2, 'ben', 250, 'vip'), (3, 'cat', 0, NULL),
                            (4, 'dan', -40, 'overdue'), (5, 'eli', NULL, NULL);
UPDATE accounts SET balance = balance + 10 WHERE id = 1;
SELECT * FROM accounts WHERE id = 1;
UPDATE accounts SET balance = balance * 2, note = 'doubled' WHERE balance > 50;
SELECT * FROM accounts ORDER BY id;
UPDATE accounts SET note = 'none' WHERE id = 99;
UPDATE accounts SET balance = 0 WHERE balance IS NULL RETURNING *;
UPDATE accounts SET owner = owner || '!' WHERE id = 3 RETURNING id, owner;
UPDATE accounts SET note = NULL WHERE note = 'doubled';
UPDATE accounts SET balance = -balance WHERE id = 4 RETURNING balance;
UPDATE accounts SET id = 10 WHERE id = 5;
SELECT * FROM accounts ORDER BY id;
UPDATE accounts SET balance = balance + 1;
SELECT id, balance FROM accounts ORDER BY id;
-- Constraint violations leave the rows as they were.
UPDATE accounts SET id = 1 WHERE id = 2;
UPDATE accounts SET owner = NULL WHERE id = 2;
UPDATE accounts SET note = 'too long for it' WHERE id = 2;
UPDATE accounts SET balance = 9223372036854775807 + balance WHERE id = 2;
SELECT * FROM accounts WHERE id = 2;
-- DELETE.
DELETE FROM accounts WHERE id = 99;
DELETE FROM accounts WHERE id = 3 RETURNING *;
DELETE FROM accounts WHERE balance < 100;
SELECT * FROM accounts ORDER BY id;
INSERT INTO accounts VALUES (3, 'cat again', 5, NULL);
SELECT * FROM accounts ORDER BY id;
DELETE FROM accounts;
SELECT * FROM accounts;
INSERT INTO accounts VALUES (1, 'fresh', 1, NULL) RETURNING *;
DROP TABLE accounts;
