-- LATERAL: functions in FROM reading the items before them (generate_series,
-- unnest, any function), LATERAL subqueries (top-N per row, aggregates per
-- row), LEFT JOIN LATERAL ... ON, and the RIGHT / FULL JOIN error.
create table lo (id int primary key, n int, tags text[]);
insert into lo values (1, 2, '{a,b}'), (2, 0, '{}'), (3, 3, null), (4, null, '{c}');
create table li (lo_id int, v int);
insert into li values (1, 10), (1, 20), (1, 5), (3, 7), (3, 8), (4, 1);
select id, g from lo, generate_series(1, lo.n) g order by id, g;
select id, t from lo, unnest(lo.tags) t order by id, t;
select id, t from lo cross join lateral unnest(tags) as t order by 1, 2;
select id, x.v from lo, lateral (select v from li where li.lo_id = lo.id order by v desc limit 2) x order by id, v;
select id, x.v from lo left join lateral (select v from li where li.lo_id = lo.id order by v limit 1) x on true order by id;
select id, x.total from lo join lateral (select sum(v) as total from li where lo_id = lo.id) x on x.total > 10 order by id;
select id, s.c from lo, lateral (select count(*) as c from li where li.v > lo.id) s order by id;
select lo.id, g, x.v from lo, generate_series(1, lo.n) g, lateral (select v from li where lo_id = lo.id and v > g * 5 order by v limit 1) x order by 1, 2;
select * from lateral (select 1 as a) s;
select id, u from lo, lateral upper(lo.tags[1]) u order by id;
select id, x from lo, (select lo.id as x) s;
select id from lo right join lateral (select lo.id as x) s on true;
select count(*) from lo a, lateral (select * from lo b where b.id > a.id) s;
drop table lo;
drop table li;
