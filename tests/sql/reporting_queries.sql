-- Dashboard and report queries over an orders / customers / products schema:
-- monthly revenue, top-N per group, running totals, percent of total,
-- year-over-year with lag(), conditional aggregates, HAVING, and date ranges.
drop table if exists gd_order_items, gd_orders, gd_products, gd_customers;
create table gd_customers (id int primary key, name text not null, country text, signup date, tier text);
create table gd_products (id int primary key, sku text, category text, price numeric(10,2), active boolean);
create table gd_orders (id int primary key, customer_id int, ordered_at timestamp, status text, discount numeric(5,2));
create table gd_order_items (order_id int, product_id int, qty int, unit_price numeric(10,2));
insert into gd_customers values (1, 'Acme', 'DE', '2022-11-03', 'gold'), (2, 'Bolt', 'US', '2023-02-14', null), (3, 'Crux', 'US', '2023-02-14', 'silver'), (4, 'Dyna', null, null, 'gold'), (5, 'Echo', 'FR', '2024-01-20', null);
insert into gd_products values (10, 'W-1', 'widget', 9.99, true), (11, 'W-2', 'widget', 19.50, true), (20, 'G-1', 'gadget', 120.00, true), (21, 'G-2', 'gadget', 75.25, false), (30, 'S-1', null, 5.00, true), (31, 'S-2', 'service', null, null);
insert into gd_orders values
  (100, 1, '2023-01-15 10:00', 'paid', null), (101, 1, '2023-03-02 09:30', 'paid', 5.00),
  (102, 2, '2023-03-20 18:45', 'refunded', null), (103, 3, '2023-12-31 23:59:59', 'paid', 0),
  (104, 1, '2024-01-01 00:00', 'paid', null), (105, 2, '2024-01-15 12:00', 'paid', 10.00),
  (106, 3, '2024-01-31 23:00', 'pending', null), (107, 4, '2024-02-01 08:00', 'paid', null),
  (108, 1, '2024-03-02 09:30', 'paid', 2.50), (109, 9, '2024-03-05 11:11', 'paid', null),
  (110, 3, '2024-03-15 15:00', null, null), (111, 2, null, 'pending', null);
insert into gd_order_items values
  (100, 10, 3, 9.99), (100, 20, 1, 110.00), (101, 11, 2, 19.50), (102, 20, 1, 120.00),
  (103, 10, 10, 9.50), (103, 30, 1, 5.00), (104, 21, 2, 75.25), (104, 10, 1, 9.99),
  (105, 11, 4, 19.50), (105, 11, 1, 19.50), (106, 20, 1, 120.00), (107, 31, 1, null),
  (108, 20, 2, 115.00), (108, 30, 3, 5.00), (109, 10, 1, 9.99), (110, 99, 1, 1.00), (111, 10, 0, 9.99);
-- revenue per customer per month
select c.name, date_trunc('month', o.ordered_at) as month, sum(i.qty * i.unit_price) as revenue, count(distinct o.id) as orders
from gd_customers c join gd_orders o on o.customer_id = c.id join gd_order_items i on i.order_id = o.id
where o.status = 'paid' group by c.name, date_trunc('month', o.ordered_at) order by c.name, month;
select extract(year from ordered_at) as y, extract(month from ordered_at) as m, count(*) as n, sum(discount) as disc
from gd_orders group by 1, 2 order by 1 nulls first, 2 nulls first;
select to_char(date_trunc('month', ordered_at), 'YYYY-MM') as month, count(*) filter (where status = 'paid') as paid, count(*) filter (where status is distinct from 'paid') as other
from gd_orders where ordered_at is not null group by 1 order by 1;
select date_part('quarter', ordered_at) as q, extract(year from ordered_at)::int as y, count(*) from gd_orders where ordered_at >= '2023-01-01' group by 1, 2 order by 2, 1;
-- top-N per group
select category, sku, revenue, rn from (
  select p.category, p.sku, sum(i.qty * i.unit_price) as revenue,
         row_number() over (partition by p.category order by sum(i.qty * i.unit_price) desc nulls last, p.sku) as rn
  from gd_products p join gd_order_items i on i.product_id = p.id group by p.category, p.sku) t
where rn <= 2 order by category nulls last, rn;
select name, ordered_at, id from (
  select c.name, o.ordered_at, o.id, row_number() over (partition by c.id order by o.ordered_at desc nulls last, o.id desc) as rn
  from gd_customers c join gd_orders o on o.customer_id = c.id) latest where rn = 1 order by name;
select * from (select customer_id, id, rank() over (partition by customer_id order by discount desc nulls last) as r, dense_rank() over (order by customer_id) as dr from gd_orders) t where r = 1 order by customer_id, id;
-- running totals and moving sums
select o.id, o.ordered_at::date as day, sum(i.qty * i.unit_price) as amount,
       sum(sum(i.qty * i.unit_price)) over (order by o.ordered_at, o.id) as running
