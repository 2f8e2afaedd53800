-- GROUP BY DISTINCT: each grouping set once; GROUP BY ALL is the default.
CREATE TABLE gd (a int, b text, c int);
INSERT INTO gd VALUES (1, 'x', 10), (1, 'y', 20), (2, 'x', 30), (2, NULL, 40), (NULL, 'z', 50);
SELECT a, b, sum(c), GROUPING(a, b) FROM gd GROUP BY ROLLUP (a, b), ROLLUP (a) ORDER BY 4, 1, 2, 3;
SELECT a, b, sum(c), GROUPING(a, b) FROM gd GROUP BY DISTINCT ROLLUP (a, b), ROLLUP (a) ORDER BY 4, 1, 2, 3;
SELECT a, b, count(*) FROM gd GROUP BY DISTINCT CUBE (a, b), GROUPING SETS ((a), (b)) ORDER BY 1, 2, 3;
SELECT a, count(*) FROM gd GROUP BY DISTINCT a ORDER BY 1;
SELECT a, count(*) FROM gd GROUP BY ALL a ORDER BY 1;
SELECT count(*) FROM gd GROUP BY DISTINCT (), ();
SELECT a, b, count(*) FROM gd GROUP BY DISTINCT GROUPING SETS ((a, b), (b, a), (a), (a)) ORDER BY 1, 2, 3;
SELECT count(*) FROM (SELECT a FROM gd GROUP BY DISTINCT ROLLUP (a), ROLLUP (a), CUBE (a)) s;
DROP TABLE gd;
