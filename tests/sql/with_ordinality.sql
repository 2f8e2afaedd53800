-- Functions in FROM WITH ORDINALITY: a bigint column numbering the rows.
SELECT * FROM generate_series(10, 13) WITH ORDINALITY;
SELECT * FROM generate_series(10, 1, -3) WITH ORDINALITY AS g (v, n);
SELECT g.*, pg_typeof(g.ordinality) FROM unnest(ARRAY['a', 'b', NULL]) WITH ORDINALITY AS g;
SELECT n, v FROM unnest(ARRAY[5, 6]) WITH ORDINALITY AS u (v, n) ORDER BY n DESC;
SELECT * FROM abs(-3) WITH ORDINALITY;
SELECT * FROM upper('x') WITH ORDINALITY AS t (u);
SELECT x, o FROM (VALUES (ARRAY[1, 2]), (ARRAY[3])) AS v (a), LATERAL unnest(a) WITH ORDINALITY AS u (x, o) ORDER BY x;
SELECT count(*), max(ordinality) FROM generate_series(1, 1000) WITH ORDINALITY;
SELECT ordinality FROM unnest(ARRAY[]::int[]) WITH ORDINALITY;
SELECT * FROM generate_series(1, 2) WITH ORDINALITY AS g (a, b, c);
SELECT * FROM generate_series(1, 2) AS g (a, b);
