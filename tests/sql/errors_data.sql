-- Data errors: constraints, input syntax, types, overflow, division by zero.
DROP TABLE IF EXISTS errs;
CREATE TABLE errs (id int PRIMARY KEY, name text NOT NULL, small int2, big int8, code varchar(3), ok bool);
INSERT INTO errs VALUES (1, 'first', 1, 1, 'abc', true);
-- Constraint violations.
INSERT INTO errs VALUES (1, 'again', 2, 2, 'x', false);
INSERT INTO errs (id) VALUES (2);
INSERT INTO errs VALUES (2, NULL, 7, NULL, 'q', NULL);
INSERT INTO errs (name) VALUES ('no id');
INSERT INTO errs (id, name, code) VALUES (3, 'three', 'abcd');
INSERT INTO errs (id, name, code) VALUES (3, 'three', 'ab');
-- Input syntax and type mismatches.
INSERT INTO errs (id, name) VALUES ('abc', 'x');
INSERT INTO errs (id, name, ok) VALUES (4, 'x', 'maybe');
INSERT INTO errs (id, name) VALUES ('1'::text, 'x');
INSERT INTO errs (id, name, ok) VALUES (4, 'x', 1);
SELECT 'abc'::int4;
SELECT ''::int8;
SELECT '12abc'::int2;
SELECT '1.5'::int4;
SELECT 'x'::float8;
SELECT 1 + 'a';
SELECT 'a' + 1;
SELECT id FROM errs WHERE name = 1;
SELECT id FROM errs WHERE id = 'one';
-- Out of range.
SELECT 2147483647 + 1;
SELECT -2147483647 - 2;
SELECT 65536 * 65536;
SELECT 9223372036854775807 + 1;
SELECT 32767::int2 + 1::int2;
SELECT (-2147483647 - 1) / -1;
SELECT '99999999999'::int4;
SELECT 40000::int2;
INSERT INTO errs (id, name, small) VALUES (5, 'x', 40000);
SELECT '1e300'::float8 * '1e300'::float8;
-- Division by zero.
SELECT 1 / 0;
SELECT 1 % 0;
SELECT 1::int8 / 0;
SELECT 1::float8 / 0;
SELECT 0::float8 / 0::float8;
SELECT id / (id - 1) FROM errs WHERE id = 1;
-- Nothing above changed the table.
SELECT * FROM errs ORDER BY id;
DROP TABLE errs;