from gd_orders o join gd_order_items i on i.order_id = o.id where o.status = 'paid' group by o.id, o.ordered_at order by o.ordered_at, o.id;
select customer_id, id, sum(coalesce(discount, 0)) over (partition by customer_id order by id rows between unbounded preceding and current row) as disc_running,
       count(*) over (partition by customer_id) as n from gd_orders where customer_id is not null order by customer_id, id;
select id, qty, avg(qty) over (order by id rows between 1 preceding and 1 following)::numeric(10,2) as moving_avg from (select order_id as id, sum(qty) as qty from gd_order_items group by order_id) t order by id;
-- percent of total
select category, sum(qty * unit_price) as revenue, round(100.0 * sum(qty * unit_price) / sum(sum(qty * unit_price)) over (), 2) as pct
from gd_order_items i left join gd_products p on p.id = i.product_id group by category order by category nulls first;
select c.country, count(*) as customers, round(count(*) * 100.0 / (select count(*) from gd_customers), 1) as pct from gd_customers c group by c.country order by pct desc, country nulls last;
select o.customer_id, o.id, sum(i.qty * i.unit_price) as amt,
       round(sum(i.qty * i.unit_price) / nullif(sum(sum(i.qty * i.unit_price)) over (partition by o.customer_id), 0) * 100, 2) as share
from gd_orders o join gd_order_items i on i.order_id = o.id group by o.customer_id, o.id order by o.customer_id, o.id;
-- year over year
select y, revenue, lag(revenue) over (order by y) as prev, revenue - lag(revenue) over (order by y) as delta,
       round((revenue - lag(revenue) over (order by y)) / nullif(lag(revenue) over (order by y), 0) * 100, 2) as growth_pct
from (select extract(year from o.ordered_at) as y, sum(i.qty * i.unit_price) as revenue from gd_orders o join gd_order_items i on i.order_id = o.id
      where o.ordered_at is not null group by 1) t order by y;
select customer_id, id, ordered_at, ordered_at - lag(ordered_at) over (partition by customer_id order by ordered_at, id) as since_prev,
       lead(id, 1, -1) over (partition by customer_id order by ordered_at, id) as next_order
from gd_orders where ordered_at is not null order by customer_id, ordered_at, id;
select m, cnt, lag(cnt, 12) over (order by m) as same_month_last_year from (
  select date_trunc('month', ordered_at) as m, count(*) as cnt from gd_orders where ordered_at is not null group by 1) t order by m;
