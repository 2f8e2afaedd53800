-- pg_lsn: a WAL position, its text form, comparisons, arithmetic, and the
-- functions that report the server's current WAL positions.
-- Literals and casts: output is upper-case hex without leading zeros.
SELECT '0/16B3748'::pg_lsn, 'ffffffff/ffffffff'::pg_lsn, '00000000/00000001'::pg_lsn, CAST('a/B' AS pg_lsn);
SELECT '0/0'::pg_lsn AS zero, '1/0'::pg_lsn AS four_gib, '16/B374D848'::pg_lsn::text AS as_text;
SELECT '0/1'::pg_lsn::varchar(2) AS truncated, ('12/34'::pg_lsn)::text || '!' AS concat, '0/1'::pg_lsn || 'x' AS concat2;
SELECT 'AbC/dEf'::text::pg_lsn AS from_text, NULL::pg_lsn IS NULL AS null_lsn;
-- Bad input: each half is 1 to 8 hex digits, nothing around them.
SELECT '0/'::pg_lsn;
SELECT '/0'::pg_lsn;
SELECT 'G/0'::pg_lsn;
SELECT '123456789/0'::pg_lsn;
SELECT '0/123456789'::pg_lsn;
SELECT ''::pg_lsn;
SELECT '0/0/0'::pg_lsn;
SELECT ' 0/1'::pg_lsn;
SELECT '0/1 '::pg_lsn;
SELECT '+1/0'::pg_lsn;
SELECT '0x1/0'::pg_lsn;
SELECT '-1/0'::pg_lsn;
-- No casts to or from numbers.
SELECT 1::pg_lsn;
SELECT 1::numeric::pg_lsn;
SELECT '0/1'::pg_lsn::int8;
-- Comparisons: unsigned, the high half first; a literal takes pg_lsn.
SELECT '0/1'::pg_lsn < '0/2', '1/0'::pg_lsn > '0/FFFFFFFF', 'FFFFFFFF/0'::pg_lsn > '7FFFFFFF/FFFFFFFF';
SELECT '0/1'::pg_lsn = '0/01', '0/1'::pg_lsn <> '0/1', '0/A'::pg_lsn <= '0/a', '0/1'::pg_lsn >= '0/2';
SELECT '0/1'::pg_lsn = NULL AS null_cmp, '0/1' < '0/2'::pg_lsn AS literal_left;
SELECT '0/1'::pg_lsn = 1;
SELECT '0/1'::pg_lsn = '0/1'::text;
SELECT '0/1'::pg_lsn < 'x';
-- Subtraction of two LSNs: the distance in bytes, a numeric.
SELECT '0/20'::pg_lsn - '0/10'::pg_lsn AS forward, '0/10'::pg_lsn - '0/20' AS backward, '1/0' - '0/1'::pg_lsn AS wrap;
SELECT 'FFFFFFFF/FFFFFFFF'::pg_lsn - '0/0' AS max, '0/0'::pg_lsn - 'FFFFFFFF/FFFFFFFF'::pg_lsn AS min, '0/5'::pg_lsn - '0/5' AS zero;
SELECT '0/1'::pg_lsn - NULL AS null_diff, ('0/20'::pg_lsn - '0/10') > 15 AS diff_cmp;
-- Adding and subtracting bytes (numeric, integers widen to it).
SELECT '0/1'::pg_lsn + 16 AS plus, 16 + '0/1'::pg_lsn AS plus_left, '0/11'::pg_lsn - 16 AS minus;
SELECT '0/1'::pg_lsn + 1::int2 AS int2, '0/1'::pg_lsn + 4294967295::int8 AS int8, '0/1'::pg_lsn + '15' AS literal;
SELECT '0/1'::pg_lsn + 10000000000000000000 AS big, 'FFFFFFFF/FFFFFFFF'::pg_lsn - 18446744073709551615 AS to_zero;
SELECT '0/1'::pg_lsn + NULL AS null_plus, NULL + '0/1'::pg_lsn AS null_plus_left, '0/1'::pg_lsn - NULL::numeric AS null_minus;
-- A fraction rounds the exact sum half away from zero.
SELECT '0/10'::pg_lsn + 1.5 AS up, '0/10'::pg_lsn + 1.4 AS down, '0/10'::pg_lsn - 1.5 AS minus_half, '0/10'::pg_lsn - 1.6 AS minus_more;
SELECT '0/10'::pg_lsn - 15.5 AS to_one, '0/10'::pg_lsn - 16.4 AS to_zero, '0/10'::pg_lsn + -15.5 AS neg_plus, '0/10'::pg_lsn - -1.5 AS neg_minus;
SELECT 1.5 + '0/1'::pg_lsn AS left_frac, '0/1'::pg_lsn + 0.000001 AS tiny, '0/1'::pg_lsn - 0.0 AS zero;
SELECT 'FFFFFFFF/FFFFFFFE'::pg_lsn + 1.4 AS near_max, 'FFFFFFFF/FFFFFFFE'::pg_lsn + '1.49999999999999999999999999' AS nearer;
SELECT 'FFFFFFFF/FFFFFFFF'::pg_lsn - 18446744073709551615.4999 AS near_zero;
-- Out of range.
SELECT 'FFFFFFFF/FFFFFFFF'::pg_lsn + 1;
SELECT '0/0'::pg_lsn - 1;
SELECT '0/0'::pg_lsn - 0.5;
SELECT '0/0'::pg_lsn + -0.5;
SELECT 'FFFFFFFF/FFFFFFFE'::pg_lsn + 1.5;
SELECT '0/10'::pg_lsn - 16.5;
SELECT '0/1'::pg_lsn + 18446744073709551614.5;
SELECT '0/1'::pg_lsn + 1e30;
SELECT '0/1'::pg_lsn - 1e30;
SELECT '0/1'::pg_lsn + 100000000000000000000000000000000000000000000000000;
-- NaN and the infinities.
SELECT '0/1'::pg_lsn + 'NaN'::numeric;
SELECT '0/1'::pg_lsn - 'NaN'::numeric;
SELECT 'nan'::numeric - '0/1'::pg_lsn;
SELECT '0/1'::pg_lsn + 'NaN';
SELECT '0/1'::pg_lsn + 'Infinity'::numeric;
SELECT '0/1'::pg_lsn - 'Infinity'::numeric;
SELECT '0/1'::pg_lsn + '-Infinity';
-- Operators that do not exist, and literals that do not parse.
SELECT '0/1'::pg_lsn + '0/1'::pg_lsn;
SELECT '0/1'::pg_lsn + '0/1';
SELECT '0/1' + '0/1'::pg_lsn;
SELECT '0/1'::pg_lsn - 'Infinity';
SELECT 16 - '0/1'::pg_lsn;
SELECT '0/1'::pg_lsn * 2;
SELECT '0/1'::pg_lsn * '2';
SELECT '2' / '0/1'::pg_lsn;
SELECT '0/1'::pg_lsn % '0/1'::pg_lsn;
SELECT '0/1'::pg_lsn + 1.5::float8;
SELECT '0/1'::pg_lsn - '1'::text;
SELECT -'0/1'::pg_lsn;
-- A table keyed by pg_lsn: ordering, the primary key, lookups with literals.
CREATE TABLE lsns (l pg_lsn PRIMARY KEY, note text, other pg_lsn);
INSERT INTO lsns VALUES ('0/16B3748', 'a', '1/0'), ('FFFFFFFF/0', 'b', NULL), ('0/0', 'c', '0/1'), ('1/0', 'd', '0/FF');
INSERT INTO lsns VALUES ('80000000/0', 'e', 'FFFFFFFF/FFFFFFFF'), ('7FFFFFFF/FFFFFFFF', 'f', '7FFFFFFF/FFFFFFFF');
INSERT INTO lsns VALUES ('0/16b3748', 'dup', NULL);
INSERT INTO lsns VALUES ('bad', 'x', NULL);
INSERT INTO lsns VALUES (1, 'x', NULL);
INSERT INTO lsns VALUES ('0/1'::text, 'x', NULL);
INSERT INTO lsns (l, note) VALUES ('0/1'::pg_lsn + 1, 'sum') RETURNING l, l - '0/0' AS bytes;
SELECT * FROM lsns ORDER BY l;
SELECT l, note FROM lsns ORDER BY l DESC;
SELECT other FROM lsns ORDER BY other NULLS FIRST;
SELECT note FROM lsns WHERE l = '1/0';
SELECT note FROM lsns WHERE l > '7FFFFFFF/FFFFFFFF' ORDER BY l;
SELECT note FROM lsns WHERE l >= '0/1' AND l < '1/0' ORDER BY 1;
SELECT note FROM lsns WHERE l = other;
SELECT note, l - other AS ahead FROM lsns WHERE other IS NOT NULL ORDER BY l;
SELECT note FROM lsns WHERE l + 16 > 'FFFFFFFF/0' ORDER BY l;
SELECT note FROM lsns WHERE l = 'nonsense';
UPDATE lsns SET l = l + 1 WHERE note = 'c' RETURNING l, note;
UPDATE lsns SET other = l - 256 WHERE note = 'c';
DELETE FROM lsns WHERE l < '0/2' RETURNING *;
DELETE FROM lsns WHERE l < '0/100' RETURNING note;
CREATE INDEX lsns_other ON lsns (other DESC);
SELECT note, other FROM lsns WHERE other < 'FFFFFFFF/FFFFFFFF' ORDER BY other DESC;
SELECT l::text, note FROM lsns ORDER BY l LIMIT 2;
DROP TABLE lsns;
-- The server's WAL positions (their values differ between servers: only
-- relations that hold on any server are shown).
SELECT pg_current_wal_lsn() >= '0/1000000'::pg_lsn AS past_start, pg_current_wal_flush_lsn() <= pg_current_wal_insert_lsn() AS flushed_le_inserted;
SELECT pg_current_wal_lsn() <= pg_current_wal_insert_lsn() AS written_le_inserted, pg_current_wal_insert_lsn() - '0/0' > 0 AS bytes;
-- The result column is named after the function: \gset stores it in a
-- psql variable of that name, which the next line reads back.
SELECT pg_current_wal_insert_lsn(), pg_current_wal_flush_lsn()::text \gset
SELECT :'pg_current_wal_insert_lsn'::pg_lsn >= :'pg_current_wal_flush_lsn'::pg_lsn AS named;
SELECT pg_current_wal_insert_lsn() >= :'pg_current_wal_insert_lsn' AS monotonic;
SELECT pg_current_wal_lsn(1);
SELECT pg_current_wal_lsn(*);
SELECT pg_current_wal_lsn;
SELECT no_such_function();
