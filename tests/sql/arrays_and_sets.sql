-- unnest / generate_series in the select list alongside columns, with DISTINCT,
-- ORDER BY, LIMIT, subqueries and CTEs; re-aggregating unnested values; keyset
-- pagination by row comparison; (a, b) IN / NOT IN lists and subqueries with NULLs.
create table gg_baskets (id int primary key, owner text, items text[], qtys int[], n int);
insert into gg_baskets values
  (1, 'ann', '{apple,pear,apple}', '{1,2,3}', 2), (2, 'bob', '{}', '{}', 0), (3, 'cid', null, null, 3),
  (4, 'ann', '{kiwi}', '{5,6}', null), (5, 'dee', '{pear,null,fig}', '{2,null,1}', 1), (6, 'eve', '{fig,apple}', '{4}', 2);
create table gg_pairs (a int, b int, tag text);
insert into gg_pairs values (1, 1, 'x'), (1, 2, 'y'), (1, 2, 'y2'), (2, 1, null), (2, null, 'z'), (null, 3, 'w'), (3, 3, 'v'), (null, null, 'nn');
create table gg_allowed (x int, y int);
insert into gg_allowed values (1, 2), (2, 1), (3, 3), (4, null);
select id, owner, unnest(items) as item from gg_baskets order by id, item nulls first;
select id, unnest(items) as item, unnest(qtys) as q from gg_baskets order by id, item nulls last, q nulls last;
select id, generate_series(1, n) as g, owner from gg_baskets order by id, g;
select id, generate_series(1, n) as g, unnest(items) as item from gg_baskets where id in (1, 5, 6) order by id, g nulls last, item nulls last;
select distinct unnest(items) as item from gg_baskets order by item nulls first;
select distinct owner, unnest(items) as item from gg_baskets order by owner, item nulls first;
select unnest(items) as item from gg_baskets order by item nulls last limit 3;
select id, unnest(items) as item from gg_baskets order by id desc, item limit 4 offset 1;
select id, unnest(qtys) * 10 as q10, cardinality(items) as c from gg_baskets order by id, q10 nulls first;
select id, upper(unnest(items)) as item from gg_baskets where owner = 'ann' order by id, item;
select id, unnest(array[owner, owner || '2']) as o from gg_baskets where id < 3 order by id, o;
select id, generate_series(n, 1, -1) as down from gg_baskets where n > 0 order by id, down desc;
select id, generate_series(1, 7, 3) as step from gg_baskets where id = 1 order by step;
select item, count(*) from (select unnest(items) as item from gg_baskets) s group by item order by item nulls first;
select s.item, sum(s.q) from (select unnest(items) as item, unnest(qtys) as q from gg_baskets) s group by s.item order by 1 nulls first, 2;
select owner, count(item) from (select owner, unnest(items) as item from gg_baskets) s group by owner order by owner;
with exploded as (select id, unnest(items) as item from gg_baskets)
select item, array_agg(id order by id) from exploded group by item order by item nulls first;
with g as (select generate_series(1, 5) as k)
select k, (select count(*) from gg_baskets where n >= k) as baskets_with_n_ge_k from g order by k;
with seq as (select id, generate_series(1, coalesce(n, 0)) as slot from gg_baskets)
select id, max(slot), count(*) from seq group by id order by id;
select id, array_agg(item order by item) as sorted from (select id, unnest(items) as item from gg_baskets) s where item is not null group by id order by id;
select id, array_agg(distinct item order by item) from (select id, unnest(items) as item from gg_baskets) s group by id order by id;
select id, string_agg(item, '+' order by item) from (select id, unnest(items) as item from gg_baskets) s group by id order by id;
select b.id, b.items, x.sorted from gg_baskets b left join (select id, array_agg(item order by item) as sorted from (select id, unnest(items) as item from gg_baskets) s group by id) x on x.id = b.id order by b.id;
select id, sum(q) as total, max(q), count(q), count(*) from (select id, unnest(qtys) as q from gg_baskets) s group by id order by id;
select id from (select id, unnest(items) as item from gg_baskets) s where item = 'apple' group by id having count(*) > 1 order by id;
select count(*) from (select generate_series(1, n) from gg_baskets) s;
select sum(g) from (select generate_series(1, 100) as g) s;
select id, (select count(*) from (select unnest(b.items) as i) s where i = 'apple') from gg_baskets b order by id;
select id, unnest(items) from gg_baskets where id = 2;
select g / 10 as bucket, g % 10 as slot from (select generate_series(1, 35) as g) s where (g / 10, g % 10) > (1, 7) order by g limit 5;
select g / 10 as bucket, g % 10 as slot from (select generate_series(1, 35) as g) s where (g / 10, g % 10) > (2, 9) order by 1, 2 limit 5;
select g / 10 as bucket, g % 10 as slot from (select generate_series(1, 35) as g) s where (g / 10, g % 10) < (1, 3) order by 1 desc, 2 desc limit 4;
select a, b from (select g % 3 as a, g / 3 as b from generate_series(0, 11) g) s where (a, b) >= (1, 2) and (a, b) <= (2, 1) order by a, b;
select a, b, tag from gg_pairs where (a, b) > (1, 1) order by a, b, tag;
select a, b, tag from gg_pairs where (a, b, tag) > (1, 2, 'y') order by a, b, tag limit 3;
select a, b, tag from gg_pairs where (a, b) < (2, 2) order by a nulls first, b nulls first, tag;
select a, b, tag from gg_pairs where (a, b) = (2, null) or (a, b) <> (1, 2) order by a, b, tag;
select a, b, tag, (a, b) >= (2, 0) as ge, (a, b) is distinct from (2, null) as d from gg_pairs order by a, b, tag;
select a, b, tag from gg_pairs where (a, b) is not distinct from (null, 3) order by tag;
select a, b, tag from gg_pairs where (a, b) in ((1, 2), (2, 1), (null, 3)) order by a, b, tag;
select a, b, tag from gg_pairs where (a, b) not in ((1, 2), (2, 1)) order by a nulls first, b nulls first, tag;
select a, b, tag from gg_pairs where (a, b) not in ((1, 2), (2, null)) order by a, b, tag;
select count(*) filter (where (a, b) in ((1, 1), (1, 2))) as hits, count(*) filter (where (a, b) not in ((1, 1), (1, 2))) as misses, count(*) from gg_pairs;
select (a, b) in ((1, 2), (3, 3)) as hit, count(*) from gg_pairs group by 1 order by 1 nulls first;
select a, b, tag from gg_pairs where (a, b) in (select x, y from gg_allowed) order by a, b, tag;
select a, b, tag from gg_pairs where (a, b) not in (select x, y from gg_allowed) order by a, b, tag;
select a, b, tag from gg_pairs where (a, b) not in (select x, y from gg_allowed where y is not null) order by a nulls first, b nulls first, tag;
select a, b, tag from gg_pairs where not ((a, b) in (select x, y from gg_allowed)) order by a, b, tag;
select a, b, tag, (a, b) in (select x, y from gg_allowed) as member from gg_pairs order by a, b, tag;
select x, y, (x, y) in (select a, b from gg_pairs) as present, (x, y) not in (select a, b from gg_pairs where a is not null and b is not null) as absent from gg_allowed order by x;
select a, b, tag from gg_pairs p where (a, b) in (select x, y from gg_allowed where x = p.a) order by tag;
select a, b, tag from gg_pairs where (a, b + 0) in (select x, y from gg_allowed union select 3, 3) order by tag;
select count(*) from gg_pairs where (a, b) in (select g, g from generate_series(1, 3) g);
select a, b from gg_pairs where (a, b) in (select a, b from gg_pairs group by a, b having count(*) > 1) order by a, b;
select a, b, tag from gg_pairs where (a, b) = any (select x, y from gg_allowed) order by tag;
select a, b, tag from gg_pairs where (a, b) <> all (select x, y from gg_allowed where y is not null) order by a nulls first, b nulls first, tag;
select a, b, tag from gg_pairs where (a, b) in (select unnest(array[1, 2]), unnest(array[2, 1])) order by tag;
select id, item from (select id, unnest(items) as item from gg_baskets) s where (id, item) in ((1, 'apple'), (6, 'fig'), (5, null)) order by id, item;
select id, g from (select id, generate_series(1, n) as g from gg_baskets) s where (id, g) > (1, 1) and (id, g) < (6, 2) order by id, g;
select a, b, tag from gg_pairs where row(a, b) in (row(1, 1), row(3, 3)) order by tag;
select (a, b) in ((1, 2)) from gg_pairs where false;
select a, b from gg_pairs where (a, b) in ((1, 2, 3));
select a, b from gg_pairs where (a, b) in (select x from gg_allowed);
select a, b from gg_pairs where (a, b) in (select x, y, 1 from gg_allowed);
select a, b from gg_pairs where (a, b) > (1, 'x');
select id from gg_baskets where unnest(items) = 'kiwi';
select id, sum(unnest(qtys)) from gg_baskets group by id;
select unnest(owner) from gg_baskets;
select generate_series(1, 'a') from gg_baskets;
drop table gg_allowed;
drop table gg_pairs;
drop table gg_baskets;
