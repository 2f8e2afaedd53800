-- What ORMs and apps send for paging and lookups: LIMIT/OFFSET pages, keyset
-- pagination with row comparisons on timestamp+int and text+int keys (ties,
-- descending), IN lists, = ANY(array), case-insensitive search, typed ids.
drop table if exists gd_posts, gd_users;
create table gd_users (id bigint primary key, email text, username varchar(30), created_at timestamp, score numeric(8,2), deleted_at timestamp);
create table gd_posts (id int primary key, author_id bigint, title text, created_at timestamp, views int, slug text);
insert into gd_users values
  (1, 'Ann@Example.com', 'ann', '2024-01-01 09:00', 10.5, null), (2, 'bob@example.com', 'Bob', '2024-01-01 09:00', null, null),
  (3, 'CID@EXAMPLE.COM', 'cid_1', '2024-01-01 09:00', 3, '2024-02-01'), (4, 'dee@test.org', 'dee%', '2024-01-02 00:00', 10.5, null),
  (5, null, 'eve', '2024-01-02 00:00', 0, null), (6, 'fay@example.com', 'Fay_x', null, -1, null),
  (7, 'gus@Example.COM', 'gus', '2024-01-03 12:30', 7.25, null), (8, 'hal@test.org', 'HAL', '2024-01-03 12:30', 7.25, null),
  (9, 'ivy@example.com', 'ivy\dev', '2024-01-04 00:00', null, '2024-03-01'), (10, 'jo@example.com', 'jo', '2024-01-05 08:15', 1, null);
insert into gd_posts values
  (1, 1, 'Hello World', '2024-02-01 10:00', 100, 'hello-world'), (2, 1, 'hello again', '2024-02-01 10:00', 5, 'hello-again'),
  (3, 2, 'Postgres Tips', '2024-02-01 10:00', null, 'postgres-tips'), (4, 3, '100% Coverage', '2024-02-02 00:00', 42, '100-coverage'),
  (5, 4, 'under_score', '2024-02-02 00:00', 42, 'under_score'), (6, 2, 'Zebra', '2024-02-03 00:00', 0, 'zebra'),
  (7, 7, 'apple', '2024-02-03 00:00', 7, 'apple'), (8, 8, 'Apple', '2024-02-03 00:00', 7, 'apple-2'),
  (9, null, 'orphan', null, 1, null), (10, 10, 'Ünïcode', '2024-02-04 12:00', 3, 'unicode'), (11, 1, 'hello', '2024-02-05 00:00', 5, 'hello');
