-- timestamptz in several time zones from the tz database: output in the
-- TimeZone setting, local times a DST transition skips or repeats, day
-- arithmetic across transitions, AT TIME ZONE, zones in the input.
select '2024-01-05 12:00:00+05'::timestamptz, '2024-01-05 12:00:00 America/New_York'::timestamptz, '2024-07-05 12:00:00 Europe/Berlin'::timestamptz, '2024-01-05 12:00 PST'::timestamptz, '2024-01-05 12:00:00+05'::timestamp;
set timezone = 'America/New_York';
show timezone;
select '2024-03-10 01:59:59'::timestamptz, '2024-03-10 02:30:00'::timestamptz, '2024-03-10 03:00:00'::timestamptz, '2024-11-03 01:30:00'::timestamptz, '2024-11-03 00:30:00'::timestamptz + '1 hour';
select '2024-03-09 12:00'::timestamptz + '1 day'::interval, '2024-03-09 12:00'::timestamptz + '24 hours'::interval, '2024-11-02 12:00'::timestamptz + '1 day', '2024-03-10 12:00'::timestamptz - '2024-03-09 12:00'::timestamptz;
select '2050-07-01 12:00'::timestamptz, '1900-01-01 12:00'::timestamptz, '2024-06-01'::date::timestamptz, '2024-06-01 12:00+00'::timestamptz::timestamp;
set timezone = 'europe/berlin';
show timezone;
select '2024-03-31 02:30'::timestamptz, '2024-10-27 02:30'::timestamptz, '2024-01-01 00:00 UTC'::timestamptz;
set timezone = 'Asia/Kolkata';
select '2024-01-01 00:00 UTC'::timestamptz;
set timezone = 'UTC';
set timezone = 'Australia/Sydney';
select '2024-04-07 02:30'::timestamptz, '2024-10-06 02:30'::timestamptz, '2024-04-06 12:00'::timestamptz + '1 day', '2045-01-01 12:00'::timestamptz;
set timezone = 'UTC';
set timezone = 'Nowhere/Land';
select timestamptz '2024-01-05 12:00+00' at time zone 'America/New_York', timestamp '2024-01-05 12:00' at time zone 'Asia/Tokyo', timestamptz '2024-07-05 12:00+00' at time zone 'Europe/London', timestamp '2024-01-05 12:00' at time zone interval '+05:30';
