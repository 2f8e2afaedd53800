-- Sales reporting with ROLLUP / CUBE / GROUPING SETS over regions, products and
-- order dates: subtotals, grand totals, GROUPING() labels, HAVING, joins,
-- subqueries, windows over rolled-up rows, ORDER BY GROUPING(), and errors.
create table gg_regions (id int primary key, name text, country text);
create table gg_products (id int primary key, name text, category text, price numeric(8,2));
create table gg_orders (id int primary key, region_id int, product_id int, ordered_on date, qty int, amount numeric(10,2));
insert into gg_regions values (1, 'north', 'DE'), (2, 'south', 'IT'), (3, 'west', 'FR'), (4, 'east', null);
insert into gg_products values (10, 'tea', 'drink', 3.50), (11, 'coffee', 'drink', 4.00), (12, 'cake', 'food', 6.25), (13, 'bread', null, 2.00);
insert into gg_orders values
  (1, 1, 10, '2023-01-10', 2, 7.00), (2, 1, 11, '2023-02-11', 1, 4.00), (3, 1, 10, '2023-04-01', 4, 14.00),
  (4, 2, 12, '2023-05-20', 2, 12.50), (5, 2, 10, '2023-07-07', 1, 3.50), (6, 2, 12, '2023-11-30', 3, 18.75),
  (7, 3, 11, '2024-01-02', 5, 20.00), (8, 3, 13, '2024-03-15', 2, 4.00), (9, 1, 11, '2024-06-30', 2, 8.00),
  (10, null, 10, '2024-08-08', 1, 3.50), (11, 2, null, '2024-09-09', 1, 5.00), (12, 3, 11, null, 1, 4.00),
  (13, 1, 10, '2023-01-10', 2, 7.00), (14, 2, 12, '2024-12-31', null, null);
select r.name as region, p.name as product, sum(o.amount) as total, count(*) as n
  from gg_orders o left join gg_regions r on r.id = o.region_id left join gg_products p on p.id = o.product_id
  group by rollup (r.name, p.name) order by 1, 2, 3, 4;
select r.name, p.name, sum(o.qty) from gg_orders o join gg_regions r on r.id = o.region_id join gg_products p on p.id = o.product_id
  group by rollup (r.name, p.name) order by grouping(r.name, p.name), 1, 2, 3;
select extract(year from ordered_on) as yr, extract(quarter from ordered_on) as q, sum(amount), count(*)
  from gg_orders group by cube (extract(year from ordered_on), extract(quarter from ordered_on)) order by 1, 2, 3, 4;
select yr, q, sum(amount) as total, grouping(yr, q) as g
  from (select extract(year from ordered_on)::int as yr, extract(quarter from ordered_on)::int as q, amount from gg_orders) s
  group by cube (yr, q) order by g, yr, q, total;
select region_id, product_id, sum(qty) from gg_orders group by grouping sets (region_id, product_id, (region_id, product_id)) order by 1, 2, 3;
select region_id, product_id, ordered_on, count(*) from gg_orders
  group by grouping sets ((region_id), (product_id, ordered_on), ()) order by 1, 2, 3, 4;
select case when grouping(r.name) = 1 then 'All regions' else coalesce(r.name, '(none)') end as region,
       sum(o.amount) as total
  from gg_orders o left join gg_regions r on r.id = o.region_id group by rollup (r.name) order by grouping(r.name), 1, 2;
select case grouping(r.name, p.category)
         when 0 then r.name || '/' || coalesce(p.category, '?')
         when 1 then r.name || ' subtotal'
         when 3 then 'grand total' end as label,
       grouping(r.name, p.category) as lvl, sum(o.amount) as total
  from gg_orders o join gg_regions r on r.id = o.region_id join gg_products p on p.id = o.product_id
  group by rollup (r.name, p.category) order by r.name, lvl, p.category, total;
select coalesce(p.category, case when grouping(p.category) = 1 then 'all' else 'uncategorised' end) as cat, sum(o.qty)
  from gg_orders o join gg_products p on p.id = o.product_id group by rollup (p.category) order by 1, 2;
