-- WITH queries: several, with column lists, referenced more than once, in
-- subqueries and sublinks; WITH RECURSIVE with UNION ALL and UNION (trees,
-- chains, Fibonacci), its type rule, and the errors.
create table e (id int primary key, boss int, name text);
insert into e values (1, null, 'ceo'), (2, 1, 'cto'), (3, 1, 'cfo'), (4, 2, 'dev'), (5, 4, 'intern'), (6, 3, 'acct');
with t as (select id, name from e where boss = 1) select * from t order by id;
with t(a, b) as (select id, name from e) select a, b from t where a > 4 order by a;
with t as (select 1 as x), u as (select x + 1 as y from t) select * from t, u;
with t as (select id from e) select count(*) from t t1 join t t2 on t1.id = t2.id;
with recursive r(n) as (select 1 union all select n + 1 from r where n < 5) select * from r;
with recursive r(n) as (select 1 union select n % 3 + 1 from r) select * from r order by n;
with recursive chain as (
  select id, boss, name, 1 as depth from e where id = 5
  union all
  select e.id, e.boss, e.name, chain.depth + 1 from e join chain on e.id = chain.boss
) select name, depth from chain order by depth;
with recursive sub as (
  select id, name, name::text as path from e where boss is null
  union all
  select e.id, e.name, sub.path || '/' || e.name from e join sub on e.boss = sub.id
) select path from sub order by path;
with recursive fib(a, b) as (select 0::bigint, 1::bigint union all select b, a + b from fib where b < 100) select a from fib;
select * from (with t as (select 2 as v) select v * 10 from t) s;
select (with t as (select max(id) as m from e) select m from t);
select id from e where id in (with t as (select boss from e) select boss from t) order by id;
with t as (select 1) select * from t, t;
with t as (select 1 as a) select * from t t1, t t2;
with t(a, b) as (select 1) select * from t;
with t as (select 1), t as (select 2) select 1;
with recursive r as (select * from r) select 1;
with recursive r(n) as (select n from r union all select 1) select 1;
with recursive r(n) as (select 1 union all select n + 1.5 from r where n < 3) select * from r;
with recursive r(n) as (select 1::numeric union all select n + 1.5 from r where n < 3) select * from r;
with t as (select id from e) select * from t where id = (select max(id) from t);
with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select n, (select count(*) from r) from r order by n;
with recursive t(n) as (values (1) union all select n + 1 from t where n < 4) select sum(n) from t;
with t as (select 5) select * from t;
with nosuch as (select 1) select * from e where false;
with recursive t(x) as (select 1 union all select x + 1 from t where x < 3), u as (select x * 2 as y from t) select * from u order by y;
