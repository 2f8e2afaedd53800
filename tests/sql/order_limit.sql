-- ORDER BY (ordinals, expressions, aliases, NULLS FIRST/LAST, hidden sort
-- columns) with DISTINCT and DISTINCT ON, and LIMIT / OFFSET with
-- expressions, NULL, zero, negative values, LIMIT ALL and their errors.
drop table if exists ga_ol;
create table ga_ol (id int primary key, cat text, v int, w numeric, name text);
insert into ga_ol values
 (1, 'b', 10, 1.5, 'kiwi'),
 (2, 'a', null, 2.5, 'Apple'),
 (3, 'b', 10, null, 'apple'),
 (4, null, 5, 0, 'fig'),
 (5, 'a', 20, -1, null),
 (6, 'c', null, 2.5, 'date'),
 (7, 'a', 5, 1.5, 'fig');
-- ordinals
select cat, v from ga_ol order by 1, 2, id;
select cat, v, id from ga_ol order by 2 desc, 3;
select v * 2, id from ga_ol order by 1 nulls first, 2;
select id from ga_ol order by 2;
select id from ga_ol order by 0;
select id from ga_ol order by -1;
select id, v from ga_ol order by 1.5;
select id from ga_ol order by 'x', id;
-- expressions
select id, v from ga_ol order by v % 3, id;
select id, name from ga_ol order by lower(name), id;
select id, name from ga_ol order by length(name) desc nulls last, id;
select id, v, w from ga_ol order by coalesce(v, 0) + coalesce(w, 0), id;
select id from ga_ol order by case when cat = 'a' then 0 else 1 end, id desc;
select id from ga_ol order by (select 1), id;
-- aliases
select id as k, v as val from ga_ol order by val nulls first, k;
select id, v as cat from ga_ol order by cat, id;
select id, v * -1 as neg from ga_ol order by neg, id;
select id, v as val from ga_ol order by val + 1, id;
select id, v as val from ga_ol order by -val;
select id as x, v as x from ga_ol order by x;
select id as "Key" from ga_ol order by "Key" desc;
select id as key from ga_ol order by "key" desc limit 2;
-- NULLS FIRST / LAST with ASC / DESC
select id, v from ga_ol order by v, id;
select id, v from ga_ol order by v desc, id;
select id, v from ga_ol order by v asc nulls first, id;
select id, v from ga_ol order by v desc nulls last, id;
select id, cat, v from ga_ol order by cat nulls first, v desc nulls first, id;
select id, name from ga_ol order by name collate "C" nulls first, id;
-- ORDER BY a column not in the select list
select name from ga_ol order by id desc;
select cat from ga_ol order by v nulls first, id;
select upper(cat) from ga_ol order by w desc nulls last, id;
select cat, count(*) from ga_ol group by cat order by max(id);
-- DISTINCT with ORDER BY
select distinct cat from ga_ol order by cat nulls first;
select distinct cat, v from ga_ol order by v desc nulls last, cat;
select distinct v from ga_ol order by v desc;
select distinct cat from ga_ol order by id;
select distinct cat from ga_ol order by upper(cat);
select distinct upper(cat) as u from ga_ol order by u;
select distinct v + 1 from ga_ol order by v + 1;
select distinct v from ga_ol order by v + 1;
select distinct cat from ga_ol order by 1 desc;
-- DISTINCT ON
select distinct on (cat) cat, id, v from ga_ol order by cat, id;
select distinct on (cat) cat, id, v from ga_ol order by cat nulls first, v desc nulls last, id;
select distinct on (cat, v) cat, v, id from ga_ol order by cat, v, id desc;
select distinct on (v) v, name from ga_ol order by v desc, name;
select distinct on (1) cat, id from ga_ol order by 1, 2;
select distinct on (upper(cat)) cat, id from ga_ol order by upper(cat), id;
select distinct on (cat) cat, id from ga_ol order by id;
select distinct on (cat) cat, id from ga_ol order by v, cat;
select distinct on (cat, v) cat, v from ga_ol order by v, cat;
select distinct on (cat, v) cat, v from ga_ol order by cat nulls first;
select distinct on (cat) id from ga_ol order by cat, id desc limit 2;
-- LIMIT / OFFSET
select id from ga_ol order by id limit 2 + 1;
select id from ga_ol order by id limit (select count(*) from ga_ol where cat = 'a');
select id from ga_ol order by id limit null;
select id from ga_ol order by id limit all;
select id from ga_ol order by id limit all offset 5;
select id from ga_ol order by id limit 0;
select id from ga_ol order by id offset 0;
select id from ga_ol order by id offset null;
select id from ga_ol order by id offset 4;
select id from ga_ol order by id offset 2 * 2 limit 10 / 5;
select id from ga_ol order by id limit 2.6;
select id from ga_ol order by id offset 4.5;
select id from ga_ol order by id limit '3';
select id from ga_ol order by id limit -1;
select id from ga_ol order by id offset -1;
select id from ga_ol order by id limit 1 offset -2;
select id from ga_ol order by id limit 'x';
select id from ga_ol order by id limit (select max(v) / 10 from ga_ol);
select id from ga_ol order by id limit count(*);
select id from ga_ol order by id limit 1 limit 2;
select count(*) from ga_ol limit 0;
select id from ga_ol order by id limit 9223372036854775807;
select id from ga_ol order by id offset 9223372036854775807;
select id, v from ga_ol order by v nulls first, id limit 3 offset 1;
select * from (select id from ga_ol order by id desc limit 3) s order by id;
drop table ga_ol;
create table dn (cat text, v int, id int);
insert into dn values ('a', 1, 1), ('a', 2, 2), (null, 1, 3), ('b', null, 4), ('b', null, 5), ('a', 1, 6);
select distinct on (cat, v) cat, v from dn order by cat nulls first;
select distinct on (cat, v) cat, v, id from dn order by cat, v, id desc;
select distinct on (v, cat) cat, v from dn order by cat desc;
select distinct on (cat) cat, v from dn order by v;
select distinct on (cat) cat, v from dn;
drop table dn;
select 1 as a order by null;
select 1 as a order by true;
select 1 as a order by - 1;
select 1 as a group by -1;
select count(*) from (select 1) t group by 1;
select a from (select 1 as a) t group by a + 1;
select a from (values (1)) t(a) limit a;
select a from (values (1)) t(a) offset a;
select x from generate_series(1, 5) x order by x limit 2.5 offset 1.5;
select 1 limit 1e20;
