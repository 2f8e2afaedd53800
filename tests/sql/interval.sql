-- interval: input forms, postgres-style output, arithmetic with dates,
-- times and timestamps (month ends, negative parts), comparison by span.
select '1 day'::interval, '2 hours 30 minutes'::interval, '1 year 2 months 3 days 04:05:06.789'::interval, '-1 day +02:00'::interval, '@ 3 days ago'::interval, '1.5 years'::interval, '1-2'::interval, '90 seconds'::interval, '0'::interval, '-00:00:01'::interval, '1 week'::interval, '1.5 days'::interval;
select '2024-01-31'::date + 1, '2024-03-01'::date - '2024-02-01'::date, '2024-01-31'::date + '1 month'::interval, '2024-01-05 10:00'::timestamp - '2024-01-01 08:30'::timestamp, '2024-01-05'::date + '10:30'::time, '10:00'::time + '3 hours'::interval, '10:00'::time - '11:30'::time;
select '1 day'::interval * 1.5, '1 month'::interval / 3, - '1 day 2 hours'::interval, '1 day'::interval + '3 hours', '1 day'::interval = '24 hours'::interval, '1 month'::interval > '29 days'::interval;
select '1 day'::interval < '23 hours'::interval, '1 mon'::interval = '30 days'::interval, - interval '1 year', interval '1 day' / 0.5, interval '1 hour' * 2.5;
select '2024-01-31'::date + interval '1 month', '2024-03-31'::timestamp - interval '1 month', '2024-02-29'::timestamp + interval '1 year';
select interval '1 day' / 0;
select 'P1Y2M3DT4H5M6.5S'::interval, 'PT1H'::interval, 'P1W'::interval, 'P0.5Y'::interval, 'P1.5D'::interval, 'P1.5M'::interval, 'PT1.5H'::interval, 'P-1Y-2M'::interval, 'PT-1.5S'::interval, 'P0001-02-03T04:05:06'::interval, 'P00010203T040506'::interval, 'PT10:30'::interval, 'P1Y2M'::interval;
select 'P'::interval;
select 'P1'::interval;
select 'P1X'::interval;
select 'PT1D'::interval;
select ' P1Y'::interval;
select 'P1Y1Y'::interval, 'P2W3D'::interval, 'P0.25W'::interval, 'PT0.000001S'::interval, 'P1.1Y'::interval;
select 'P1000000000Y'::interval;
select '1 year 2 mons 3 days 04:05:06.789'::interval year, '1 year 2 mons 3 days 04:05:06.789'::interval month, '1 year 2 mons 3 days 04:05:06.789'::interval day, '1 year 2 mons 3 days 04:05:06.789'::interval hour, '1 year 2 mons 3 days 04:05:06.789'::interval minute, '1 year 2 mons 3 days 04:05:06.789'::interval second, '1 year 2 mons 3 days 04:05:06.789'::interval second(1), '1 year 2 mons 3 days 04:05:06.789'::interval day to second(0), '1 year 2 mons 3 days 04:05:06.789'::interval(2), '1 year 2 mons 3 days 04:05:06.789'::interval year to month, '1 year 2 mons 3 days 04:05:06.789'::interval hour to minute;
select interval '2' hour, interval '2' year, '5'::interval minute, '1:30'::interval minute to second, '1:30'::interval hour to minute, '1 2'::interval day to hour, interval '3' day, '-1.5'::interval hour, '90'::interval minute, interval '1 day 3 hours' hour;
select '-1 year -2 mons -3 days -04:05:06.789'::interval hour, '-04:05:06.789'::interval minute, '-1 day'::interval year, cast('1.5' as interval month), interval '0.5' minute, interval '-0.0000005' second(6);

create table tmi (id int primary key, a interval day to second(3), b interval year, c interval(2), d interval second);
insert into tmi values (1, '1 day 02:03:04.56789', '3 years 4 months', '00:00:01.555', '1 day 00:00:07.7');
insert into tmi values (2, '5', '7', '8', '9');
select * from tmi order by id;
drop table tmi;
select interval '1' year to month, interval '1-2' year to month, interval(1) '1.25 seconds';
