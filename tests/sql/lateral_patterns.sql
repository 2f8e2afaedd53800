-- LATERAL patterns: top-N and latest row per parent, LEFT JOIN LATERAL ... ON true,
-- correlated aggregates, chained LATERAL items, generate_series / unnest over
-- columns joined with tables, VALUES inside LATERAL (unpivoting), and errors.
create table gg_authors (id int primary key, name text, max_posts int, tags text[]);
create table gg_posts (id int primary key, author_id int, title text, score int, posted_on date);
create table gg_comments (id int primary key, post_id int, body text, likes int);
insert into gg_authors values (1, 'ann', 2, '{sql,pg}'), (2, 'bob', 0, '{}'), (3, 'cid', 3, null), (4, 'dee', null, '{rust,sql,sql}'), (5, 'eve', 1, '{go}');
insert into gg_posts values
  (10, 1, 'joins', 50, '2024-01-05'), (11, 1, 'lateral', 80, '2024-02-10'), (12, 1, 'cte', 80, '2024-03-01'),
  (13, 3, 'arrays', 20, '2024-01-20'), (14, 3, 'json', null, '2024-02-02'), (15, 3, 'ranges', 35, null),
  (16, 4, 'borrow', 90, '2023-12-31'), (17, 4, 'traits', 90, '2024-01-01'), (18, null, 'orphan', 5, '2024-05-05'),
  (19, 1, 'windows', 10, '2024-03-01');
insert into gg_comments values
  (100, 10, 'nice', 3), (101, 10, 'meh', 0), (102, 11, 'great', 7), (103, 11, 'wow', 7), (104, 11, null, 1),
  (105, 13, 'ok', null), (106, 16, 'hm', 2), (107, 17, 'yes', 5), (108, 99, 'lost', 4), (109, 12, 'cool', 2);
create table gg_readings (sensor text, a int, b int, c int);
insert into gg_readings values ('s1', 1, 2, 3), ('s2', null, 5, 5), ('s3', 7, null, null), ('s1', 4, 4, 0);
select a.name, p.title, p.score from gg_authors a,
  lateral (select title, score from gg_posts where author_id = a.id order by score desc nulls last, id limit 2) p
  order by a.name, p.score desc, p.title;
select a.name, p.title, p.score from gg_authors a
  cross join lateral (select * from gg_posts p where p.author_id = a.id order by p.score desc, p.id limit a.max_posts) p
  order by 1, 3 desc, 2;
select a.name, p.title, p.posted_on from gg_authors a
  left join lateral (select title, posted_on from gg_posts where author_id = a.id and posted_on is not null
                     order by posted_on desc, id desc limit 1) p on true order by a.id;
select a.name, p.title from gg_authors a
  join lateral (select title from gg_posts where author_id = a.id order by posted_on desc nulls first limit 1) p on true
  order by 1;
select a.name, s.n, s.best, s.avg_score from gg_authors a,
  lateral (select count(*) as n, max(score) as best, avg(score)::numeric(6,2) as avg_score from gg_posts where author_id = a.id) s
  order by a.name;
select a.name, s.n from gg_authors a left join lateral (select count(*) as n from gg_posts where author_id = a.id) s on s.n > 1 order by 1, 2;
select a.name, s.n from gg_authors a join lateral (select count(*) as n from gg_posts where author_id = a.id) s on s.n > 1 order by 1;
select a.name, p.title, c.body, c.likes from gg_authors a,
  lateral (select id, title from gg_posts where author_id = a.id order by score desc nulls last, id limit 1) p,
  lateral (select body, likes from gg_comments where post_id = p.id order by likes desc nulls last, id limit 2) c
  order by a.name, c.likes desc nulls last, c.body;
select a.name, p.title, c.cnt from gg_authors a
  left join lateral (select id, title from gg_posts where author_id = a.id) p on true
  left join lateral (select count(*) as cnt from gg_comments where post_id = p.id) c on true
  order by a.name, p.title nulls first;
select a.name, x.total, y.doubled from gg_authors a,
  lateral (select sum(score) as total from gg_posts where author_id = a.id) x,
  lateral (select x.total * 2 as doubled) y order by a.name;
select a.name, g from gg_authors a, generate_series(1, a.max_posts) g order by a.name, g;
select a.name, g, p.title from gg_authors a cross join generate_series(1, coalesce(a.max_posts, 1)) g
  join gg_posts p on p.author_id = a.id and p.score >= g * 30 order by 1, 2, 3;
select a.name, t from gg_authors a, unnest(a.tags) t order by a.name, t;
select t, count(*) from gg_authors a, unnest(a.tags) t group by t order by 2 desc, 1;
select t, count(distinct a.id), string_agg(a.name, ',' order by a.name) from gg_authors a cross join lateral unnest(a.tags) as t group by t order by t;
select a.name, t, p.title from gg_authors a cross join unnest(a.tags) t left join gg_posts p on p.author_id = a.id and p.title like t || '%' order by 1, 2, 3;
select a.name, t, p.title from gg_authors a, unnest(a.tags) t left join gg_posts p on p.author_id = a.id and p.title like t || '%' order by 1, 2, 3;
select a.name, t.tag from gg_authors a left join lateral unnest(a.tags) as t(tag) on true order by a.id, t.tag nulls first;
select a.name, d from gg_authors a, generate_series(date '2024-01-01', date '2024-01-01' + a.max_posts - 1, interval '1 day') d where a.max_posts > 0 order by 1, 2;
select a.name, v.kind, v.val from gg_authors a,
  lateral (values ('id', a.id), ('max', a.max_posts), ('tags', cardinality(a.tags))) v(kind, val) order by a.name, v.kind;
