-- The data types survive a crash: rows with json, jsonb, arrays, timetz,
-- oid and reg*, interval with field typmods and numeric arrays come back as
-- they went in, from the WAL and then from a checkpoint; their keys and
-- indexes still find them.
CREATE TABLE docs (id int PRIMARY KEY, j jsonb, js json, tags text[], nums numeric(8,3)[], t timetz,
                   o oid, r regclass, span interval day to second(2), u uuid);
CREATE INDEX docs_j ON docs (j);
CREATE TABLE arr_keys (k int[] PRIMARY KEY, v jsonb);
INSERT INTO docs VALUES
  (1, '{"b": [1, 2.50], "a": {"c": null}}', '{ "x" : 1 }', '{a,"b c",NULL}', '[0:1]={1.5,NULL}', '13:14:15+05:30',
   4294967295, 'docs', '1 day 02:03:04.567', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
  (2, '[1, "two", null]', '[]', '{}', '{}', '00:00-15:59', 0, 'arr_keys', '-3 seconds', NULL);
INSERT INTO arr_keys VALUES ('{1,2}', '1'), ('{1}', '{"k": [true]}'), ('{}', 'null');
BEGIN;
UPDATE docs SET j = j || '{"uncommitted": 1}';
\! $SQL_RESTART
\c
SELECT * FROM docs ORDER BY id;
SELECT id FROM docs WHERE j = '{"a": {"c": null}, "b": [1, 2.5]}';
SELECT k, v FROM arr_keys ORDER BY k;
INSERT INTO arr_keys VALUES ('{1,2}', '2');
UPDATE docs SET tags[2] = 'new', j['a']['c'] = '"set"' WHERE id = 1;
CHECKPOINT;
INSERT INTO docs VALUES (3, '{"after": "checkpoint"}', 'true', '{x}', '{1}', '24:00:00+00', 1, 'docs', '1 hour', NULL);
\! $SQL_RESTART
\c
SELECT id, j, tags, t, r, span FROM docs ORDER BY j;
SELECT k FROM arr_keys WHERE k = '{1}';
DROP TABLE docs;
DROP TABLE arr_keys;
