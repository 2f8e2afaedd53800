-- Set-returning functions in the select list (generate_series, unnest), in step
-- as PostgreSQL's ProjectSet: with other columns, several at once, under
-- DISTINCT / ORDER BY / LIMIT, in subqueries, and where they are not allowed.
create table sr (id int primary key, tags text[], n int);
insert into sr values (1, '{a,b,c}', 2), (2, '{}', 3), (3, null, 0), (4, '{d}', null);
select generate_series(1, 3);
select generate_series(1, 3) as g, 'x' as c;
select unnest('{1,2,3}'::int[]) + 1 as v;
select id, unnest(tags) from sr order by 1, 2;
select id, unnest(tags) as t, generate_series(1, n) as g from sr order by id, g nulls last, t;
select id, generate_series(1, n) from sr where id < 3 order by 1, 2;
select distinct unnest(tags) from sr order by 1;
select unnest(tags) as t from sr order by t desc limit 2;
select id, unnest(array[id, id * 10]) from sr order by 1, 2;
select generate_series(1, 2), generate_series(1, 4) order by 2;
select count(*) from (select unnest(tags) from sr) s;
select id from sr where unnest(tags) = 'a';
select sum(generate_series(1, 3));
select generate_series('2024-01-01'::timestamp, '2024-01-03'::timestamp, interval '1 day');
select id from sr where id = any(select unnest(tags)::int from sr where id = 4);
select id from sr where id in (select generate_series(1, 2)) order by 1;
drop table sr;
