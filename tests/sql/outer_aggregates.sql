-- Aggregates of outer query columns belong to the outer query (computed there,
-- read by the subquery), ungrouped columns a subquery reads, DISTINCT and
-- DISTINCT ON with aggregates in ORDER BY, and FROM items without aliases.
create table gx_a (id int, v int);
create table gx_b (id int);
insert into gx_a values (1, 10), (2, 20);
insert into gx_b values (1), (2), (3);
select distinct count(*) as c from (values (1),(1),(2)) v(x) group by x order by count(*);
select distinct on (count(*)) count(*) from (values (1),(1),(2)) v(x) group by x order by count(*);
select distinct on (3) id, v from gx_a;
select distinct on (1.5) id, v from gx_a;
select * from (values (1, 'a'), (2, 'b'));
select * from (select 1);
select (select sum(a.v)) from gx_a a;
select (select max(a.v) from gx_b) from gx_a a;
select id, (select count(*) from gx_b where gx_b.id <= gx_a.id) from gx_a order by id;
select sum(v), sum(v) + 1, count(*) from gx_a;
select id, count(*) from gx_a group by id having count(*) > 0 order by count(*), id;
drop table gx_a;
drop table gx_b;
create table gx_p (id int, v int);
insert into gx_p values (1, 10), (2, 20), (2, 5);
select gx_p.id from gx_p where gx_p.id = (select max(gx_p.id) from gx_p q);
select count(*), (select count(*) from gx_p q where q.id = max(gx_p.id)) from gx_p;
select (select sum(o.v) from gx_p i where i.id = o.id) from gx_p o;
select o.id, (select sum(o.v + i.v) from gx_p i where i.id = o.id) from gx_p o order by 1, 2;
select id, (select array_agg(o.v) from gx_p i) from gx_p o group by id order by id;
select (select (select sum(o.v)) from gx_p i limit 1) from gx_p o;
drop table gx_p;
