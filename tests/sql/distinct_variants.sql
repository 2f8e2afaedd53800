-- DISTINCT on expressions and several columns with NULLs, DISTINCT ON with several keys and
-- DESC orders, count(DISTINCT) over joins, DISTINCT in subqueries and CTEs, with LIMIT /
-- OFFSET, SELECT DISTINCT *, text differing in case, and the errors users hit.
drop table if exists ge_d, ge_o, ge_dup;
create table ge_d (id int primary key, a int, b text, c numeric);
insert into ge_d values
  (1, 1, 'apple', 1.5), (2, 1, 'Apple', 1.5), (3, 2, 'APPLE', null), (4, null, 'pear', 2),
  (5, 2, null, 2.0), (6, null, null, null), (7, 3, 'pear', -1), (8, 1, 'apple', 0),
  (9, 3, 'Pear', 2), (10, null, 'pear', 2.00);
create table ge_o (oid int primary key, cust int, item text, qty int);
insert into ge_o values
  (1, 1, 'x', 1), (2, 1, 'x', 2), (3, 1, 'y', 1), (4, 2, 'x', null), (5, 3, 'z', 3),
  (6, 3, 'z', 3), (7, 4, null, 1), (8, 99, 'x', 5), (9, null, 'y', 2), (10, 7, 'Y', 2);
create table ge_dup (a int, b text, c int);
insert into ge_dup values (1, 'x', null), (1, 'x', null), (null, null, null), (null, null, null),
  (2, 'y', 1), (2, 'y', 1), (2, 'Y', 1), (null, 'x', 1);
-- DISTINCT on columns and expressions
select distinct a from ge_d order by a nulls first;
select distinct a, b from ge_d order by a, b;
select distinct b from ge_d order by b;
select distinct lower(b) as lb from ge_d order by lb nulls first;
select distinct upper(b), length(b) from ge_d order by 1, 2;
select distinct a % 2 as parity from ge_d order by parity;
select distinct coalesce(a, -1) as a0 from ge_d order by a0 desc;
select distinct a is null as an, b is null as bn from ge_d order by an, bn;
select distinct case when a > 1 then 'big' when a <= 1 then 'small' end as sz from ge_d order by sz;
select distinct c from ge_d where c is not null and c <> 2 order by c;
select count(*) from (select distinct c from ge_d) s;
select distinct a, a from ge_d order by 1;
select distinct 'k' as k, a from ge_d order by 2;
select distinct 1 as one from ge_d;
select distinct null as n from ge_d;
select distinct a from ge_d where false;
select distinct array[a, a * 2] as arr from ge_d order by 1;
select distinct b collate "C" as b from ge_d order by 1;
-- SELECT DISTINCT * and duplicates of all-NULL rows
select distinct * from ge_dup order by a, b, c;
select distinct * from ge_dup where a is null order by b nulls first;
select count(*), count(distinct a), count(distinct b), count(distinct c) from ge_dup;
select distinct b, c from ge_dup order by b desc nulls last, c;
-- DISTINCT with LIMIT / OFFSET / FETCH
select distinct a from ge_d order by a desc limit 2;
select distinct a from ge_d order by a limit 2 offset 1;
select distinct b from ge_d order by b nulls first offset 3;
select distinct lower(b) from ge_d order by 1 fetch first 2 rows only;
select distinct a from ge_d order by a limit 0;
-- DISTINCT ON with several keys and DESC orders
select distinct on (a, b) a, b, id from ge_d order by a desc, b desc nulls last, id desc;
select distinct on (b, a) b, a, c from ge_d order by b, a, c desc nulls last, id;
select distinct on (lower(b), a % 2) lower(b), a % 2, id from ge_d order by lower(b), a % 2, id;
select distinct on (a) a, b from ge_d order by a desc nulls last, b desc, id limit 3;
select distinct on (a) * from ge_d order by a, id desc;
select distinct on (c) c, id from ge_d order by c nulls first, id;
select distinct on (cust) cust, item, qty from ge_o order by cust, qty desc nulls last, item offset 1 limit 3;
-- count(DISTINCT) and sum(DISTINCT) over joins
select count(distinct o.cust), count(distinct o.item), count(*) from ge_d d join ge_o o on o.cust = d.id;
select d.a, count(distinct o.item), count(o.item) from ge_d d left join ge_o o on o.cust = d.id group by d.a order by d.a nulls first;
select count(distinct d.b), count(distinct lower(d.b)), sum(distinct o.qty), sum(o.qty) from ge_d d join ge_o o on o.cust = d.id;
select o.item, count(distinct d.a) from ge_o o left join ge_d d on d.id = o.cust group by o.item order by o.item nulls first;
select count(distinct o.qty) filter (where o.qty > 1), avg(distinct o.qty) from ge_o o join ge_d d on d.id = o.cust;
-- DISTINCT in subqueries and CTEs
select id from ge_d where a in (select distinct qty from ge_o) order by id;
select * from (select distinct a, b from ge_d) s where a > 1 order by a, b;
select id, (select count(distinct item) from ge_o where cust = d.id) as n from ge_d d order by id;
with u as (select distinct cust from ge_o) select d.id from ge_d d join u on u.cust = d.id order by 1;
with x as (select distinct on (cust) cust, item from ge_o order by cust, qty desc, item) select * from x order by cust nulls first;
with b as (select distinct lower(b) as lb from ge_d) select count(*), count(lb) from b;
select distinct a from ge_d union all select distinct qty from ge_o order by 1;
select distinct s.n from (select a + 1 as n from ge_d union all select qty from ge_o) s order by 1 nulls first;
select distinct count(*) from ge_d group by a order by 1;
select distinct sum(qty) over (partition by cust) as t from ge_o order by t;
select exists (select distinct a from ge_d where a = 3);
-- equal values with different spellings count once
select count(distinct x) from (values (interval '1 day'), (interval '24 hours'), (interval '1 month'), (interval '30 days')) v(x);
select count(distinct x) from (values (0.0::float8), (-0.0::float8), ('NaN'), ('NaN')) v(x);
select count(distinct x) from (values ('a'::char(3)), ('a  '::char(3)), ('A')) v(x);
select count(distinct x) from (values ('{"a":1,"b":2}'::jsonb), ('{"b":2,"a":1}'), ('{"a":1}')) v(x);
select count(distinct x), count(x), count(*) from (values (true), (null), (false), (null), (true)) v(x);
select distinct on (a % 2) a % 2 as m, id from ge_d order by a % 2, id desc;
select distinct a from ge_d order by a using >;
select distinct on (a) a, count(*) from ge_d group by a order by a nulls first, count(*);
-- errors
select distinct a from ge_d order by b;
select distinct a::text from ge_d order by a;
select distinct a from ge_d order by a + 0;
select distinct a from ge_d order by 2;
select distinct on (a) b from ge_d order by b;
select distinct on (a) a, b from ge_d order by b, a;
select distinct on (1) a, b from ge_d order by 2;
select distinct on (nosuch) a from ge_d;
select distinct on a, b from ge_d;
select distinct on (a desc) a from ge_d;
select all distinct a from ge_d;
select count(distinct a, b) from ge_d;
select distinct a from ge_d order by a limit -1;
drop table ge_d, ge_o, ge_dup;