select region_id, sum(amount) from gg_orders group by rollup (region_id) having sum(amount) > 20 order by 1, 2;
select region_id, product_id, sum(amount) from gg_orders group by cube (region_id, product_id)
  having grouping(region_id) = 1 or count(*) > 2 order by 1, 2, 3;
select region_id, product_id, count(*) from gg_orders group by grouping sets ((region_id), (product_id))
  having count(*) >= 3 order by 1, 2, 3;
select region_id, count(*) from gg_orders group by rollup (region_id) having grouping(region_id) = 1;
select r.country, p.category, sum(o.amount), max(o.ordered_on), min(o.qty)
  from gg_orders o join gg_regions r on r.id = o.region_id join gg_products p on p.id = o.product_id
  group by grouping sets ((r.country), (p.category), (r.country, p.category)) order by 1, 2, 3, 4, 5;
select s.region, s.big, count(*), sum(s.amount) from
  (select r.name as region, o.amount > 6 as big, o.amount from gg_orders o join gg_regions r on r.id = o.region_id) s
  group by cube (s.region, s.big) order by 1, 2, 3, 4;
select region, total, rank() over (order by total desc nulls last) as rnk from
  (select r.name as region, sum(o.amount) as total from gg_orders o join gg_regions r on r.id = o.region_id
   group by rollup (r.name)) t order by rnk, region;
select region_id, product_id, sum(amount) as total,
       rank() over (partition by grouping(product_id) order by sum(amount) desc nulls last) as rnk
  from gg_orders group by rollup (region_id, product_id) order by grouping(product_id), rnk, 1, 2, 3;
select region_id, sum(amount) as total, sum(sum(amount)) over (order by region_id nulls last) as running,
       grouping(region_id) as g
  from gg_orders group by rollup (region_id) order by g, region_id;
select region_id, product_id, sum(qty) as q, count(*) over (partition by region_id) as sets_in_region
  from gg_orders group by rollup (region_id, product_id) order by 1, 2, 3, 4;
select region_id, product_id, sum(amount),
       round(100 * sum(amount) / sum(sum(amount)) filter (where true) over (partition by grouping(region_id, product_id)), 2) as pct
  from gg_orders where region_id is not null and product_id is not null
  group by rollup (region_id, product_id) order by grouping(region_id, product_id), 1, 2;
select extract(year from ordered_on) as yr, region_id, sum(amount),
       grouping(extract(year from ordered_on)) as gy, grouping(region_id) as gr
  from gg_orders where ordered_on is not null group by cube (extract(year from ordered_on), region_id)
  order by gy desc, gr desc, yr, region_id;
select region_id, product_id, sum(amount) from gg_orders group by region_id, rollup (product_id) order by 1, 2, 3;
select region_id, product_id, extract(year from ordered_on) as yr, count(*) from gg_orders
  group by rollup (region_id), cube (product_id) order by 1, 2, 3, 4;
select region_id, product_id, count(*) from gg_orders group by grouping sets (rollup (region_id), (product_id)) order by 1, 2, 3;
select region_id, product_id, count(*) from gg_orders group by rollup ((region_id, product_id)) order by 1, 2, 3;
select count(*), sum(amount) from gg_orders group by grouping sets (()) ;
select region_id, count(*), sum(qty) from gg_orders where qty > 100 group by rollup (region_id) order by 1;
select region_id, count(*) from gg_orders where qty > 100 group by cube (region_id, product_id) order by 1;
select region_id, count(distinct product_id), string_agg(distinct product_id::text, ',' order by product_id::text)
  from gg_orders group by rollup (region_id) order by 1, 2, 3;
select region_id, array_agg(id order by id) from gg_orders where amount > 10 group by rollup (region_id) order by 1, 2;
select region_id, avg(amount)::numeric(10,2), bool_and(qty > 1), count(amount) from gg_orders group by rollup (region_id) order by 1, 2, 3, 4;
select region_id, sum(amount) filter (where product_id = 10) as tea, sum(amount) filter (where product_id = 11) as coffee
  from gg_orders group by rollup (region_id) order by 1, 2, 3;
