-- GROUPING SETS, ROLLUP, CUBE and () in GROUP BY, their products with plain keys,
-- totals of empty input, HAVING and windows over grouping sets, GROUPING(),
-- and their errors.
create table gs (region text, city text, product text, qty int);
insert into gs values ('eu', 'paris', 'tea', 3), ('eu', 'paris', 'coffee', 5), ('eu', 'berlin', 'tea', 2), ('us', 'nyc', 'tea', 7), ('us', 'nyc', 'coffee', 1), ('us', null, 'tea', 4), (null, null, 'coffee', 6);
select region, city, sum(qty) from gs group by rollup (region, city) order by region, city, 3;
select region, product, sum(qty), count(*) from gs group by cube (region, product) order by 1, 2, 3;
select region, product, sum(qty) from gs group by grouping sets ((region), (product), ()) order by 1, 2, 3;
select region, city, product, sum(qty) from gs group by region, rollup (city, product) order by 1, 2, 3, 4;
select region, sum(qty) from gs group by grouping sets ((region), (region)) order by 1, 2;
select sum(qty) from gs group by ();
select count(*) from gs where false group by ();
select region, count(*) from gs where false group by rollup (region);
select region, city, sum(qty) from gs group by rollup ((region, city)) order by 1, 2;
select region, sum(qty) from gs group by rollup (region) having sum(qty) > 10 order by 1;
select region, sum(qty) from gs group by grouping sets (region, rollup (city)) order by 1, 2;
select region, max(city) from gs group by rollup (region) order by 1;
select region, city from gs group by rollup (region) order by 1;
select region, product, sum(qty), rank() over (order by sum(qty) desc) from gs group by cube (region, product) order by 3 desc, 1, 2;
select region, product, sum(qty) from gs group by (region, product) order by 1, 2;
select region, sum(qty) from gs group by rollup (1) order by 1;
drop table gs;
create table gs2 (a text, b text, n int);
insert into gs2 values ('x', 'p', 1), ('x', 'q', 2), ('y', 'p', 3), (null, 'q', 4);
select a, b, sum(n), grouping(a), grouping(b), grouping(a, b), grouping(b, a) from gs2 group by cube (a, b) order by 6, 1, 2;
select a, sum(n), grouping(a) from gs2 group by a order by 1;
select case when grouping(a) = 1 then 'total' else a end as label, sum(n) from gs2 group by rollup (a) order by grouping(a), a;
select a, sum(n) from gs2 group by rollup (a) having grouping(a) = 0 order by 1;
select grouping(n) from gs2 group by a;
select a from gs2 where grouping(a) = 0 group by a;
select grouping(a) from gs2;
drop table gs2;