select r.sensor, u.col, u.val from gg_readings r, lateral (values ('a', r.a), ('b', r.b), ('c', r.c)) u(col, val)
  order by r.sensor, u.col, u.val nulls first;
select u.col, sum(u.val), count(u.val), count(*) from gg_readings r cross join lateral (values ('a', r.a), ('b', r.b), ('c', r.c)) u(col, val)
  group by u.col order by u.col;
select r.sensor, max(u.v) as greatest_reading from gg_readings r, lateral (values (r.a), (r.b), (r.c)) u(v) group by r.sensor order by 1;
select r.sensor, r.a, r.b, r.c, m.mx from gg_readings r, lateral (select max(v) as mx from (values (r.a), (r.b), (r.c)) x(v)) m order by 1, 2, 3, 4;
select r.sensor, u.col from gg_readings r, lateral (values ('a', r.a), ('b', r.b)) u(col, val) where u.val is null order by 1, 2;
select a.name, c.body from gg_authors a,
  lateral (select c.body from gg_posts p join gg_comments c on c.post_id = p.id where p.author_id = a.id and c.likes = (select max(likes) from gg_comments c2 where c2.post_id = p.id)) c
  order by 1, 2;
select p.title, top.body from gg_posts p left join lateral (
    select body from gg_comments c where c.post_id = p.id and c.likes > coalesce(p.score, 0) / 20 order by c.likes desc, c.id limit 1) top on true
  order by p.id;
select a.name, p.title, p.rn from gg_authors a, lateral (
    select title, row_number() over (order by score desc nulls last, id) as rn from gg_posts where author_id = a.id) p
  where p.rn <= 2 order by 1, 3;
select a.name, p.title, p.share from gg_authors a, lateral (
    select title, round(100.0 * score / sum(score) over (), 1) as share from gg_posts where author_id = a.id and score is not null) p
  order by 1, 2;
select a.name, s.tag, s.pos from gg_authors a, lateral (select t as tag, count(*) as pos from unnest(a.tags) t group by t) s order by 1, 2;
select a.name, (select count(*) from unnest(a.tags) t where t = 'sql') as sql_tags from gg_authors a order by 1;
select a.name, x.* from gg_authors a, lateral (select a.id * 10 as ten, a.name || '!' as shout) x order by 1;
select a.name from gg_authors a where exists (select 1 from lateral (select a.id as v) s where s.v > 2) order by 1;
with recent as (select * from gg_posts where posted_on >= date '2024-02-01')
select a.name, r.title from gg_authors a, lateral (select title from recent where recent.author_id = a.id order by recent.id limit 1) r order by 1;
select a.name, p.title from gg_authors a, lateral (select title, id from gg_posts where author_id = a.id
  union all select 'none', 0 where not exists (select 1 from gg_posts where author_id = a.id)) p order by 1, p.id, 2;
select a.name, p.title from gg_authors a, lateral (select title from gg_posts where author_id = a.id
  except select title from gg_posts where score < 50) p order by 1, 2;
select a.name, q.n from gg_authors a, lateral (select count(*) as n from gg_posts p, lateral (select 1 from gg_comments c where c.post_id = p.id and p.author_id = a.id limit 1) c) q order by 1;
select a.name, g, h from gg_authors a, generate_series(1, a.max_posts) g, generate_series(g, a.max_posts) h order by 1, 2, 3;
select count(*) from gg_authors a, lateral (select * from gg_posts p where p.author_id > a.id) s;
select a.name, p.title from gg_authors a, lateral (select title from gg_posts p where p.author_id = a.id offset 1 limit 1) p order by 1;
select a.name, p.title from gg_authors a, lateral (select distinct on (score) title, score from gg_posts where author_id = a.id order by score desc, title) p order by 1, 2;
select a.name, l.s from gg_authors a left join lateral (select sum(likes) as s from gg_comments c join gg_posts p on p.id = c.post_id where p.author_id = a.id having sum(likes) > 5) l on true order by 1;
select x.n, y.m from (values (1), (2), (3)) x(n), lateral (select x.n * k as m from generate_series(1, x.n) k) y order by 1, 2;
select a.name, p.title from gg_authors a join gg_posts p on p.author_id = a.id
  and p.score = (select max(score) from gg_posts p2 where p2.author_id = a.id) order by 1, 2;
select a.name, b.name from gg_authors a, lateral (select name from gg_authors b where b.id = a.id + 1) b order by 1;
select p.title, c.body from gg_posts p full join lateral (select body from gg_comments where post_id = p.id) c on true;
select p.title from gg_posts p, (select count(*) from gg_comments where post_id = p.id) c;
select a.name from lateral (select a.id) s, gg_authors a;
select * from gg_authors a, lateral (select nosuch from gg_posts where author_id = a.id) p;
select a.name, g from gg_authors a, generate_series(1, b.max_posts) g;
select a.name, v from gg_authors a, lateral (values (a.id, 1), (a.id)) v(x);
select a.name from gg_authors a left join lateral (select 1 as one) s;
select a.name, t from gg_authors a, unnest(a.name) t;
select r.sensor, u.v from gg_readings r, lateral (values (r.a), ('x')) u(v);
select a.name, p.title from gg_authors a, lateral (select title from gg_posts where author_id = a.id limit -1) p;
drop table gg_readings;
drop table gg_comments;
drop table gg_posts;
drop table gg_authors;
