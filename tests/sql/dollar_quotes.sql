-- Dollar-quoted strings (PostgreSQL 4.1.2.4): the body as written, no
-- escapes, any tag; $n outside them stays a parameter.
SELECT $$it's$$ AS a, $$$$ AS empty, $tag$x$$y$tag$ AS tagged;
SELECT $a$ back\slash and 'quotes' $a$ AS raw;
SELECT $$multi
line$$ AS lines;
SELECT $q$semi;colon$q$ AS s, 1 AS n;
SELECT $$abc$$ = 'abc' AS same;
SELECT $_1$x$_1$ || $B$y$B$ AS cat;
CREATE TABLE dq (id int PRIMARY KEY, body text);
INSERT INTO dq VALUES (1, $$a 'quoted' body$$), (2, $x$$$x$);
SELECT * FROM dq ORDER BY id;
DROP TABLE dq;
-- unterminated
SELECT $$abc;
SELECT $x$abc$y$;
