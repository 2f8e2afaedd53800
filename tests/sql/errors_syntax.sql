-- Syntax errors and unknown names: message, LINE and caret position.
-- Each error is reported on its own and the session goes on.
SELEC 1;
SELECT 1 +;
SELECT * FROM;
SELECT 1 2;
SELECT (1 + 2));
SELECT 'a' 'b';
INSERT INTO VALUES (1);
CREATE TABLE (a int);
CREATE TABLE syn_bad (a int,);
CREATE TABLE syn_bad (a nosuchtype);
SELECT 1
FROM
WHERE x = 1;
SELECT 1 AS ok;
-- Unknown tables.
SELECT * FROM nosuchtable;
SELECT a, b
  FROM nosuchtable WHERE a = 1;
INSERT INTO nosuchtable VALUES (1);
UPDATE nosuchtable SET a = 1;
DELETE FROM nosuchtable;
DROP TABLE nosuchtable;
DROP TABLE IF EXISTS nosuchtable;
-- Unknown columns.
DROP TABLE IF EXISTS syn;
CREATE TABLE syn (id int PRIMARY KEY, label text);
SELECT nosuchcol FROM syn;
SELECT id FROM syn WHERE nosuchcol = 1;
SELECT id FROM syn ORDER BY nosuchcol;
SELECT id, label || nosuchcol FROM syn;
INSERT INTO syn (id, nosuchcol) VALUES (1, 2);
UPDATE syn SET nosuchcol = 1;
UPDATE syn SET label = 'x' WHERE nosuchcol = 1;
DELETE FROM syn WHERE nosuchcol = 1;
SELECT nosuchcol;
-- Shape errors.
INSERT INTO syn VALUES (1, 'a', 'extra');
INSERT INTO syn (id) VALUES (1, 'a');
INSERT INTO syn (id, label) VALUES (1);
SELECT id FROM syn ORDER BY 3;
CREATE TABLE syn (id int);
SELECT 'still alive' AS status;
DROP TABLE syn;
