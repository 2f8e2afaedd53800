-- date, time and timestamp: input forms (ISO, DateStyle orders, month names,
-- special words), output, range and field errors, casts among them.
select '2024-01-05'::date, '01/05/2024'::date, '2024-01-05 12:34:56.789'::timestamp, 'Jan 5, 2024'::date, '5 January 2024'::date, '20240105'::date, 'epoch'::date, 'infinity'::date, '0001-01-01 BC'::date, '1999-12-31T23:59:59'::timestamp;
select '12:34'::time, '23:59:59.999999'::time, '1:02:03 PM'::time, 'allballs'::time, '24:00:00'::time;
select '2024-01-31'::date + 1, '2024-03-01'::date - '2024-02-01'::date, '2024-01-31'::date + '1 month'::interval, '2024-01-05 10:00'::timestamp - '2024-01-01 08:30'::timestamp, '2024-01-05'::date + '10:30'::time, '10:00'::time + '3 hours'::interval, '10:00'::time - '11:30'::time;
select '1 day'::interval * 1.5, '1 month'::interval / 3, - '1 day 2 hours'::interval, '1 day'::interval + '3 hours', '1 day'::interval = '24 hours'::interval, '1 month'::interval > '29 days'::interval;
select '2024-01-05'::date < '2024-01-05 00:00:01'::timestamp, '2024-01-05'::date::timestamptz, '2024-01-05 12:00+00'::timestamptz::date, '2024-01-05 12:34:56'::timestamp::time, '2024-01-05 12:34:56+00'::timestamptz::timestamp;
select '2024-02-30'::date;
select '2024-13-01'::date;
select '13/01/2024'::date;
select 'garbage'::date;
select '2024-01-01 12:00 Mars/Phobos'::timestamptz;
select '25:00'::time;
select 'abc'::interval;
set datestyle = 'DMY';
select '13/01/2024'::date, '01/02/2024'::date;
set datestyle = 'YMD';
select '24/01/02'::date;
reset datestyle;
select '2024-01-05 10:00:00'::timestamp with time zone, '2024-01-05 10:00:00+03'::timestamp without time zone, '10:00'::time without time zone, '2024-01-05 10:00:00.123456'::timestamp(2), '2024-01-05 10:00:00.125'::timestamp(2), '10:00:00.5'::time(0);
select '2024-01-05'::date::timestamp, '2024-01-05 23:59:59.999999'::timestamp::date, '2024-01-05 10:00'::timestamp::time, '-infinity'::date::timestamp, 'infinity'::timestamp::date;
