-- COPY FROM STDIN and TO STDOUT in text and CSV: escapes, NULL, quoting,
-- headers, column lists, queries, options, and the errors (a failed COPY
-- writes nothing).
CREATE TABLE c (id int PRIMARY KEY, name text, score float8, ok bool);
COPY c FROM STDIN;
1	alice	1.5	t
2	b\tob	\N	f
3	back\\slash\nnewline	-2	\N
4	\x41\101\z	0	true
\.
SELECT * FROM c ORDER BY id;
COPY c TO STDOUT;
COPY c (name, id) TO STDOUT;
COPY (SELECT id, name FROM c WHERE id > 2 ORDER BY id DESC) TO STDOUT;
COPY c TO STDOUT WITH (FORMAT csv);
COPY c TO STDOUT WITH (FORMAT csv, HEADER true, FORCE_QUOTE (name));
COPY c TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *, DELIMITER ';');
COPY c TO STDOUT WITH (FORMAT text, HEADER, NULL 'NULL', DELIMITER '|');
COPY c TO STDOUT WITH CSV HEADER DELIMITER ',' QUOTE '''';
COPY c TO STDOUT WITH DELIMITER AS ',' NULL AS '-';
-- CSV in: quotes, embedded delimiters and newlines, empty vs NULL
CREATE TABLE q (id int PRIMARY KEY, a text, b text);
COPY q FROM STDIN WITH (FORMAT csv);
1,"x, y","he said ""hi"""
2,,""
3,"two
lines",plain
\.
SELECT id, a, b, a IS NULL AS a_null, b IS NULL AS b_null FROM q ORDER BY id;
COPY q TO STDOUT WITH (FORMAT csv);
COPY q FROM STDIN WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL (a), NULL 'NA');
id,a,b
4,,NA
5,NA,"NA"
\.
SELECT id, a, b, a IS NULL AS a_null, b IS NULL AS b_null FROM q WHERE id > 3 ORDER BY id;
COPY q (b, id) FROM STDIN WITH CSV;
only-b,6
\.
SELECT * FROM q WHERE id = 6;
COPY q FROM STDIN WITH (FORMAT csv, QUOTE '''', ESCAPE '\', DELIMITER '|');
7|'it\'s'|'a|b'
\.
SELECT * FROM q WHERE id = 7;
-- text HEADER (PostgreSQL 15)
COPY q FROM STDIN WITH (HEADER);
id	a	b
8	h	i
\.
SELECT * FROM q WHERE id = 8;
-- errors: nothing of a failed COPY is kept
COPY c FROM STDIN;
10	ten	1	t
11	eleven	1	t	extra
\.
COPY c FROM STDIN;
12	twelve
\.
COPY c FROM STDIN;
13	thirteen	x	t
\.
COPY c FROM STDIN;
14	fourteen	1	maybe
\.
COPY c FROM STDIN;
\N	null-key	1	t
\.
COPY c FROM STDIN;
15	fifteen	1	t
1	dup	1	t
\.
COPY c FROM STDIN WITH (FORMAT csv);
16,"unterminated
\.
SELECT id FROM c ORDER BY id;
-- a failed COPY in a block fails the block
BEGIN;
COPY c FROM STDIN;
20	x	1	t
bad
\.
SELECT 1;
ROLLBACK;
-- options and names
COPY nope FROM STDIN;
COPY c (nope) FROM STDIN;
COPY c (id, id) FROM STDIN;
COPY c FROM STDIN WITH (FORMAT xml);
COPY c FROM STDIN WITH (FORMAT csv, FORMAT text);
COPY c FROM STDIN WITH (bogus true);
COPY c FROM STDIN WITH (DELIMITER ',,');
COPY c FROM STDIN WITH (QUOTE '"');
COPY c FROM STDIN WITH (FORMAT csv, DELIMITER ',', QUOTE ',');
COPY c TO STDOUT WITH (FORCE_QUOTE (name));
COPY c FROM STDIN WITH (FORMAT csv, FORCE_QUOTE (name));
COPY c TO STDOUT WITH (FORMAT csv, FORCE_NOT_NULL (name));
COPY c TO STDOUT WITH (FORMAT csv, FORCE_QUOTE (nope));
COPY c TO STDOUT WITH (FORMAT binary, DELIMITER ',');
COPY c TO STDOUT WITH (FORMAT binary, HEADER);
COPY c TO STDOUT WITH (FORMAT csv, HEADER match);
COPY c FROM STDIN WITH (DELIMITER E'\n');
COPY c FROM STDIN WITH (NULL 'a', DELIMITER 'a');
COPY (INSERT INTO c VALUES (99, 'r', 0, true)) TO STDOUT;
COPY (INSERT INTO c VALUES (99, 'r', 0, true) RETURNING id, name) TO STDOUT;
SELECT id, name FROM c WHERE id = 99;
COPY c TO STDOUT WITH (FORMAT csv, HEADER, FORCE_QUOTE *);
