-- The simple protocol's plan cache: the same statement with other literals
-- gives their answers and their errors (typed as PostgreSQL types the
-- literals), literals that change the meaning (ordinals, typed literals,
-- type modifiers, constant expressions) keep it, and DDL or SET in between
-- makes the next run see the new table or setting.
create table pc (id int primary key, v text, n numeric);
insert into pc values (1, 'a', 1.5);
insert into pc values (2, 'it''s', -2.25);
insert into pc values (3, 'c', 12345678901234567890);
insert into pc values (4, null, 0);
select v from pc where id = 1;
select v from pc where id = 2;
select v from pc where id = 99;
select v from pc where id = '3';
select v from pc where id = 'x';
select v from pc where id = 2147483648;
select v from pc where id = -1;
select id from pc where n > -3 order by 1;
select id from pc where n > 1e2 order by 1;
select id from pc where n > .5 order by 1;
select id from pc where v = 'it''s';
select id from pc where v like 'i%' or v like '_';
select id from pc where id in (1, 3) order by id;
select id from pc where id in (2, 4, 99) order by id;
select id, v from pc order by 2 desc, 1;
select id, v from pc order by 1 desc;
select id from pc order by id limit 2;
select id from pc order by id limit 1 offset 2;
select id from pc order by id limit -1;
select -2147483648, pg_typeof(-2147483648), 2147483648, pg_typeof(2147483648);
select -9223372036854775808, pg_typeof(-9223372036854775808), 9223372036854775808;
select -32768::int2;
select (-32768)::int2;
select 1 - 1, 2 - -1, - 1, -(1), 1e3, 0.1 + 0.2, 1.50;
select id - 1 from pc where id = 2;
select 1 / 0;
select 1 / 1;
select coalesce(n, 1 / 0) from pc where id = 1;
select abs(-2147483648);
select abs(-5);
select '1' + 1, 'abc' || 1, 'a' = 'a';
select '5'::interval minute, interval '2' hour, cast('7' as int);
select date '2020-01-01' + 1, 'x' || 'y';
select v from pc where id = 1 and v = 'a';
select v from pc where id = 1 and v = 'b';
-- the table changes under the same statements
drop table pc;
select v from pc where id = 1;
create table pc (id text primary key, v int);
insert into pc values ('1', 10), ('2', 20);
select v from pc where id = 1;
select v from pc where id = '1';
select * from pc order by 1;
create index pc_v on pc (v);
select id from pc where v = 20;
select id from pc where v = 10;
drop table pc;
-- settings change what literals mean
create table pt (id int primary key, t timestamptz, i interval year);
set timezone = 'UTC';
insert into pt values (1, '2020-06-01 12:00', '7');
select t from pt where id = 1;
select timestamptz '2020-06-01 12:00:00';
set timezone = 'America/New_York';
insert into pt values (2, '2020-06-01 12:00', '8');
select t from pt where id = 2;
select timestamptz '2020-06-01 12:00:00';
select id, t, i from pt order by id;
reset timezone;
drop table pt;
-- the same literal twice is one parameter: expressions matched by their constants still match
create table pg2 (id int, x int);
insert into pg2 values (1, 1), (null, 2), (3, 2);
select id + 0, id, count(*) from pg2 group by rollup (id + 0, id) order by 1, 2, 3;
select distinct x + 1 from pg2 order by x + 1;
select id + 1 from pg2 group by id + 1 order by 1;
select id + 1 from pg2 group by id + 2 order by 1;
select coalesce(id, 7), count(*) from pg2 group by coalesce(id, 7) order by 1;
drop table pg2;
create table pg3 (id int, b text, c char(2), v varchar);
insert into pg3 values (1, 'a', 'x', 'x'), (null, null, null, null);
select coalesce(b, 'z'), b, count(*) from pg3 group by rollup (coalesce(b, 'z'), b) order by 1, 2, 3;
select pg_typeof(nullif(v, 'y')), pg_typeof(nullif(c, 'y')) from pg3 where id = 1;
drop table pg3;
