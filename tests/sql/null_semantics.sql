-- NULL semantics in queries: joins, IN / NOT IN, aggregates, ORDER BY NULLS
-- FIRST/LAST, DISTINCT / GROUP BY / set operations treating NULLs as equal,
-- IS DISTINCT FROM, CASE, NULLIF, COALESCE, concatenation, greatest/least, 3VL.
drop table if exists gf_l, gf_r, gf_allnull, gf_b3;
create table gf_l (id int, k int, s text, amt numeric);
create table gf_r (id int, k int, s text);
create table gf_allnull (x int, y numeric, t text);
create table gf_b3 (id int, p boolean, q boolean);
insert into gf_l values (1, 1, 'a', 10), (2, 2, null, null), (3, null, 'c', 5), (4, null, null, 5), (5, 2, 'a', null), (6, 3, '', 0);
insert into gf_r values (1, 1, 'a'), (2, null, null), (3, 2, 'b'), (4, null, 'c'), (5, 4, '');
insert into gf_allnull values (null, null, null), (null, null, null);
insert into gf_b3 values (1, true, true), (2, true, false), (3, true, null), (4, false, false), (5, false, null), (6, null, null);
-- joins: = never matches NULL
select l.id, r.id from gf_l l join gf_r r on l.k = r.k order by 1, 2;
select l.id, r.id from gf_l l left join gf_r r on l.k = r.k order by 1, 2 nulls first;
select l.id, r.id from gf_l l full join gf_r r on l.k = r.k order by 1 nulls first, 2 nulls first;
select l.id, r.id from gf_l l join gf_r r on l.s = r.s order by 1, 2;
select l.id, r.id from gf_l l join gf_r r using (k) order by 1, 2;
select k, l.id, r.id from gf_l l full join gf_r r using (k) order by k nulls first, 2 nulls first, 3 nulls first;
select l.id from gf_l l where not exists (select 1 from gf_r r where r.k = l.k) order by 1;
-- IS DISTINCT FROM in joins and WHERE
select l.id, r.id from gf_l l join gf_r r on l.k is not distinct from r.k order by 1, 2;
select l.id, r.id from gf_l l join gf_r r on l.s is not distinct from r.s and l.id = r.id order by 1;
select id from gf_l where k is distinct from 2 order by id;
select id from gf_l where s is not distinct from null order by id;
select id, k is distinct from null, k <> 2, k is distinct from 2 from gf_l order by id;
-- IN and NOT IN lists and subqueries
select id from gf_l where k in (1, null) order by id;
select id from gf_l where k not in (1, null) order by id;
select id from gf_l where k not in (1, 3) order by id;
select id, k in (1, 2), k not in (1, 2), k in (1, null), k not in (3, null) from gf_l order by id;
select id from gf_l where k in (select k from gf_r) order by id;
select id from gf_l where k not in (select k from gf_r) order by id;
select id from gf_l where k not in (select k from gf_r where k is not null) order by id;
select id from gf_l where s not in (select s from gf_r where s is not null) order by id;
select id, k = any (select k from gf_r), k <> all (select k from gf_r where k is not null) from gf_l order by id;
select null::int in (select k from gf_r where false), null::int not in (select k from gf_r where false);
-- aggregates
select count(*), count(k), count(s), count(amt), count(distinct k), count(distinct s) from gf_l;
select count(*), count(x), sum(x), avg(y), min(t), max(x), sum(y) is null from gf_allnull;
select sum(x), avg(x), count(x), bool_and(x > 0), string_agg(t, ','), array_agg(x) from gf_allnull;
select count(*), sum(amt), avg(amt), min(amt), max(amt) from gf_l where id > 100;
select k, count(*), count(amt), sum(amt), avg(amt) from gf_l group by k order by k nulls first;
select s, count(*) from gf_l group by s order by s nulls first;
select coalesce(sum(amt), 0), coalesce(max(s), '-') from gf_l where k is null and s is null and amt is null;
select array_agg(k order by k nulls first), string_agg(s, '|' order by id) from gf_l;
-- ORDER BY with NULLS FIRST / LAST and the DESC default
select id, k from gf_l order by k, id;
select id, k from gf_l order by k desc, id;
select id, k from gf_l order by k nulls first, id;
select id, k from gf_l order by k desc nulls last, id;
select id, s from gf_l order by s asc nulls first, id desc;
select id, amt from gf_l order by amt desc, k desc nulls last, id;
select k from gf_l order by k desc limit 2;
-- DISTINCT and GROUP BY treat NULLs as equal
select distinct k from gf_l order by k nulls first;
select distinct k, s from gf_l order by k, s;
select count(distinct k), count(*) from (select distinct k from gf_l) d;
select distinct on (k) k, id from gf_l order by k, id;
select k, s, count(*) from gf_l group by k, s order by k nulls first, s nulls first;
-- set operations with NULLs
select k from gf_l union select k from gf_r order by 1;
select k from gf_l union all select k from gf_r order by 1 nulls first;
select k from gf_l intersect select k from gf_r order by 1;
select k from gf_l except select k from gf_r order by 1;
select k from gf_r except select k from gf_l order by 1;
select k, s from gf_l intersect select k, s from gf_r order by 1, 2;
select k, s from gf_l except all select k, s from gf_r order by 1, 2;
select null::int union select null union select 1 order by 1;
-- CASE with NULL comparisons
select id, case when k = null then 'eq' when k is null then 'isnull' else 'other' end from gf_l order by id;
select id, case k when null then 'null' when 2 then 'two' else 'else' end from gf_l order by id;
select id, case when k > 1 then 'gt' when not (k > 1) then 'le' else 'unknown' end from gf_l order by id;
select id, case when s <> '' then s end from gf_l order by id;
-- NULLIF and COALESCE chains
select id, nullif(s, ''), nullif(k, 2), coalesce(nullif(s, ''), 'empty') from gf_l order by id;
select id, coalesce(k, amt, -1), coalesce(s, k::text, amt::text, 'none') from gf_l order by id;
select coalesce(null, null, 3), coalesce(null::text, null), nullif(null::int, 1), nullif(1, null::int);
select id, count(*) over () from gf_l where coalesce(k, 0) = 0 order by id;
-- string concatenation with NULL vs concat()
select id, s || '-' || k, concat(s, '-', k), concat_ws('-', s, k) from gf_l order by id;
select 'a' || null, concat('a', null), concat(null, null), concat_ws(',', null, null), concat_ws(null, 'a', 'b');
select id from gf_l where s || 'x' is null order by id;
select string_agg(s || '!', ',' order by id), string_agg(coalesce(s, '?'), ',' order by id) from gf_l;
-- greatest / least with NULLs
select id, greatest(k, amt), least(k, amt), greatest(k, null), least(null::int, null) from gf_l order by id;
select greatest(null, 1, 2), least(3, null, 2), greatest(s, 'b') from gf_l where id = 1;
-- three-valued logic in WHERE and select lists
select id, p and q, p or q, not p from gf_b3 order by id;
select id from gf_b3 where p and q order by id;
select id from gf_b3 where not (p and q) order by id;
select id from gf_b3 where p or q order by id;
select id from gf_b3 where not (p or q) order by id;
select id from gf_b3 where (p and q) is unknown order by id;
select id from gf_b3 where q is not false order by id;
select null and false, null and true, null or true, null or false, not null::boolean;
select id from gf_l where not (k > 1) order by id;
select count(*) filter (where p), count(*) filter (where not p), count(*) filter (where p is null), bool_and(p), bool_or(q) from gf_b3;
-- errors
select id from gf_l where k = null::text;
select coalesce(k, 'none') from gf_l;
select nullif(s, 1) from gf_l;
select greatest(k, s) from gf_l;
select id from gf_l where null;
select id from gf_l where k;
drop table gf_l, gf_r, gf_allnull, gf_b3;
