-- time with time zone: input with offsets, abbreviations and dates (a named
-- zone needs one), output, order by UTC time then zone, casts, arithmetic,
-- AT TIME ZONE, extract, typmods, current_time(p), timetz keys and arrays.
set timezone='America/New_York';
select '13:14:15+02'::timetz, '13:14:15.5-05:30'::timetz, '13:14:15 PST'::timetz, '13:14:15 UTC'::timetz, '24:00:00+00'::timetz, '13:14:15-04:56:02'::timetz, '2024-01-01 13:14:15+03'::timetz;
select '13:14 America/New_York'::timetz;
select '2024-07-01 13:14 America/New_York'::timetz, '2024-01-01 13:14'::timetz;
select '13:14:15+02'::timetz = '11:14:15+00'::timetz, '13:14:15+02'::timetz < '11:14:15+00'::timetz, '13:14:15+02'::timetz > '12:14:15+00'::timetz, '10:00+01'::timetz::time, pg_typeof(current_time), current_time(0) is not null, '12:00+02'::timetz + '1 hour'::interval, '12:00+02'::timetz - '13 hours'::interval, date '2024-01-01' + '12:00+02'::timetz, '12:00+02'::timetz at time zone 'UTC', extract(timezone_hour from '12:00+05:30'::timetz), '23:59:59.9999995+00'::timetz;
select '12:00+16'::timetz;
select '25:00+01'::timetz;
select 'x'::timetz;
select '12:00:00.123456+02'::timetz(2), '12:00+02'::timetz(0), '2024-07-01 12:00:00+00'::timestamptz::timetz, 'infinity'::timestamptz::timetz, '12:00+02'::timetz at time zone interval '-03:00', '12:00+02'::timetz::text;
select extract(epoch from '12:00+02'::timetz), extract(hour from '12:30:15.5+02'::timetz), date_part('second', '12:30:15.5+02'::timetz), extract(timezone from '12:00-03:30'::timetz), extract(minute from '12:00-03:30'::timetz);
select extract(day from '12:00+02'::timetz);
create table ttz (id int primary key, t timetz, ts time with time zone[]);
insert into ttz values (1, '12:00+02', '{"12:00+02","10:00+00"}'), (2, '10:00+00', null), (3, '11:00+01', null), (4, '09:00-01', null), (5, null, null);
select id, t from ttz order by t, id;
select id from ttz where t = '10:00+00';
select ts, ts[2] from ttz where id = 1;
drop table ttz;
select current_date is not null as d, current_time(0) is not null as t, localtimestamp(2) is not null as ts;
