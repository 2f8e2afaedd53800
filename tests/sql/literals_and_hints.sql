-- Numeric literals print in PostgreSQL's canonical form.
SELECT 0.5, .5, 5., 1e10, 1E-3, 1.50, 00012.30, 1.5e-5, 1.23e1, 1e-0, -1e3, 1.5e+2, 0.000, -.5, 123.456e-2;
SELECT 99999999999999999999 AS big, -9223372036854775808 AS min_int8, -2147483648 AS min_int4;
SELECT 'NaN'::numeric, '-inf'::numeric, ' 1.5 '::numeric, '1e400'::numeric::float8;
SELECT 2.5::int4 AS half_up, (-2.5)::int8 AS neg_half_up, 1.5::float8, 1e2::int2;
SELECT 'nan'::numeric::int4;
SELECT 'abc'::numeric;
SELECT 1.5 > 1, 2 < 1.5, 1.5 = 1.50;
-- Misspelt columns get PostgreSQL's hint.
DROP TABLE IF EXISTS hints;
CREATE TABLE hints (id int, ident int, name text, names text, abc int, abd int, abe int, "Id" int);
SELECT idx FROM hints;
SELECT nme FROM hints;
SELECT nam FROM hints;
SELECT ab FROM hints;
SELECT xyz FROM hints;
SELECT hints.idnt FROM hints;
SELECT q.id FROM hints AS q WHERE q.nme = 1;
SELECT "ID" FROM hints;
INSERT INTO hints (nme) VALUES (1);
UPDATE hints SET nme = 1;
-- A SELECT of no columns still returns rows.
INSERT INTO hints (id) VALUES (1), (2);
SELECT FROM hints;
SELECT FROM hints WHERE id = 3;
DROP TABLE hints;
