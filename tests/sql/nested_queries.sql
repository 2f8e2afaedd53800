-- Nested subqueries: three levels deep, correlated two levels up, derived tables
-- inside WHERE sublinks, EXISTS in CASE, sublinks in JOIN ON / HAVING / ORDER BY,
-- NULL scalar subqueries, IN with GROUP BY/HAVING, LIMIT inside, and LATERAL.
drop table if exists gf_dept, gf_emp, gf_proj, gf_lst;
create table gf_dept (id int primary key, name text, region text);
create table gf_emp (id int primary key, dept_id int, name text, salary int, boss int);
create table gf_proj (id int, emp_id int, hours int, tag text);
create table gf_lst (id int, n int, arr int[]);
insert into gf_dept values (1, 'eng', 'north'), (2, 'ops', 'south'), (3, 'hr', null), (4, 'empty', 'north');
insert into gf_emp values (1, 1, 'ann', 100, null), (2, 1, 'bob', 80, 1), (3, 1, 'cy', 80, 1), (4, 2, 'dee', 70, null), (5, 2, 'eve', null, 4), (6, 3, 'fay', 50, null), (7, null, 'gus', 60, 1);
insert into gf_proj values (1, 1, 10, 'a'), (2, 1, 5, 'b'), (3, 2, 7, 'a'), (4, 2, 7, 'a'), (5, 4, 3, null), (6, 9, 1, 'c'), (7, null, 2, 'a'), (8, 6, null, 'b');
insert into gf_lst values (1, 3, '{1,2,2}'), (2, 0, '{}'), (3, null, null), (4, 1, '{5,null}');
-- three levels deep, uncorrelated
select name from gf_emp where dept_id in (select id from gf_dept where region = (select region from gf_dept where name = 'eng')) order by name;
select id from gf_proj where emp_id in (select id from gf_emp where dept_id in (select id from gf_dept where region is not null)) order by id;
select (select (select max(hours) from gf_proj) - (select min(salary) from gf_emp));
-- correlated at depth two: innermost references the outermost query
select d.name from gf_dept d where exists (select 1 from gf_emp e where e.dept_id = d.id and exists (select 1 from gf_proj p where p.emp_id = e.id and p.hours > d.id * 4)) order by d.name;
select d.name, (select count(*) from gf_emp e where e.dept_id = d.id and e.salary > (select avg(salary) from gf_emp e2 where e2.dept_id = d.id)) as above from gf_dept d order by d.id;
select e.name from gf_emp e where e.salary = (select max(e2.salary) from gf_emp e2 where e2.dept_id = (select d.id from gf_dept d where d.id = e.dept_id)) order by e.name;
select d.id, (select sum(p.hours) from gf_proj p where p.emp_id in (select e.id from gf_emp e where e.dept_id = d.id)) from gf_dept d order by d.id;
select e.name from gf_emp e where not exists (select 1 from gf_proj p where p.emp_id = e.id and p.tag in (select tag from gf_proj p2 where p2.emp_id = e.boss)) order by e.name;
-- subqueries in FROM inside subqueries in WHERE
select name from gf_emp where salary > (select avg(s) from (select salary as s from gf_emp where dept_id = 1) x) order by name;
select name from gf_dept where id in (select dept_id from (select dept_id, count(*) c from gf_emp group by dept_id) g where c >= 2) order by name;
select e.name from gf_emp e where e.id in (select t.emp_id from (select emp_id, sum(hours) h from gf_proj group by emp_id) t where t.h > (select avg(salary) / 10 from gf_emp e2 where e2.dept_id = e.dept_id)) order by e.name;
select d.name from gf_dept d where exists (select 1 from (select dept_id from gf_emp where salary is null) z where z.dept_id = d.id) order by 1;
-- EXISTS inside CASE in the select list
select e.name, case when exists (select 1 from gf_proj p where p.emp_id = e.id) then 'busy' when e.boss is null then 'boss' else 'idle' end as st from gf_emp e order by e.id;
select d.name, case when not exists (select 1 from gf_emp e where e.dept_id = d.id) then 0 else (select count(*) from gf_emp e where e.dept_id = d.id) end from gf_dept d order by d.id;
select case when (select count(*) from gf_proj where tag is null) > 0 then exists (select 1 from gf_proj where hours is null) end;
-- sublinks in JOIN ON
select e.name, d.name from gf_emp e join gf_dept d on d.id = e.dept_id and d.id in (select dept_id from gf_emp where salary > 75) order by e.name;
select e.name, p.id from gf_emp e left join gf_proj p on p.emp_id = e.id and p.hours = (select max(hours) from gf_proj p2 where p2.emp_id = e.id) order by e.name, p.id;
select d.name, e.name from gf_dept d left join gf_emp e on e.dept_id = d.id and exists (select 1 from gf_proj p where p.emp_id = e.id) order by d.name, e.name;
select count(*) from gf_emp a join gf_emp b on a.salary = (select max(salary) from gf_emp) and b.boss = a.id;
-- sublinks in HAVING compared with aggregates
select dept_id, sum(salary) from gf_emp group by dept_id having sum(salary) > (select avg(salary) from gf_emp) order by dept_id;
select dept_id, count(*) from gf_emp e group by dept_id having count(*) >= all (select count(*) from gf_emp group by dept_id) order by dept_id;
select emp_id, sum(hours) from gf_proj group by emp_id having sum(hours) > (select min(salary) / 10 from gf_emp where id = gf_proj.emp_id) order by emp_id;
select tag, count(*) from gf_proj group by tag having exists (select 1 from gf_proj p where p.tag = gf_proj.tag and p.hours > 6) order by tag;
select dept_id from gf_emp group by dept_id having max(salary) in (select salary from gf_emp where boss is not null) order by dept_id nulls first;
-- sublinks in ORDER BY
select d.name from gf_dept d order by (select count(*) from gf_emp e where e.dept_id = d.id) desc, d.name;
select e.name from gf_emp e order by (select sum(hours) from gf_proj p where p.emp_id = e.id) nulls first, e.name;
select e.name from gf_emp e order by exists (select 1 from gf_emp s where s.boss = e.id), e.id;
-- scalar subqueries returning NULL
select (select salary from gf_emp where id = 5) as null_salary, (select salary from gf_emp where id = 42) as no_row;
select name, (select name from gf_emp b where b.id = e.boss) as boss_name from gf_emp e order by e.id;
select name from gf_emp where salary > (select salary from gf_emp where id = 99) order by name;
select coalesce((select max(hours) from gf_proj where emp_id = 3), 0), (select max(hours) from gf_proj where emp_id = 3) is null;
select id from gf_dept where region = (select region from gf_dept where id = 3) order by id;
-- IN subqueries with GROUP BY / HAVING inside
select name from gf_emp where id in (select emp_id from gf_proj group by emp_id having count(*) > 1) order by name;
select name from gf_emp where (dept_id, salary) in (select dept_id, max(salary) from gf_emp group by dept_id) order by name;
select name from gf_emp where id not in (select emp_id from gf_proj where emp_id is not null group by emp_id having sum(hours) > 5) order by name;
select name from gf_emp where salary in (select salary from gf_emp group by salary having count(*) > 1) order by name;
select name from gf_emp where dept_id in (select dept_id from gf_emp group by dept_id having count(salary) < count(*)) order by name;
-- subqueries with ORDER BY and LIMIT inside
select name from gf_emp where id in (select emp_id from gf_proj order by hours desc nulls last limit 2) order by name;
select name from gf_emp where salary = (select salary from gf_emp order by salary desc nulls last limit 1 offset 1) order by name;
select d.name, (select e.name from gf_emp e where e.dept_id = d.id order by e.salary desc nulls last, e.name limit 1) as top from gf_dept d order by d.id;
select * from (select name, salary from gf_emp order by salary nulls first limit 3) s order by name;
select name from gf_emp where id in (select id from gf_emp order by id limit 0) order by name;
-- LATERAL: top-N per group and correlated aggregates
select d.name, t.name, t.salary from gf_dept d cross join lateral (select name, salary from gf_emp e where e.dept_id = d.id order by salary desc nulls last, name limit 2) t order by d.name, t.salary desc, t.name;
select d.name, t.name from gf_dept d left join lateral (select name from gf_emp e where e.dept_id = d.id order by salary limit 1) t on true order by d.name;
select d.name, a.n, a.total from gf_dept d, lateral (select count(*) n, sum(salary) total from gf_emp e where e.dept_id = d.id) a order by d.name;
select e.name, x.h from gf_emp e join lateral (select sum(hours) h from gf_proj p where p.emp_id = e.id) x on x.h is not null order by e.name;
select e.name, x.c from gf_emp e, lateral (select count(*) c from gf_emp s where s.boss = e.id and s.salary < e.salary) x where x.c > 0 order by e.name;
select d.name, top.name from gf_dept d, lateral (select e.name from gf_emp e where e.dept_id = d.id and e.id in (select emp_id from gf_proj) order by e.id limit 1) top order by 1;
-- functions in FROM reading earlier items
select l.id, g from gf_lst l, generate_series(1, l.n) g order by l.id, g;
select l.id, u from gf_lst l, unnest(l.arr) u order by l.id, u nulls last;
select l.id, count(u) from gf_lst l left join lateral unnest(l.arr) u on true group by l.id order by l.id;
select l.id, g, (select count(*) from unnest(l.arr) a where a = g) from gf_lst l, generate_series(1, l.n) g order by 1, 2;
select l.id, s.total from gf_lst l, lateral (select sum(u) total from unnest(l.arr) u) s order by l.id;
select e.name, g from gf_emp e, generate_series(1, (select count(*)::int from gf_proj p where p.emp_id = e.id)) g order by e.name, g;
-- errors
select name from gf_emp where salary = (select salary from gf_emp where dept_id = 1);
select name from gf_emp where id in (select id, name from gf_emp);
select (select name, salary from gf_emp where id = 1);
select d.name from gf_dept d, (select e.name from gf_emp e where e.dept_id = d.id) s;
select * from gf_dept d where exists (select 1 from gf_emp e where e.dept_id = d.nosuch);
select dept_id from gf_emp group by dept_id having salary > (select 1);
select (select x.id from gf_emp) from gf_dept d;
drop table gf_dept, gf_emp, gf_proj, gf_lst;
create table ad (id int primary key, name text);
create table ae (id int, dept int, name text);
insert into ad values (1, 'eng'), (2, 'ops'), (3, 'empty');
insert into ae values (1, 1, 'ann'), (2, 1, 'bob'), (3, 2, 'cy'), (4, null, 'dee');
select array(select name from ae order by name);
select d.name, array(select e.name from ae e where e.dept = d.id order by e.name) from ad d order by d.id;
select d.name, array(select e.id from ae e where e.dept = d.id order by e.id desc) as ids, cardinality(array(select 1 from ae e where e.dept = d.id)) from ad d order by 1;
select array(select id, name from ae);
select array(select null::int union all select 1);
select pg_typeof(array(select 1.5)), array(select 'x' where false);
select id from ae where id = any(array(select id from ae where dept = 1)) order by 1;
drop table ad;
drop table ae;