-- having and conditional aggregates
select customer_id, count(*) as n, sum(case when status = 'paid' then 1 else 0 end) as paid, count(case when discount > 0 then 1 end) as discounted
from gd_orders group by customer_id having count(*) > 1 order by customer_id;
select customer_id, count(*) from gd_orders group by customer_id having sum(coalesce(discount, 0)) > 0 and max(ordered_at) >= '2024-01-01' order by customer_id;
select status, count(*) as n, count(discount) as with_disc, avg(discount) as avg_disc, bool_or(discount > 0) as any_disc from gd_orders group by status order by status nulls last;
select count(*) filter (where tier = 'gold') as gold, count(*) filter (where tier is null) as untiered, count(distinct country) as countries, count(distinct signup) as signup_days from gd_customers;
select p.category, count(distinct i.order_id) as orders, count(distinct o.customer_id) as buyers, sum(i.qty) as units
from gd_order_items i join gd_products p on p.id = i.product_id join gd_orders o on o.id = i.order_id group by p.category having count(distinct o.customer_id) >= 2 order by p.category nulls last;
select category, count(*) from gd_products group by category having count(*) > 1 or category is null order by category nulls first;
select customer_id, sum(discount) from gd_orders group by customer_id having discount > 0;
select customer_id, status, count(*) from gd_orders group by customer_id order by customer_id;
select customer_id from gd_orders group by customer_id having count(*) > 1 order by sum(discount) desc nulls last, customer_id;
-- string_agg and ordered output
select c.name, string_agg(o.id::text, ',' order by o.id) as orders, string_agg(distinct o.status, '/' order by o.status) as statuses
from gd_customers c left join gd_orders o on o.customer_id = c.id group by c.name order by c.name;
select category, string_agg(sku, ', ' order by price desc nulls last) as skus, array_agg(price order by sku) as prices from gd_products group by category order by category nulls last;
select o.id, string_agg(p.sku || 'x' || i.qty, ' + ' order by p.sku) as lines from gd_orders o join gd_order_items i on i.order_id = o.id join gd_products p on p.id = i.product_id group by o.id order by o.id;
-- averages, rounding, division by zero, missing data
select c.name, round(avg(i.qty * i.unit_price), 2) as avg_line, round(sum(i.qty * i.unit_price) / nullif(count(distinct o.id), 0), 2) as avg_order
from gd_customers c left join gd_orders o on o.customer_id = c.id left join gd_order_items i on i.order_id = o.id group by c.name order by c.name;
select order_id, qty, round(unit_price / nullif(qty, 0), 3) as per_unit, coalesce(unit_price, 0) * qty as safe_total from gd_order_items where order_id in (107, 110, 111) order by order_id, product_id;
select round(avg(price), 2), round(avg(price)::numeric, 0), round(sum(price) / count(*), 4), round(sum(price) / count(price), 4) from gd_products;
select coalesce(c.country, 'unknown') as country, coalesce(sum(i.qty * i.unit_price), 0) as revenue
from gd_customers c left join gd_orders o on o.customer_id = c.id left join gd_order_items i on i.order_id = o.id group by 1 order by 2 desc, 1;
select sum(qty * unit_price) / count(*) filter (where qty > 100) from gd_order_items;
select sum(qty) / (count(*) - count(*)) from gd_order_items;
select round(avg(qty), 2) as avg_qty, round(stddev_samp(qty), 3) as sd, min(unit_price), max(unit_price) from gd_order_items;
-- multi-table joins with group by
select c.tier, p.category, count(*) as lines, sum(i.qty) as units
from gd_customers c join gd_orders o on o.customer_id = c.id join gd_order_items i on i.order_id = o.id join gd_products p on p.id = i.product_id
where o.status = 'paid' group by c.tier, p.category order by c.tier nulls last, p.category nulls last;
select c.country, p.active, sum(i.qty * i.unit_price) as rev from gd_customers c join gd_orders o on o.customer_id = c.id
join gd_order_items i on i.order_id = o.id left join gd_products p on p.id = i.product_id group by c.country, p.active order by 1 nulls last, 2 nulls last;
select o.id, o.status, count(i.product_id) as lines, coalesce(sum(i.qty), 0) as units from gd_orders o left join gd_order_items i on i.order_id = o.id
left join gd_customers c on c.id = o.customer_id where c.id is null group by o.id, o.status order by o.id;
-- filtering on aggregated subqueries
select c.name, t.total from gd_customers c join (select o.customer_id, sum(i.qty * i.unit_price) as total from gd_orders o join gd_order_items i on i.order_id = o.id group by o.customer_id) t on t.customer_id = c.id
where t.total > (select avg(qty * unit_price) * 2 from gd_order_items) order by t.total desc;
select name from gd_customers where id in (select customer_id from gd_orders group by customer_id having count(*) >= 3) order by name;
select id, sku, price from gd_products where price > (select avg(price) from gd_products) order by price desc;
select p.sku from gd_products p where p.price > (select avg(p2.price) from gd_products p2 where p2.category = p.category) order by p.sku;
select customer_id, total from (select customer_id, sum(discount) as total from gd_orders group by customer_id) s where total is not null order by total desc, customer_id;
-- exists-based filters
select c.name from gd_customers c where exists (select 1 from gd_orders o where o.customer_id = c.id and o.status = 'refunded') order by c.name;
select c.name from gd_customers c where not exists (select 1 from gd_orders o where o.customer_id = c.id and o.ordered_at >= '2024-01-01') order by c.name;
select p.sku from gd_products p where not exists (select 1 from gd_order_items i where i.product_id = p.id) order by p.sku;
select o.id from gd_orders o where exists (select 1 from gd_order_items i join gd_products p on p.id = i.product_id where i.order_id = o.id and p.category = 'gadget') and o.status = 'paid' order by o.id;
-- date ranges with intervals
select id, ordered_at from gd_orders where ordered_at >= '2024-01-01'::date and ordered_at < '2024-01-01'::date + interval '1 month' order by ordered_at;
select id from gd_orders where ordered_at between '2023-12-31'::date and '2024-01-01'::date order by id;
select id, ordered_at from gd_orders where ordered_at >= date '2024-03-15' - interval '14 days' order by id;
select '2024-01-31'::date + interval '1 month', '2024-01-01'::date + interval '1 month' - interval '1 day', date_trunc('month', '2024-02-29'::date + interval '1 year');
select c.name, c.signup, o.id from gd_customers c join gd_orders o on o.customer_id = c.id and o.ordered_at < c.signup + interval '90 days' order by c.name, o.id;
select date_trunc('week', ordered_at)::date as week, count(*) from gd_orders where ordered_at is not null group by 1 order by 1;
select age('2024-03-15'::timestamp, min(ordered_at)) as since_first, max(ordered_at) - min(ordered_at) as span from gd_orders;
select id from gd_orders where ordered_at > now() - interval '1 day' order by id;
select id from gd_orders where ordered_at >= '2024-13-01' order by id;
select id from gd_orders where ordered_at >= '2024-01-01' + interval '1 month' order by id;
-- formatting, gap filling, quartiles, first/last per group
select m::date as month, count(o.id) as orders from generate_series('2023-12-01'::timestamp, '2024-04-01'::timestamp, interval '1 month') m left join gd_orders o on date_trunc('month', o.ordered_at) = m group by m order by m;
select to_char(ordered_at, 'Mon YYYY') as mon, to_char(ordered_at, 'FMMonth DD, YYYY') as long, to_char(ordered_at, 'YYYY-"Q"Q') as q, to_char(ordered_at, 'IYYY-IW') as isoweek, to_char(ordered_at, 'Dy HH24:MI') as dh from gd_orders where id in (100, 103, 104, 110) order by id;
select to_char(sum(qty * unit_price), 'FM999,999.00') as total, to_char(avg(unit_price), '999D99') as avg_price, to_char(count(*), '000') as n from gd_order_items;
select date_trunc('quarter', ordered_at) as q, date_trunc('year', ordered_at)::date as y, count(*) from gd_orders where ordered_at is not null group by 1, 2 order by 1;
select date_trunc('month', ordered_at) + interval '1 month' - interval '1 day' as month_end, extract(dow from ordered_at) as dow, extract(isodow from ordered_at) as isodow, extract(week from ordered_at) as wk, extract(doy from ordered_at) as doy from gd_orders where id in (100, 103, 104, 108) order by id;
select id, ntile(4) over (order by amt, id) as quartile, round(percent_rank() over (order by amt)::numeric, 3) as pr, round(cume_dist() over (order by amt)::numeric, 3) as cd from (select order_id as id, sum(qty * unit_price) as amt from gd_order_items group by order_id) t order by id;
select customer_id, id, first_value(id) over w as first_order, last_value(id) over w as last_order, nth_value(id, 2) over w as second_order from gd_orders where customer_id is not null window w as (partition by customer_id order by ordered_at nulls last, id rows between unbounded preceding and unbounded following) order by customer_id, id;
select distinct on (customer_id) customer_id, id, ordered_at from gd_orders where ordered_at is not null order by customer_id, ordered_at desc, id;
select c.name,
       sum(case when extract(month from o.ordered_at) = 1 then i.qty * i.unit_price else 0 end) as jan,
       sum(case when extract(month from o.ordered_at) = 2 then i.qty * i.unit_price else 0 end) as feb,
       sum(case when extract(month from o.ordered_at) = 3 then i.qty * i.unit_price end) as mar