-- limit / offset pages
select id, title from gd_posts order by created_at, id limit 3;
select id, title from gd_posts order by created_at, id limit 3 offset 3;
select id, title from gd_posts order by created_at, id limit 3 offset 9;
select id, title from gd_posts order by created_at, id limit 3 offset 30;
select id from gd_posts order by created_at desc nulls last, id desc limit 4 offset 2;
select id from gd_posts order by views desc nulls last, id limit 5;
select count(*) over () as total, id, title from gd_posts order by id limit 3 offset 3;
select (select count(*) from gd_posts where author_id = 1) as total, id from gd_posts where author_id = 1 order by created_at desc, id desc limit 2;
select id from gd_posts order by id limit 3 offset -1;
select id from gd_posts order by id limit -3;
select id from gd_posts order by id limit '2';
select id from gd_posts order by id offset 8 rows fetch next 2 rows only;
-- keyset on timestamp + int
select id, created_at from gd_posts where (created_at, id) > ('2024-02-01 10:00', 1) order by created_at, id limit 3;
select id, created_at from gd_posts where (created_at, id) > ('2024-02-02 00:00', 5) order by created_at, id limit 3;
select id, created_at from gd_posts where (created_at, id) > ('2024-02-03 00:00', 8) order by created_at, id limit 3;
select id, created_at from gd_posts where (created_at, id) > ('2024-02-05 00:00', 11) order by created_at, id limit 3;
select id from gd_posts where created_at > '2024-02-01 10:00' or (created_at = '2024-02-01 10:00' and id > 2) order by created_at, id limit 3;
select id from gd_posts where (created_at, id) >= ('2024-02-02', 4) and (created_at, id) < ('2024-02-03', 8) order by created_at, id;
select id from gd_posts where (created_at, id) > (timestamp '2024-02-01 10:00', 3) order by created_at, id limit 2;
select id from gd_posts where (created_at, id) > ('2024-02-01 10:00'::timestamp, 3::bigint) order by created_at, id limit 2;
select id from gd_posts where (created_at, id) > (null, 3) order by id;
select id from gd_posts where (created_at, id) > ('2024-02-01 10:00', null) order by id;
select id from gd_posts where (created_at, id) > ('not a date', 1) order by id;
select id from gd_posts where (created_at, id) > ('2024-02-01', 1, 2) order by id;
select id from gd_posts where (created_at, id) > ('2024-02-01', 'x') order by id;
-- descending keyset
select id, created_at from gd_posts where created_at is not null and (created_at, id) < ('2024-02-03 00:00', 7) order by created_at desc, id desc limit 3;
select id, created_at from gd_posts where (created_at, id) < ('2024-02-01 10:00', 3) order by created_at desc, id desc limit 3;
select id, views from gd_posts where views is not null and (views, id) < (42, 5) order by views desc, id desc limit 3;
select id, views from gd_posts where (views < 42 or (views = 42 and id > 4)) order by views desc, id limit 3;
-- keyset on text + int, with ties and case
select id, username from gd_users where (username, id) > ('HAL', 8) order by username, id limit 3;
select id, title from gd_posts where (title, id) > ('Apple', 8) order by title, id limit 4;
select id, title from gd_posts where (lower(title), id) > ('apple', 7) order by lower(title), id limit 4;
select id, title from gd_posts where (title collate "C", id) > ('Zebra', 0) order by title collate "C", id;
select id, slug from gd_posts where (slug, id) > ('hello', 0) order by slug, id limit 3;
select id, slug from gd_posts where slug is not null and (slug, id) < ('hello-world', 99) order by slug desc, id desc limit 3;
select id, score from gd_users where (score, id) > (7.25, 7) order by score, id limit 3;
select id, score from gd_users where (score, id) > (7.25::float8, 7) order by score, id limit 3;
-- in lists and any(array)
select id from gd_users where id in (1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37, 39) order by id;
select id from gd_users where id in ('2', '4', '6') order by id;
select id from gd_users where id not in (1, 2, 3, null) order by id;
select id from gd_users where id = any('{2,4,6,100}'::int[]) order by id;
select id from gd_users where id = any('{2,4,null}'::bigint[]) order by id;
select id from gd_users where id <> all('{1,2,3,4,5,6,7}'::int[]) order by id;
select id from gd_users where id = any(array[1, 2]::bigint[]) and username = any(array['ann', 'Bob', 'nobody']) order by id;
select id from gd_users where id = any('{}'::int[]) order by id;
select id from gd_users where id = any(array[]::int[]) order by id;
select id from gd_users where id = any('{1,x}'::int[]) order by id;
select id from gd_users where id = any(array[1, 2]) and id = any(string_to_array('2,3', ',')::int[]) order by id;
select id from gd_posts where author_id in (select id from gd_users where deleted_at is null) and id in (1, 2, 3, 5, 8, 13) order by id;
-- case-insensitive search, ilike, like with escapes
select id, email from gd_users where lower(email) = lower('ann@example.com') order by id;
select id, email from gd_users where email ilike '%@example.com' order by id;
select id, email from gd_users where email not ilike '%example%' order by id;
select id, title from gd_posts where title ilike 'hello%' order by id;
select id, title from gd_posts where lower(title) like '%' || lower('APPLE') || '%' order by id;
select id, username from gd_users where username like 'dee\%' order by id;
select id, username from gd_users where username like '%\_%' order by id;
select id, username from gd_users where username like '%!_%' escape '!' order by id;
select id, username from gd_users where username ilike 'FAY\_%' order by id;
select id, title from gd_posts where title like '100\%%' order by id;
select id, username from gd_users where username like '%\\%' order by id;
select id, title from gd_posts where title ~* '^hel+o' order by id;
select id, username from gd_users where upper(username) = 'HAL' or username ilike 'BOB' order by id;
select id from gd_users where email like null order by id;
-- id lookups with differently typed parameters
select id, username from gd_users where id = '5';
select id, username from gd_users where id = 5.0;
select id, username from gd_users where id = 5::bigint;
select id, username from gd_users where id = 5::smallint;
select id, username from gd_users where id = 5.5;
select id, username from gd_users where id = '5.0';
select id, username from gd_users where id = 'five';
select id, title from gd_posts where id = 4::bigint;
select id, title from gd_posts where id = '4'::text;
select id, title from gd_posts where id = 99999999999;
select id, username from gd_users where username = 'eve'::varchar and id = 5;
select id from gd_users where id = any('{2,4}') order by id;
select id from gd_users where id = '  5  ';
select id from gd_users where id = '0x5';
select id from gd_posts where views = '99999999999';
select id, created_at from gd_posts where created_at >= '2024-02-03T00:00:00' order by created_at, id limit 2;
-- null checks
select id from gd_users where deleted_at is null and score is not null order by id;
select id from gd_users where score = null order by id;
select id from gd_users where score is distinct from 10.5 order by id;
select id from gd_users where coalesce(email, '') = '' order by id;
select id from gd_posts where author_id is null or created_at is null order by id;
drop table gd_posts, gd_users;
