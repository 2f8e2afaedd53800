-- Aggregate modifiers: DISTINCT, FILTER, ORDER BY inside the call; the
-- bool, statistics and json aggregates; result types via pg_typeof; empty and
-- all-NULL input; and argument / DISTINCT-ORDER BY errors.
drop table if exists ga_m, ga_nul;
create table ga_m (id int primary key, grp text, i int, b bigint, s smallint, n numeric, f float8, r real, t text, ok bool);
create table ga_nul (i int, n numeric, f float8, t text, ok bool);
insert into ga_m values
 (1, 'a', 3, 30, 3, 1.5, 1.5, 1.5, 'x', true),
 (2, 'a', 3, 30, 3, 1.5, 1.5, 1.5, 'y', true),
 (3, 'a', 1, 10, 1, 2.25, 2.25, 2.25, 'x', false),
 (4, 'b', null, null, null, null, null, null, null, null),
 (5, 'b', 7, 70, 7, 0.125, -4, -4, 'z', true),
 (6, null, 7, 70, 7, 10, 8, 8, 'y', null),
 (7, 'b', 2, 20, 2, 2.25, 2.25, 2.25, 'x', false);
insert into ga_nul values (null, null, null, null, null), (null, null, null, null, null);
-- DISTINCT
select count(distinct i), count(i), count(*), count(distinct t), count(distinct grp) from ga_m;
select sum(distinct i), sum(i), avg(distinct i), sum(distinct n), sum(distinct f) from ga_m;
select grp, count(distinct i), sum(distinct b) from ga_m group by grp order by grp nulls first;
select count(distinct i + b), count(distinct coalesce(t, $$?$$)), count(distinct (i)) from ga_m;
select min(distinct i), max(distinct t), string_agg(distinct t, ',' order by t) from ga_m;
select array_agg(distinct i order by i), array_agg(distinct i order by i desc nulls first) from ga_m;
select count(all i), sum(all i) from ga_m;
select count(distinct x), string_agg(distinct x::text, ',') from (values (1.0), (1.00), (1)) v(x);
select count(distinct x) from (values (0.0::float8), (-0.0::float8), ('NaN'::float8), ('NaN')) v(x);
-- FILTER
select count(*) filter (where i > 2), count(i) filter (where grp = 'a'), sum(i) filter (where ok) from ga_m;
select grp, count(*) filter (where ok), avg(n) filter (where n > 1) from ga_m group by grp order by grp nulls last;
select count(distinct t) filter (where id > 2), array_agg(id order by id) filter (where t = 'x') from ga_m;
select sum(i) filter (where false), count(*) filter (where null), count(*) filter (where true) from ga_m;
select count(*) filter (where i is null) from ga_m;
select sum(i) filter (where i > (select min(i) from ga_m)) from ga_m;
select count(*) filter (where count(*) > 1) from ga_m;
select count(*) filter (where i > 1) over () from ga_m where id = 1;
select upper(t) filter (where i > 1) from ga_m;
-- ORDER BY inside the call
select string_agg(t, ',' order by t), string_agg(t, ',' order by t desc, id), string_agg(t, '' order by id desc) from ga_m;
select string_agg(t, '-' order by i nulls first, id) from ga_m;
select string_agg(x, y order by x) from (values ('a', '-'), ('b', null), ('c', '+')) v(x, y);
select array_agg(i order by i using >), count(i order by i) from ga_m;
select grp, string_agg(t, ',' order by id) from ga_m group by grp order by grp nulls first;
select array_agg(i order by i), array_agg(i order by i desc nulls last), array_agg(t order by i, t desc) from ga_m;
select json_agg(i order by id desc), jsonb_agg(t order by t nulls first, id) from ga_m;
select json_agg(ga_m.grp order by id) filter (where id < 4) from ga_m;
select jsonb_agg(distinct t) from ga_m;
select string_agg(t::bytea, ','::bytea order by id) from ga_m where id < 3;
-- json_object_agg / jsonb_object_agg
select json_object_agg(id, t order by id) from ga_m;
select json_object_agg(t, i order by id) filter (where t is not null and id < 4) from ga_m;
select jsonb_object_agg(t, id order by id) filter (where t is not null) from ga_m;
select json_object_agg(t, i) from ga_m;
select grp, jsonb_object_agg(id, n) from ga_m group by grp order by grp nulls first;
-- bool aggregates
select bool_and(ok), bool_or(ok), every(ok) from ga_m;
select grp, bool_and(ok), bool_or(ok), every(ok) from ga_m group by grp order by grp nulls first;
select bool_and(i > 0), bool_or(i > 5), every(t <> 'q') from ga_m;
select bool_and(ok), bool_or(ok), every(ok) from ga_m where grp = 'b' and ok is null;
select bool_and(i) from ga_m;
-- statistics on int, bigint, smallint, numeric, float columns
select stddev(i), stddev_pop(i), stddev_samp(i), variance(i), var_pop(i), var_samp(i) from ga_m;
select stddev(b), variance(b), var_pop(s), stddev_samp(s) from ga_m;
select stddev(n), stddev_pop(n), stddev_samp(n), variance(n), var_pop(n), var_samp(n) from ga_m;
select stddev(f), stddev_pop(f), stddev_samp(f), variance(f), var_pop(f), var_samp(f) from ga_m;
select stddev(r), var_pop(r), pg_typeof(stddev(r)), pg_typeof(variance(r)) from ga_m;
select pg_typeof(stddev(i)), pg_typeof(variance(b)), pg_typeof(var_pop(n)), pg_typeof(stddev_samp(f)) from ga_m;
select stddev_samp(i), var_samp(n), stddev_pop(i), var_pop(f) from ga_m where id = 1;
select variance(i), stddev(n) from ga_m where i = 3;
select grp, round(stddev(n), 6), round(variance(i), 6) from ga_m group by grp order by grp nulls first;
-- sum / avg result types
select pg_typeof(sum(s)), pg_typeof(sum(i)), pg_typeof(sum(b)), pg_typeof(sum(n)), pg_typeof(sum(r)), pg_typeof(sum(f)) from ga_m;
select pg_typeof(avg(s)), pg_typeof(avg(i)), pg_typeof(avg(b)), pg_typeof(avg(n)), pg_typeof(avg(r)), pg_typeof(avg(f)) from ga_m;
select sum(s), sum(i), sum(b), sum(n), sum(r), sum(f) from ga_m;
select avg(s), avg(i), avg(b), avg(n), avg(r), avg(f) from ga_m;
select pg_typeof(count(*)), pg_typeof(min(s)), pg_typeof(max(r)), pg_typeof(sum(interval '1 day')) from ga_m;
select sum(x), pg_typeof(sum(x)) from (values (9223372036854775807::int8), (1::int8)) v(x);
select sum(x) from (values (2147483647), (1)) v(x);
select avg(x) from (values (9223372036854775807::int8), (9223372036854775807::int8)) v(x);
select sum(x) from (values (1e308::float8), (1e308::float8)) v(x);
-- empty input
select count(*), count(i), sum(i), avg(i), min(t), max(n), stddev(i), variance(f) from ga_m where false;
select string_agg(t, ','), array_agg(i), json_agg(i), jsonb_agg(i), json_object_agg(t, i), bool_and(ok), bool_or(ok), every(ok) from ga_m where false;
select count(distinct i), sum(distinct i), count(*) filter (where true) from ga_m where false;
select grp, count(*) from ga_m where false group by grp;
-- all-NULL input
select count(*), count(i), count(distinct i), sum(i), avg(n), min(t), max(f), stddev(i), var_pop(n) from ga_nul;
select string_agg(t, ','), array_agg(i), json_agg(t), jsonb_agg(n), bool_and(ok), every(ok) from ga_nul;
select array_agg(distinct i), count(distinct t), sum(distinct n) from ga_nul;
select json_object_agg('k', t), jsonb_object_agg('k', i) from ga_nul;
select jsonb_object_agg(t, i) from ga_nul;
-- errors
select string_agg(i, ',') from ga_m;
select string_agg(t, 1) from ga_m;
select string_agg(t) from ga_m;
select sum(t) from ga_m;
select avg(ok) from ga_m;
select array_agg(distinct i order by id) from ga_m;
select string_agg(distinct t, ',' order by id) from ga_m;
select count(distinct i order by t) from ga_m;
select json_agg(distinct t order by length(t)) from ga_m;
select count(*) filter (where i) from ga_m;
select count(*) filter (where 1) from ga_m;
select count(distinct *) from ga_m;
drop table ga_m, ga_nul;