from gd_customers c join gd_orders o on o.customer_id = c.id join gd_order_items i on i.order_id = o.id
where o.ordered_at >= '2024-01-01' and o.ordered_at < '2024-04-01' group by c.name order by c.name;
select sum(qty) / count(*) as int_div, avg(qty) as avg_qty, sum(qty)::float8 / count(*) as float_div, 100 * sum(qty) / nullif(count(*), 0) as pct_int from gd_order_items;
select round(avg(qty)::float8, 2) from gd_order_items;
select round(avg(qty)::float8) as r, round(avg(qty)::float8 * 100) / 100 as r2, trunc(avg(qty), 1) as t from gd_order_items;
select customer_id, count(*) as n from gd_orders group by customer_id having n > 1 order by customer_id;
select coalesce(sum(qty), 0) as units, count(*) as n, max(unit_price) as mx, string_agg(product_id::text, ',') as prods from gd_order_items where order_id = 999;
select avg(ordered_at - '2023-01-01'::timestamp) as avg_age, sum(case when status = 'paid' then ordered_at - '2024-01-01' end) as sum_int, max(ordered_at) - min(ordered_at) as span from gd_orders where ordered_at is not null;
select id, round(extract(epoch from (ordered_at - lag(ordered_at) over (order by ordered_at, id))) / 3600, 1) as hours_since_prev from gd_orders where ordered_at is not null order by ordered_at, id;
select array_agg(distinct customer_id order by customer_id) as custs, array_agg(discount order by id) filter (where discount is not null) as discs from gd_orders;
select id, customer_id, count(*) filter (where status = 'paid') over (partition by customer_id) as paid_in_group, sum(discount) over (partition by customer_id order by id) as disc_so_far from gd_orders order by id;
select extract(year from ordered_at) as y, sum(count(*)) over (order by extract(year from ordered_at)) as cum from gd_orders group by extract(year from ordered_at) order by y nulls last;
select row_number() over (order by sum(qty) desc, order_id) as pos, order_id from gd_order_items group by order_id order by pos;
select order_id, row_number() over (partition by order_id) from gd_order_items where order_id = 103 group by order_id;
select id, sum(discount) over (order by id) from gd_orders where sum(discount) > 0;
select customer_id, count(*) from gd_orders group by customer_id having row_number() over () > 1;
drop table gd_order_items, gd_orders, gd_products, gd_customers;
