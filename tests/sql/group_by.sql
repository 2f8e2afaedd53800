-- GROUP BY: ordinals, expressions, functional dependency on a primary key,
-- NULL grouping keys, HAVING with and without GROUP BY, and the grouping
-- errors (42803 ungrouped column / aggregate misuse, 42P10 bad position).
drop table if exists ga_emp, ga_dept, ga_nopk;
create table ga_dept (id int primary key, name text, city text);
create table ga_emp (id int primary key, dept_id int, name text, salary int, bonus numeric, hired date);
create table ga_nopk (a int, b text);
insert into ga_dept values (1, 'eng', 'oslo'), (2, 'ops', 'rome'), (3, 'hr', null), (4, 'empty', 'oslo');
insert into ga_emp values
 (1, 1, 'ann', 100, 10, '2020-01-05'),
 (2, 1, 'bob', 120, null, '2021-03-01'),
 (3, 2, 'cid', 90, 5, '2020-07-15'),
 (4, 2, 'dan', 90, 5, '2022-01-01'),
 (5, null, 'eve', 80, null, null),
 (6, null, 'fay', null, 2.5, '2021-11-30'),
 (7, 3, 'gus', 70, 0, '2020-01-05'),
 (8, 1, 'ann', 110, 10, '2023-02-02');
