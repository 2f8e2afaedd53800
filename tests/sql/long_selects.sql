-- Queries long enough to run in steps (session.c Q1): their operators stop
-- and resume at row boundaries many times, and the answers must be the ones
-- of a query run whole: aggregates, sorts, joins, windows, DISTINCT, set
-- operations, LATERAL and sublinks over hundreds of thousands of rows.
select count(*), sum(x), min(x), max(x) from generate_series(1, 1000000) x;
select x % 7 as k, count(*), sum(x) from generate_series(1, 700000) x group by 1 order by 1;
select x from generate_series(1, 300000) x order by x % 1000 desc, x limit 5;
select count(*) from generate_series(1, 2000) a, generate_series(1, 300) b where (a + b) % 97 = 0;
select count(*) from generate_series(1, 100000) a join generate_series(50001, 150000) b on a = b;
select count(distinct x % 1234) from generate_series(1, 400000) x;
select count(*) from (select distinct x % 5000 from generate_series(1, 400000) x) d;
select sum(r) from (select row_number() over (order by x desc) as r from generate_series(1, 100000) x) w;
select count(*) from (select x from generate_series(1, 200000) x union select x * 2 from generate_series(1, 200000) x) u;
select count(*) from (select x from generate_series(1, 200000) x intersect select x * 3 from generate_series(1, 100000) x) i;
select count(*), sum(g) from generate_series(1, 1000) a, lateral generate_series(1, a) g;
select count(*) from generate_series(1, 200000) x where x % 1000 = (select 7);
select count(*) from generate_series(1, 300) a where exists (select 1 from generate_series(1, 1000) b where b = a * 3);
select x, sum(x) over (order by x rows between 2 preceding and current row) from generate_series(1, 200000) x order by x desc limit 3;
select (x % 3, x % 5) < (1, 2) as lt, count(*) from generate_series(1, 300000) x group by 1 order by 1;
select g, count(*) from generate_series(1, 200000) x, lateral (select x % 4 as g) s group by rollup (g) order by g nulls last;
select count(*) from (select generate_series(1, 3) as a, generate_series(1, x % 5) as b from generate_series(1, 50000) x) s;
select 1 / (x - 500000) from generate_series(1, 600000) x where x > 499998 order by 1 limit 1;
