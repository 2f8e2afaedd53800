-- timestamptz as far as reducers need it: text input and output (ISO, UTC),
-- comparison, ordering, keys, and its errors.
SET TimeZone = 'UTC';
SHOW TimeZone;
CREATE TABLE ev (id int PRIMARY KEY, at timestamptz NOT NULL);
INSERT INTO ev VALUES (1, '2026-11-29 09:44:34.123456+00'), (2, '2000-01-01 00:00:00'),
    (3, '1999-12-31 23:59:59.5 UTC'), (4, '2026-11-29T10:44:34+01:00'), (5, '1970-01-01'),
    (6, 'infinity'), (7, '-infinity'), (8, '2024-02-29 12:00:00-0530'), (9, 'epoch'),
    (10, '0044-03-15 12:00:00 BC'), (11, '2026-01-01 00:00:00.0000005');
SELECT id, at FROM ev ORDER BY at, id;
SELECT id FROM ev WHERE at > '2026-01-01' ORDER BY id;
SELECT '2026-11-29 09:44:34+00'::timestamptz = '2026-11-29 10:44:34+01'::timestamptz AS same;
CREATE TABLE evk (at timestamptz PRIMARY KEY);
INSERT INTO evk VALUES ('2026-01-01 00:00:00+00');
INSERT INTO evk VALUES ('2026-01-01 01:00:00+01');
SELECT at FROM evk;
-- bad input
SELECT 'yesterday-ish'::timestamptz;
SELECT '2026-13-01'::timestamptz;
SELECT '2026-02-30 10:00'::timestamptz;
SELECT '2026-01-01 25:00'::timestamptz;
SELECT '2026-01-01 10:00 +99'::timestamptz;
DROP TABLE ev;
DROP TABLE evk;
