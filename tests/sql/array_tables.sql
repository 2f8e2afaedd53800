-- Arrays in tables: array columns of several types (typmods applied to
-- elements), subscripts, = ANY and @> in WHERE, ORDER BY and indexes over
-- arrays (element by element, NULL last, shorter first), array keys, COPY.
create table arr (id int primary key, tags text[], nums int[], ts timestamptz[], n numeric(4,1)[], v varchar(2)[]);
insert into arr values (1, '{a,b}', '{3,1,2}', '{"2024-01-01 00:00+00"}', '{1.25}', '{ab}'), (2, array['x', null], array[1], null, '{}', array['z']), (3, '{}', '{}', '{}', null, null);
insert into arr values (4, '{a}', '{1}', null, null, '{abc}');
insert into arr (id, tags) values (5, array[1, 2]);
insert into arr (id, nums) values (6, '{1.5}');
insert into arr (id, nums) values (7, array[1.5]);
select * from arr order by id;
select id, tags[1], nums[2], nums[1:2], cardinality(tags) from arr order by id;
select id from arr where 'a' = any(tags) order by id;
select id from arr where tags @> '{a}' order by id;
select id, nums from arr order by nums, id;
select id, tags from arr order by tags desc, id;
update arr set tags = tags || 'c' where id = 1;
update arr set nums = array_append(nums, 9) where id = 2;
select id, tags, nums from arr where id <= 2 order by id;
create index arr_nums on arr (nums);
select id from arr where nums = '{1,9}';
create table arrk (k int[] primary key);
insert into arrk values ('{1,2}'), ('{1}'), ('{}'), ('{1,null}');
insert into arrk values (array[1,2]);
select k from arrk order by k;
drop table arrk;
copy (select id, tags, nums from arr order by id) to stdout;
copy arr (id, tags, nums) from stdin;
10	{"with space","quote\\"d",NULL}	{7,8}
11	\N	{}
\.
select id, tags, tags[2], nums from arr where id >= 10 order by id;
copy arr (id, nums) from stdin;
12	{1,x}
\.
select id from arr where id >= 10 order by id;
drop table arr;
create table ua (id int primary key, a int[], t varchar(2)[], n int);
insert into ua values (1, '{1,2,3}', '{ab}', 5), (2, null, null, 6), (3, '{}', '{}', 7), (4, '[5:6]={1,2}', null, 8);
update ua set a[2] = 20 where id = 1;
update ua set a[5] = 50 where id = 1;
update ua set a[3] = 1 where id = 2;
update ua set a[0] = 9, t[1] = 'xyz' where id = 3;
update ua set a[3] = 3 where id = 4;
update ua set a[7] = n * 10, n = 0 where id = 4;
select id, a, t, n, array_lower(a, 1), array_upper(a, 1) from ua order by id;
update ua set a[null] = 1 where id = 1;
update ua set a[1] = 'x' where id = 1;
update ua set n[1] = 1 where id = 1;
update ua set a[1][2] = 1 where id = 1;
update ua set a['2'] = '7' where id = 1 returning a;
drop table ua;
