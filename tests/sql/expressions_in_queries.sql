-- Expressions inside query clauses: CASE, COALESCE, string and date functions in
-- WHERE / GROUP BY / ORDER BY / HAVING, GROUP BY aliased expressions, joins on keys
-- of different types, numeric vs float, integer division and modulo, booleans, typmod casts.
drop table if exists gf_ord, gf_cust, gf_big, gf_vc, gf_num, gf_flt;
create table gf_cust (id int, email text, full_name text, city varchar(20), vip boolean);
create table gf_ord (id int, cust_id bigint, placed date, ts timestamp, amount numeric(8,2), qty int, code varchar(10), paid boolean);
create table gf_big (id bigint, label varchar(5));
create table gf_vc (k varchar(10), note text);
create table gf_num (n numeric, f float8);
create table gf_flt (x float8, y real);
insert into gf_cust values (1, 'Ann@Example.com', 'Ann Lee', 'Oslo', true), (2, 'bob@example.org', 'Bob  Stone', 'oslo', false), (3, 'cy@test.net', null, 'Bergen', null), (4, null, 'Dee Ray', null, true), (5, 'EVE@EXAMPLE.COM', 'Eve', 'Bergen', false);
insert into gf_ord values (1, 1, '2024-01-15', '2024-01-15 09:30', 120.50, 3, 'A-100', true), (2, 1, '2024-02-03', '2024-02-03 23:59:59', 80.00, 1, 'B-200', false), (3, 2, '2024-02-28', '2024-02-28 12:00', null, 2, 'A-101', true), (4, 3, '2023-12-31', '2023-12-31 18:45', 15.25, 7, 'c-1', null), (5, 5, '2024-03-01', '2024-03-01 00:00', 99.99, 0, null, true), (6, 9, '2024-01-20', null, 10.00, 5, 'A-100', false), (7, 2, null, '2024-02-10 08:00', 45.00, 4, 'B-201', true);
insert into gf_big values (1, 'one'), (2, 'two'), (5, 'five'), (9, 'nine'), (3000000000, 'huge');
insert into gf_vc values ('A-100', 'widget'), ('B-200', 'gadget'), ('c-1 ', 'padded'), (null, 'none');
insert into gf_num values (1.5, 1.5), (0.1, 0.1), (2, 2), (1.25, 1.2), (null, 3);
insert into gf_flt values (1.5, 1.5), (0.1, 0.1), (3, 3), (null, 2.5);
-- string functions in WHERE
select id from gf_cust where lower(email) like '%@example.%' order by id;
select id, split_part(email, '@', 2) as domain from gf_cust where position('.' in split_part(email, '@', 2)) > 0 order by domain, id;
select id from gf_cust where length(coalesce(full_name, '')) between 3 and 7 order by id;
select id, substr(code, 1, 1) || '/' || substr(code, 3) as c from gf_ord where substr(code, 1, 1) = upper(substr(code, 1, 1)) order by id;
select id from gf_cust where concat(lower(city), ':', vip) = 'oslo:true' or city || 'x' is null order by id;
-- string functions in GROUP BY / ORDER BY / HAVING
select lower(city) as c, count(*) from gf_cust group by lower(city) order by c nulls last;
select split_part(lower(email), '@', 2) as dom, count(*) from gf_cust group by dom order by dom nulls first;
select substr(code, 1, 1) as prefix, sum(qty) from gf_ord group by 1 having sum(qty) > 2 order by prefix nulls first;
select id, full_name from gf_cust order by length(full_name) desc nulls last, id;
select upper(left(code, 1)) as p, count(*), string_agg(code, ',' order by code) from gf_ord where code is not null group by upper(left(code, 1)) order by p;
select lower(city) as lc from gf_cust group by lower(city) having count(*) > 1 and position('o' in lower(city)) > 0 order by 1;
-- CASE / COALESCE in every clause
select case when amount >= 100 then 'big' when amount >= 50 then 'mid' else 'small' end as size, count(*) from gf_ord group by size order by size;
select coalesce(code, '(none)') as c, count(*) from gf_ord group by coalesce(code, '(none)') order by c;
select id from gf_ord order by case when paid then 0 when paid is null then 2 else 1 end, id;
select id from gf_ord where coalesce(amount, 0) * case when paid then 1 else 0 end > 50 order by id;
select cust_id, sum(case when paid then amount else 0 end) as p, sum(case when not paid then amount end) as u from gf_ord group by cust_id having sum(case when paid then 1 else 0 end) > 0 order by cust_id;
select case lower(city) when 'oslo' then 'N' when 'bergen' then 'W' end as r, count(*) from gf_cust group by 1 order by 1 nulls first;
-- date functions in queries
select date_trunc('month', ts) as m, count(*), sum(amount) from gf_ord where ts is not null group by m order by m;
select extract(year from placed) as y, extract(month from placed) as mo, count(*) from gf_ord group by y, mo order by y nulls last, mo;
select id, placed - date '2024-01-01' as days from gf_ord where placed >= date '2024-01-01' order by days, id;
select id, placed + 30 as due, placed + interval '1 month' as due2 from gf_ord where placed is not null order by id;
select id, age(timestamp '2024-06-01', ts) from gf_ord where ts is not null order by ts, id;
select id from gf_ord where date_trunc('day', ts) = placed order by id;
select to_char(placed, 'YYYY-MM') as ym, count(*) from gf_ord group by ym having count(*) >= 2 order by ym;
select extract(dow from placed) as dow, count(*) from gf_ord where placed is not null group by 1 order by 1;
select id from gf_ord where extract(hour from ts) between 8 and 12 order by extract(minute from ts), id;
select id, ts::date = placed as same_day, (ts - placed)::text as diff from gf_ord order by id;
select date_part('quarter', placed) as q, min(placed), max(placed) from gf_ord group by q order by q nulls first;
-- GROUP BY an expression selected with an alias
select qty / 3 as bucket, count(*) from gf_ord group by bucket order by bucket;
select qty % 2 = 0 as even, sum(qty) from gf_ord group by even order by even;
select amount::int / 50 * 50 as band, count(*) from gf_ord group by band order by band nulls first;
select -qty % 3 as m, count(*) from gf_ord group by m order by m;
select qty / 2 as h from gf_ord group by qty / 2 order by h;
select id, qty / 2, qty % 3, qty::numeric / 2 from gf_ord order by id;
-- join keys of different types
select c.id, o.id from gf_cust c join gf_ord o on o.cust_id = c.id order by o.id;
select c.id, b.label from gf_cust c join gf_big b on b.id = c.id order by c.id;
select o.id, v.note from gf_ord o join gf_vc v on v.k = o.code order by o.id;
select o.id, v.note from gf_ord o left join gf_vc v on v.k::text = o.code order by o.id;
select n.n, b.label from gf_num n join gf_big b on n.n = b.id order by n.n;
select f.x, b.label from gf_flt f join gf_big b on f.x = b.id order by f.x;
select b.id, b.label from gf_big b where b.id in (select id from gf_cust) order by b.id;
select b.id, c.full_name from gf_big b left join gf_cust c on c.id = b.id order by b.id;
select o.id, o.code, v.k from gf_ord o join gf_vc v on rtrim(v.k) = o.code order by o.id;
-- numeric compared with float
select n, f, n = f as eq, n < f as lt from gf_num order by n nulls last;
select x, y, x = y as eq from gf_flt order by x nulls last;
select count(*) from gf_num where n = 0.1;
select count(*) from gf_num where f = 0.1;
select n.n from gf_num n join gf_flt f on n.n = f.x order by 1;
select pg_typeof(n + f), pg_typeof(n * 2), pg_typeof(f / 2) from gf_num where n = 2;
select n + f as s from gf_num where f > 1 order by s;
-- boolean columns in WHERE and GROUP BY
select id from gf_ord where paid order by id;
select id from gf_ord where not paid order by id;
select id from gf_ord where paid is not true order by id;
select paid, count(*), sum(qty) from gf_ord group by paid order by paid nulls first;
select vip, count(*) from gf_cust group by vip having bool_or(email is not null) order by vip desc nulls last;
select paid and qty > 2 as busy, count(*) from gf_ord group by 1 order by 1 nulls last;
-- casts with typmods in select lists
select full_name::varchar(3) as short, amount::numeric(5,1) as a from gf_cust c join gf_ord o on o.cust_id = c.id order by o.id;
select cast('abcdef' as varchar(3)), cast(12.345 as numeric(5,1)), cast(-0.05 as numeric(3,1)), '12345'::char(3);
select id, qty::numeric(4,2) / 3 as third from gf_ord order by id;
select pg_typeof(code::varchar(3)), pg_typeof(amount::numeric(5,1)) from gf_ord where id = 1;
select amount::numeric(3,1) from gf_ord where id = 1;
select 'x'::varchar(3) || code from gf_ord where id = 1;
-- errors
select lower(id) from gf_cust;
select id from gf_ord where placed > 'not a date';
select qty / 0 from gf_ord where id = 1;
select id from gf_ord where paid = 'maybe';
select id from gf_cust where vip + 1 > 0;
select extract(nonsense from placed) from gf_ord;
select lower(city) as lc, count(*) from gf_cust group by lower(city) having city is not null;
select c.id from gf_cust c join gf_vc v on v.k = c.id;
select date_trunc('fortnight', ts) from gf_ord;
drop table gf_ord, gf_cust, gf_big, gf_vc, gf_num, gf_flt;