insert into ga_nopk values (1, 'x'), (1, 'x'), (2, null), (null, 'y'), (null, null), (null, 'y');
-- ordinals
select dept_id, count(*) from ga_emp group by 1 order by 1 nulls first;
select name, dept_id, sum(salary) from ga_emp group by 2, 1 order by 1, 2;
select count(*), dept_id from ga_emp group by 2 order by 2 desc nulls last;
select dept_id + 0, count(*) from ga_emp group by 1 order by 1;
-- expressions
select salary / 50 as band, count(*) from ga_emp group by salary / 50 order by band nulls first;
select extract(year from hired) as yr, count(*), min(name) from ga_emp group by extract(year from hired) order by yr;
select upper(name), count(*) from ga_emp group by upper(name) order by 1;
select upper(name) || '!' as shout, count(*) from ga_emp group by upper(name) order by shout;
select salary > 95 as high, count(*), sum(salary) from ga_emp group by salary > 95 order by high nulls first;
select coalesce(dept_id, -1) as d, count(*) from ga_emp group by coalesce(dept_id, -1) order by d;
select dept_id * 10 + 1 as code, count(*) from ga_emp group by dept_id order by code nulls last;
select case when salary >= 100 then 'hi' else 'lo' end as lvl, count(*) from ga_emp group by 1 order by 1;
select name as dept_id, count(*) from ga_emp group by dept_id order by 1;
select dept_id, count(*) from ga_emp group by dept_id, dept_id order by 1;
select dept_id, count(*) from ga_emp group by (dept_id) order by 1;
select 1 as one, count(*) from ga_emp group by 1;
-- output-column names vs input columns, aliases inside expressions
select salary as s, count(*) from ga_emp group by s order by s nulls first;
select salary as s, count(*) from ga_emp group by s + 1;
select dept_id as name, count(*) from ga_emp group by name order by 1;
select salary + 1 from ga_emp group by 1 order by salary;
select (salary + 1) * 2 as x from ga_emp group by salary + 1 order by x nulls first;
-- grouping by several columns
select dept_id, salary, count(*) from ga_emp group by dept_id, salary order by dept_id nulls first, salary nulls first;
-- functional dependency on a primary key
select d.id, d.name, d.city, count(e.id) from ga_dept d left join ga_emp e on e.dept_id = d.id group by d.id order by d.id;
select d.*, sum(e.salary) from ga_dept d left join ga_emp e on e.dept_id = d.id group by d.id order by d.id;
select e.id, e.name, e.salary * 2 from ga_emp e group by e.id order by e.id;
select d.name, count(*) from ga_dept d join ga_emp e on e.dept_id = d.id group by d.id order by d.name;
select d.name, count(*) from ga_dept d join ga_emp e on e.dept_id = d.id group by d.id having d.city = 'oslo' order by 1;
select d.id, d.name, e.name from ga_dept d join ga_emp e on e.dept_id = d.id group by d.id order by 1;
select a, b from ga_nopk group by a order by 1;
select name, salary from ga_emp group by name order by 1;
-- 42803 ungrouped column in select list / ORDER BY / HAVING
select dept_id, name from ga_emp group by dept_id;
select dept_id, count(*) from ga_emp group by dept_id order by salary;
select dept_id, count(*) from ga_emp group by dept_id having salary > 10;
select upper(name), count(*) from ga_emp group by upper(name) order by name;
select salary + 1, count(*) from ga_emp group by salary + 2;
select name, count(*) from ga_emp;
select count(*) from ga_emp order by name;
-- 42P10 and 42601 GROUP BY positions
select dept_id, count(*) from ga_emp group by 3;
select dept_id from ga_emp group by 0;
select dept_id, count(*) from ga_emp group by 2;
select dept_id from ga_emp group by -1;
select count(*) from ga_emp group by 1;
select count(*) from ga_emp group by 1.5;
select count(*) from ga_emp group by null;
-- HAVING without GROUP BY
select count(*) from ga_emp having count(*) > 5;
select count(*) from ga_emp having count(*) > 50;
select 'x' as t from ga_emp having max(salary) > 100;
select sum(salary) from ga_emp having sum(salary) is not null;
select 1 from ga_emp having true;
select id from ga_emp having count(*) > 1;
select dept_id from ga_emp group by dept_id having count(*) over () > 0;
-- HAVING with aggregates not in the select list
select dept_id from ga_emp group by dept_id having count(*) > 1 order by 1 nulls first;
select dept_id, max(name) from ga_emp group by dept_id having avg(salary) > 85 and min(hired) < '2021-01-01' order by 1;
select dept_id from ga_emp group by dept_id having count(bonus) = 0 or sum(bonus) > 10 order by 1 nulls first;
select dept_id, count(*) from ga_emp group by dept_id having dept_id is null or dept_id > 1 order by 1;
select name from ga_emp group by name having count(distinct salary) > 1 order by 1;
select dept_id from ga_emp group by dept_id order by count(*) desc, dept_id nulls first;
select dept_id, sum(salary) from ga_emp group by dept_id order by sum(salary) desc nulls first, 1;
-- aggregates in WHERE, nested aggregates, aggregates in GROUP BY
select dept_id from ga_emp where count(*) > 1 group by dept_id;
select dept_id from ga_emp where sum(salary) > 100;
select max(count(*)) from ga_emp group by dept_id;
select sum(avg(salary)) from ga_emp;
select count(*) from ga_emp group by count(*);
select dept_id from ga_emp group by dept_id having sum(count(*)) > 1;
-- NULL grouping keys
select a, count(*) from ga_nopk group by a order by a nulls first;
select a, b, count(*) from ga_nopk group by a, b order by a nulls first, b nulls first;
select b, count(*), count(a), count(b) from ga_nopk group by b order by b nulls last;
select a is null as missing, count(*) from ga_nopk group by a is null order by 1;
select distinct a from ga_nopk group by a, b order by a nulls first;
select count(*) from (select a from ga_nopk group by a) s;
select a, count(*) from ga_nopk where false group by a;
select count(*) from ga_nopk where false;
select count(*) from ga_nopk where false having count(*) = 0;
-- grouping in subqueries
select s from (select salary as s from ga_emp) t group by s + 1;
select n, count(*) from (select dept_id, count(*) as n from ga_emp group by dept_id) s group by n order by n;
select d.name, (select count(*) from ga_emp e where e.dept_id = d.id) from ga_dept d group by d.id order by d.id;
drop table ga_emp, ga_dept, ga_nopk;
