-- Syntax errors in query constructs, each with PostgreSQL's LINE and caret position:
-- stray commas, missing FROM items, JOIN/ON mistakes, clause order, parentheses, reserved
-- aliases, LIMIT/OFFSET/FETCH, window and frame syntax, operands, EXISTS, IN (), CASE, CAST.
drop table if exists ge_q;
create table ge_q (a int, b text);
-- trailing commas and missing FROM items
select a, b, from ge_q;
select a, from ge_q;
select a from ge_q, ;
select a from ge_q, where a = 1;
select a from where a = 1;
select a from ge_q where;
select a,
       b,
  from ge_q;
-- JOIN without ON, ON without JOIN
select * from ge_q x join ge_q y;
select * from ge_q x join ge_q y where x.a = y.a;
select * from ge_q x left join ge_q y order by 1;
select * from ge_q x on x.a = 1;
select * from ge_q x, ge_q y on x.a = y.a;
select * from ge_q x cross join ge_q y on x.a = y.a;
select * from ge_q x natural join ge_q y on x.a = y.a;
select * from ge_q x join ge_q y using a;
select a from ge_q join;
-- clauses in the wrong order
select a, count(*) from ge_q group by a where a > 1;
select a from ge_q order by a where a > 1;
select a from ge_q having count(*) > 1 group by a;
select a from ge_q limit 1 order by a;
select a from ge_q limit 1 where a = 1;
select a from ge_q order by a order by a;
select a from ge_q where a = 1
  group by a
  where a = 2;
select a from ge_q offset 1 limit 1;
-- unbalanced parentheses (\g sends a statement whose parentheses psql sees open)
select (1 + 2 \g
select 1 + 2);
select a from ge_q where (a = 1 or (a = 2) \g
select count(* from ge_q \g
select * from (select a from ge_q x \g
select a from ge_q where a in (1, 2;
)
  and b = 'x';
-- reserved words as aliases without AS
select 1 from ge_q order;
select a group from ge_q;
select a as group from ge_q;
select a from ge_q as select;
select a from ge_q t order;
select a b c from ge_q;
-- subqueries in FROM without an alias
select * from (select 1);
select * from (select 1) join (select 2) on true;
-- LIMIT / OFFSET twice, FETCH FIRST malformed
select a from ge_q limit 1 limit 2;
select a from ge_q offset 1 offset 2;
select a from ge_q limit 1 fetch first 2 rows only;
select a from ge_q limit;
select a from ge_q fetch first rows;
select a from ge_q fetch 2 rows only;
select a from ge_q fetch first 2 only;
select a from ge_q fetch next 1 rows;
select a from ge_q fetch first 2 rows with ties;
select a from ge_q fetch first 1 row only offset 1;
-- OVER and window frames
select a, row_number() over from ge_q;
select row_number() over w from ge_q;
select sum(a) over (order by a rows between 1 preceding) from ge_q;
select sum(a) over (order by a rows unbounded following) from ge_q;
select sum(a) over (order by a rows between current row and unbounded preceding) from ge_q;
select sum(a) over (order by a rows between 1 following and current row) from ge_q;
select sum(a) over (rows between 1 preceding and 1 following order by a) from ge_q;
select sum(a) over (partition a) from ge_q;
select sum(a) over (order by a rows between 1 preceding 1 following) from ge_q;
-- missing operands, two operators in a row
select a + from ge_q;
select a from ge_q where a = ;
select a from ge_q where a > and b = 'x';
select a from ge_q where = 1;
select 1 + * 2;
select a from ge_q where a = = 1;
select 1 * / 2;
select 2 - - 1, 1 +- 2;
select a from ge_q where a between 1;
select a from ge_q where a is;
-- EXISTS without a subquery, IN with an empty list
select exists (1);
select 1 where exists ge_q;
select a from ge_q where a in ();
select a from ge_q where a not in ();
select a from ge_q where a in 1;
-- CASE without END, CAST without AS
select case when a = 1 then 'x' from ge_q;
select case a when 1 then 'x' else 'y' from ge_q;
select case end;
select case when a = 1 'x' end from ge_q;
select cast(a int) from ge_q;
select cast(a as) from ge_q;
select cast a as int from ge_q;
select a:: from ge_q;
select 'still alive' as status;
drop table ge_q;
