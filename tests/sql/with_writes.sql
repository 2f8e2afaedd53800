-- Data-modifying WITH: INSERT / UPDATE / DELETE ... RETURNING as WITH queries,
-- run once before the statement (which sees the tables as they were), with
-- column lists and chained WITH queries, and PostgreSQL's errors.
create table wa (id int primary key, v text);
create table wlog (id int, note text);
insert into wa values (1, 'a'), (2, 'b'), (3, 'c');
with d as (delete from wa where id >= 2 returning id, v) select * from d order by id;
select * from wa order by id;
with i as (insert into wa values (5, 'e'), (6, 'f') returning id) select count(*), sum(id) from i;
with u as (update wa set v = upper(v) where id > 1 returning id, v) select u.id, u.v, wa.v as before from u join wa using (id) order by 1;
select * from wa order by id;
with i as (insert into wlog values (1, 'x') returning *) select 1 as one;
select * from wlog;
with d as (delete from wlog) select 1;
select count(*) from wlog;
with d as (delete from wa) select * from d;
select (with d as (delete from wa returning *) select count(*) from d);
with a as (insert into wlog values (7, 'seven') returning id), b as (select id * 10 as x from a) select * from b;
with m (k, note) as (delete from wlog returning *) select k, note from m order by k;
begin read only;
with d as (insert into wa values (9, 'z') returning id) select * from d;
rollback;
with d as (insert into wa values (1, 'dup') returning id) select * from d;
select * from wa order by id;
drop table wa;
drop table wlog;