select r.name, (select count(*) from gg_products) as nprod, sum(o.amount)
  from gg_orders o join gg_regions r on r.id = o.region_id group by rollup (r.name) order by 1, 2, 3;
select region_id, product_id from gg_orders group by cube (region_id, product_id) order by grouping(region_id), grouping(product_id), 1, 2;
select distinct grouping(region_id, product_id) from gg_orders group by cube (region_id, product_id) order by 1;
select region_id, sum(amount) from gg_orders group by rollup (region_id) order by 2 desc nulls last, 1 limit 3;
select region_id, sum(amount) from gg_orders group by rollup (region_id) order by 1 nulls first, 2 offset 2 limit 2;
with totals as (select region_id, product_id, sum(amount) as total, grouping(region_id, product_id) as lvl
                  from gg_orders group by cube (region_id, product_id))
select lvl, count(*), sum(total) from totals group by lvl order by lvl;
with t as (select region_id, sum(amount) as total from gg_orders group by rollup (region_id))
select a.region_id, a.total, b.total as grand from t a cross join t b where b.region_id is null and a.total is not null order by 1 nulls last, 2, 3;
select p.name, sum(o.qty) from gg_products p left join gg_orders o on o.product_id = p.id group by rollup (p.name) order by 1, 2;
select r.name, count(o.id) from gg_regions r left join gg_orders o on o.region_id = r.id group by rollup (r.name) order by 1, 2;
select region_id, product_id, sum(amount) from gg_orders group by cube (region_id, product_id)
  having sum(amount) is null order by 1, 2;
select grouping(region_id) + grouping(product_id) as depth, count(*)
  from gg_orders group by cube (region_id, product_id) order by 1, 2;
select region_id + 0 as r, sum(amount) from gg_orders group by rollup (region_id + 0) order by 1, 2;
select region_id, product_id, grouping(product_id, region_id), sum(qty) from gg_orders group by grouping sets ((region_id, product_id), (product_id), ()) order by 3, 1, 2;
select r.name, s.product_id, s.total from gg_regions r,
  lateral (select product_id, sum(amount) as total from gg_orders o where o.region_id = r.id group by rollup (product_id)) s
  order by 1, 2, 3;
select region_id, sum(amount) as total,
       (select count(*) from gg_orders i where i.region_id = o.region_id and i.amount > avg(o.amount)) as above_avg
  from gg_orders o group by rollup (region_id) order by 1, 2, 3;
select region_id, product_id, sum(amount) from gg_orders where (region_id, product_id) in ((1, 10), (2, 12), (3, 11))
  group by rollup (region_id, product_id) order by 1, 2, 3;
select region_id, sum(amount) from gg_orders group by rollup (region_id) having (grouping(region_id), sum(amount)) > (0, 30) order by 1, 2;
select s.region_id, s.total, x.n from (select region_id, sum(amount) as total from gg_orders group by rollup (region_id)) s
  left join lateral (select count(*) as n from gg_orders o where o.region_id = s.region_id) x on true order by 1, 2, 3;
select region_id, grouping(region_id, region_id) from gg_orders group by rollup (region_id) order by 1, 2;
select region_id, qty, grouping(qty) from gg_orders group by rollup (region_id);
select region_id from gg_orders where grouping(region_id) = 0 group by rollup (region_id);
select region_id, sum(amount) from gg_orders group by rollup (region_id) having grouping(product_id) = 0;
select region_id, product_id from gg_orders group by rollup (region_id);
select region_id from gg_orders group by rollup (region_id) order by product_id;
select grouping(region_id) from gg_orders;
select region_id from gg_orders group by grouping sets (region_id, nosuch);
select region_id, sum(amount) from gg_orders group by rollup (4);
drop table gg_orders;
drop table gg_products;
drop table gg_regions;
