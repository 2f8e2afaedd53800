-- Functions in FROM: generate_series over integers, bigints, numerics and
-- timestamps (with its errors and ends), unnest, any other function as one
-- row, column aliases, and joins and subqueries over them.
select * from generate_series(1, 5);
select * from generate_series(1, 10, 3) as g;
select n * 2 from generate_series(5, 1, -2) as g(n);
select * from generate_series(1::bigint, 3::bigint) x;
select * from generate_series(1.5, 4, 0.75);
select * from generate_series('2024-01-01'::timestamp, '2024-01-02', '6 hours');
select * from generate_series('2024-01-01'::date, '2024-01-03'::date, '1 day'::interval);
select * from generate_series(1, 0);
select * from generate_series(1, null);
select * from generate_series(1, 3, 0);
select * from generate_series(2147483646, 2147483647);
select * from generate_series(1.0, 'NaN'::numeric);
select * from generate_series(1.5, 3.0);
select * from unnest(array[3, 1, 2]) as u(x) order by x;
select * from unnest('{a,b,NULL}'::text[]);
select count(*), sum(n) from generate_series(1, 1000) n;
select g.n, t.s from generate_series(1, 3) g(n) join (values (1, 'one'), (3, 'three')) t(k, s) on t.k = g.n order by 1;
select * from upper('abc') as u;
select * from upper('abc');
select * from generate_series(1, 3) g(a, b);
select * from unnest(1);
select * from generate_series(1.5::float8, 3);
select x, row_number() over (order by x desc) from generate_series(1, 4) x order by x;
select (select sum(n) from generate_series(1, t.k) n) from (values (3), (4)) t(k) order by 1;
