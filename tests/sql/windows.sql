-- Window functions: row_number, rank, dense_rank, percent_rank, cume_dist,
-- ntile, lag, lead, first_value, last_value, nth_value, and aggregates over
-- windows; PARTITION BY, ORDER BY, frames (ROWS, RANGE, GROUPS, with
-- EXCLUDE), named windows, windows over groups, and the errors.
create table w (id int primary key, grp text, v int, x numeric);
insert into w values (1, 'a', 10, 1.5), (2, 'a', 20, 2), (3, 'a', 20, null), (4, 'b', 5, 4), (5, 'b', null, 1), (6, 'c', 7, 7), (7, 'a', 30, 3);
select id, row_number() over (order by id) from w order by id;
select id, grp, v, row_number() over (partition by grp order by v, id), rank() over (partition by grp order by v), dense_rank() over (partition by grp order by v) from w order by grp, v, id;
select id, v, percent_rank() over (order by v), cume_dist() over (order by v) from w order by v, id;
select id, ntile(3) over (order by id), ntile(2) over (partition by grp order by id) from w order by id;
select id, lag(v) over (order by id), lead(v) over (order by id), lag(v, 2, -1) over (order by id), lead(v, 1, 0) over (partition by grp order by id) from w order by id;
select id, first_value(v) over (partition by grp order by id), last_value(v) over (partition by grp order by id), nth_value(v, 2) over (partition by grp order by id) from w order by id;
select id, last_value(v) over (partition by grp order by id rows between unbounded preceding and unbounded following) from w order by id;
select id, sum(v) over (order by id), count(*) over (), avg(v) over (partition by grp) from w order by id;
select id, sum(v) over (order by v), count(v) over (order by v) from w order by v, id;
select id, sum(v) over (order by id rows between 1 preceding and 1 following), max(v) over (order by id rows 2 preceding) from w order by id;
select id, sum(v) over (order by id rows between current row and unbounded following) from w order by id;
select id, v, sum(v) over (order by v groups between 1 preceding and current row) from w order by v, id;
select id, v, count(*) over (order by v range between unbounded preceding and current row) from w order by v, id;
select id, sum(v) over (order by id rows between unbounded preceding and current row exclude current row) from w order by id;
select id, v, sum(v) over (order by v rows between unbounded preceding and unbounded following exclude group), sum(v) over (order by v rows between unbounded preceding and unbounded following exclude ties) from w order by v, id;
select grp, sum(v), rank() over (order by sum(v) desc) from w group by grp order by grp;
select grp, count(*), sum(count(*)) over () from w group by grp order by grp;
select id, sum(v) over w1, row_number() over w1 from w window w1 as (partition by grp order by id) order by id;
select id, sum(v) over (w1 order by id) from w window w1 as (partition by grp) order by id;
select id, string_agg(grp, ',') over (order by id), array_agg(v) over (partition by grp order by id) from w order by id;
select id, count(*) filter (where v > 10) over (order by id) from w order by id;
select id, row_number() over () from w where id = 3;
select id from w where row_number() over () > 1;
select id, row_number() over (order by row_number() over ()) from w;
select id, sum(v) over w2 from w window w1 as (order by id);
select id, rank(v) over () from w;
select id, lower(grp) over () from w;
select id, sum(v) over (order by id groups 1 preceding) from w order by id limit 2;
select id, sum(v) over (rows between unbounded following and current row) from w;
select id, ntile(0) over () from w;
select id, sum(v) over (order by id rows between -1 preceding and current row) from w;
select id, sum(distinct v) over () from w;
select id, row_number() over (order by id) as rn from w order by rn desc limit 3;
select * from (select id, row_number() over (partition by grp order by v desc, id) as r from w) s where r = 1 order by id;
select distinct grp, count(*) over (partition by grp) from w order by 1;
select id, x, sum(x) over (order by id), avg(x) over (order by id rows 1 preceding) from w order by id;
select id, lag(id, 1, 'none') over (order by id) from w;
select id, lag(x, 1, 0) over (order by id) from w order by id;
