-- FETCH FIRST | NEXT [n] ROW | ROWS ONLY | WITH TIES, OFFSET n ROWS, and
-- their errors.
create table f (id int primary key, score int, name text);
insert into f values (1, 90, 'a'), (2, 80, 'b'), (3, 80, 'c'), (4, 70, 'd'), (5, 80, 'e'), (6, 60, 'f');
select id, score from f order by score desc fetch first 2 rows only;
select id, score from f order by score desc, id fetch first 2 rows with ties;
select score from f order by score desc fetch first 2 rows with ties;
select score from f order by score desc offset 1 row fetch next 1 row with ties;
select id from f order by id fetch first row only;
select id from f order by id offset 2 rows fetch first 2 rows only;
select id from f order by id limit 2 offset 1;
select score from f order by score fetch first 0 rows with ties;
select score, count(*) from f group by score order by count(*) desc fetch first 1 rows with ties;
select id from f fetch first 2 rows with ties;
select id from f order by id fetch first -1 rows only;
select id from f order by id fetch first (1 + 1) rows only;
select id from f order by id fetch first null rows only;
