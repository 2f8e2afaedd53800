-- date, time, timestamp(0), timestamptz and interval columns: storage, ORDER BY
-- (infinities and NULLs), WHERE ranges, arithmetic on columns, TimeZone.
create table events (id int primary key, at timestamptz, d date, t time, dur interval, ts timestamp(0));
insert into events values (1, '2024-03-10 01:30 America/New_York', '2024-03-10', '01:30', '1 hour', '2024-03-10 01:30:00.6'), (2, '2024-03-10 12:00+00', '2024-01-01', '23:59:59.999', '-2 days', '2024-01-01'), (3, NULL, 'infinity', '00:00', '1 mon', 'infinity');
select * from events order by at nulls first;
select id, at + dur, d + 7, d - date '2024-01-01', t + dur, ts - dur from events where id < 3 order by id;
select id, d - date '2024-01-01' from events order by id;
select id from events where d >= '2024-01-01' and d <= '2024-12-31' order by d desc;
select id from events where at > now() - interval '100 years' order by id;
set timezone = 'America/New_York';
select * from events order by id;
select date_trunc('day', at), extract(hour from at), at::date, at::time from events where at is not null order by id;
drop table events;
