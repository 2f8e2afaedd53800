-- Aggregates: count, sum, avg, min, max, bool_and / bool_or / every,
-- string_agg, array_agg, json_agg, jsonb_agg, json(b)_object_agg, the
-- variance family, with DISTINCT, ORDER BY inside and FILTER; GROUP BY by
-- ordinal, output name and expression; HAVING; grouping by a primary key
-- (functional dependency); result types; and the grouping errors.
create table g (id int primary key, k text, n int, big bigint, x numeric, f float8, r real, b bool, d date, i interval);
insert into g values
 (1, 'a', 1, 10, 1.5, 0.5, 1.25, true, '2024-01-01', '1 day'),
 (2, 'a', 2, 20, 2.25, 1.5, 2.5, true, '2024-02-01', '2 hours'),
 (3, 'b', null, 30, null, null, null, false, null, null),
 (4, 'b', 4, 9223372036854775807, 4, 4, 4, null, '2023-12-31', '1 month'),
 (5, null, 5, -5, -1.125, -2.5, 0.1, true, '2024-03-01', '-3 days'),
 (6, 'c', 6, 6, 6.000, 6, 6, false, '2024-03-02', '30 minutes');
select count(*), count(n), count(k), count(distinct k), count(1) from g;
select sum(n), sum(big), sum(x), sum(f), sum(r), sum(i), pg_typeof(sum(n)), pg_typeof(sum(big)), pg_typeof(sum(r)) from g;
select avg(n), avg(big), avg(x), avg(f), avg(r), avg(i), pg_typeof(avg(n)), pg_typeof(avg(f)) from g;
select min(n), max(n), min(k), max(k), min(x), max(x), min(d), max(d), min(i), max(i), min(f), max(r) from g;
select bool_and(b), bool_or(b), every(b), bool_and(b) filter (where id < 3) from g;
select k, count(*), sum(n), avg(x) from g group by k order by k;
select k, count(*) from g group by k having count(*) > 1 order by k;
select k, count(*) from g group by 1 order by 2 desc, 1;
select k as key, max(id) from g group by key order by key;
select n % 2 as parity, count(*), array_agg(id order by id) from g group by n % 2 order by 1;
select string_agg(k, ',' order by id), string_agg(distinct k, '|'), string_agg(k, ', ' order by k desc) from g;
select array_agg(k order by id), array_agg(n order by n desc nulls last), array_agg(distinct k) from g;
select json_agg(k order by id), jsonb_agg(n order by id), json_object_agg(k, n order by id) filter (where k is not null) from g;
select jsonb_object_agg(k, id) filter (where k is not null) from g;
select variance(n), var_samp(n), var_pop(n), stddev(n), stddev_samp(n), stddev_pop(n) from g;
select variance(x), stddev(x), var_pop(x), stddev_pop(x) from g;
select variance(f), stddev(f), var_pop(r), stddev_pop(f) from g;
select variance(big) from g where id < 4;
select stddev(n) from g where id = 1;
select count(*), sum(n), avg(n), max(k), array_agg(id), string_agg(k, ',') from g where false;
select count(*) from g where false group by k;
select 1 from g having count(*) > 3;
select count(*) filter (where n > 2), sum(n) filter (where k = 'a') from g;
select k, count(*) filter (where b) from g group by k order by k nulls first;
select count(*) + 1, max(n) * 2, sum(n) / count(n) from g;
select k, max(n) - min(n) as spread from g group by k order by spread desc nulls last, k;
select g.* from g group by id order by id limit 2;
select id, k, count(*) from g group by id order by id limit 2;
select k, n from g group by k;
select k, count(*) from g group by k order by n;
select count(*) from g where count(*) > 1;
select count(count(*)) from g;
select k from g group by 3;
select k from g group by 'x';
select sum(k) from g;
select sum('1') from g;
select max(b) from g;
select lower(k order by k) from g;
select count(distinct n order by id) from g;
select k, sum(n) from g group by k having k > 'a' order by k;
select k || 'x', count(*) from g group by k || 'x' order by 1;
select upper(k), count(*) from g group by upper(k) order by 1;
select count(*) from g group by n > 2 order by 1;
select avg(n)::numeric(10,3), round(avg(x), 2) from g;
select sum(n) over_total from g;
select max(d) - min(d), max(i) from g;
select count(*) from (g join g g2 on g.id = g2.id);
select g.k, count(g2.id) from g left join g g2 on g.n = g2.n + 1 group by g.k order by 1;
select count(*) c from g group by k order by c, k;
select min(x) filter (where x > 0), max(big) filter (where big < 100) from g;
