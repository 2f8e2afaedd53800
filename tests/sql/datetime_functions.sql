-- The date/time functions: extract and date_part over every field, date_trunc,
-- age, justify_*, make_*, isfinite, AT TIME ZONE, now() and its family.
select extract(year from timestamp '2024-03-15 10:20:30.5'), extract(month from date '2024-03-15'), extract(second from timestamp '2024-03-15 10:20:30.5'), extract(epoch from timestamptz '2024-01-01 00:00+00'), extract(dow from date '2024-03-17'), extract(isodow from date '2024-03-17'), extract(doy from date '2024-12-31'), extract(week from date '2024-12-30'), extract(isoyear from date '2024-12-30'), extract(quarter from date '2024-08-01');
select extract(century from date '2000-12-31'), extract(century from date '2001-01-01'), extract(decade from date '2024-01-01'), extract(millennium from date '2001-01-01'), extract(milliseconds from time '10:00:05.25'), extract(microseconds from timestamp '2024-01-01 00:00:05.000001'), extract(hour from interval '3 days 05:06:07'), extract(epoch from interval '1 month 1 day'), extract(year from date '0044-03-15 BC'), extract(julian from date '2024-01-01');
select date_part('year', timestamp '2024-03-15'), date_part('epoch', timestamp '2024-01-01 00:00:00.5'), date_part('day', interval '40 days'), date_part('minute', time '10:45');
select date_trunc('month', timestamp '2024-03-15 10:20:30'), date_trunc('hour', timestamp '2024-03-15 10:20:30'), date_trunc('week', timestamp '2024-03-15 10:20:30'), date_trunc('year', date '2024-03-15'), date_trunc('quarter', timestamp '2024-08-15'), date_trunc('day', timestamptz '2024-03-15 10:20:30+00'), date_trunc('century', timestamp '2024-03-15'), date_trunc('decade', timestamp '2024-03-15'), date_trunc('milliseconds', timestamp '2024-03-15 10:20:30.123456'), date_trunc('hour', interval '3 days 05:06:07');
select age(timestamp '2024-03-15', timestamp '2020-01-31'), age(timestamp '2020-01-31', timestamp '2024-03-15'), age(timestamp '2024-03-01', timestamp '2024-01-31 12:00'), justify_hours(interval '50 hours'), justify_days(interval '35 days'), justify_interval(interval '1 month -1 hour'), justify_hours(interval '-50 hours');
select make_date(2024, 2, 29), make_time(10, 30, 15.5), make_timestamp(2024, 1, 5, 10, 30, 0.25), make_timestamptz(2024, 1, 5, 10, 30, 0), make_timestamptz(2024, 7, 5, 10, 30, 0, 'Europe/Berlin'), make_date(-44, 3, 15);
select timestamptz '2024-01-05 12:00+00' at time zone 'America/New_York', timestamp '2024-01-05 12:00' at time zone 'Asia/Tokyo', timestamptz '2024-07-05 12:00+00' at time zone 'Europe/London', timestamp '2024-01-05 12:00' at time zone interval '+05:30';
select isfinite(date '2024-01-01'), isfinite('infinity'::timestamp), date 'infinity' > date '9999-12-31', '-infinity'::timestamptz < '4713-11-24 BC'::timestamptz;
select now() = current_timestamp, now() = transaction_timestamp(), current_date = now()::date, localtimestamp = now()::timestamp, clock_timestamp() >= now(), pg_typeof(current_date), pg_typeof(localtime);
select make_date(2023, 2, 29);
select extract(hour from date '2024-01-01');
select extract(foo from timestamp '2024-01-01');
select date_trunc('foo', timestamp '2024-01-01');
select 'infinity'::timestamp - '2024-01-01'::timestamp;
select timestamptz '2024-01-01' at time zone 'Mars/Base';
select '2024-01-01'::date + 2147483647;
