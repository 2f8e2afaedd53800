-- The SQLSTATE of each kind of error (psql prints only the code with
-- VERBOSITY sqlstate), and the NOTICE / WARNING messages.
\set VERBOSITY sqlstate
DROP TABLE IF EXISTS codes;
CREATE TABLE codes (id int PRIMARY KEY, name text NOT NULL, code varchar(3));
INSERT INTO codes VALUES (1, 'one', 'a');
SELEC 1;
SELECT * FROM nosuchtable;
SELECT nosuchcol FROM codes;
INSERT INTO codes VALUES (1, 'dup', 'b');
INSERT INTO codes (id) VALUES (2);
INSERT INTO codes (id, name) VALUES ('abc', 'x');
INSERT INTO codes (id, name) VALUES ('2'::text, 'x');
INSERT INTO codes (id, name, code) VALUES (2, 'x', 'abcd');
SELECT 2147483647 + 1;
SELECT 1 / 0;
CREATE TABLE codes (id int);
DROP TABLE nosuchtable;
DROP TABLE IF EXISTS nosuchtable;
CREATE TABLE bad_type (a nosuchtype);
COMMIT;
BEGIN;
BEGIN;
SELECT 1 / 0;
SELECT 1;
COMMIT;
\set VERBOSITY default
SELECT * FROM codes ORDER BY id;
DROP TABLE codes;
