-- char(n): padded output, trailing spaces ignored when comparing and dropped
-- when cast to text, length errors on assignment, truncation by explicit
-- casts, LIKE against the padded value, keys and ORDER BY in tables.
select 'ab'::char(4), 'ab'::char(4) || 'x', length('ab'::char(4)), octet_length('ab'::char(4)), 'ab  '::char(2), 'abcdef'::char(3), 'a'::char, 'ab'::character(3) = 'ab', 'ab'::char(3) = 'ab '::char(5);
select 'ab  '::bpchar, 'ab  '::bpchar || 'x', 'é'::char(3), length('é '::char(3)), octet_length('é'::char(3)), 'x'::char(3)::text, 'x'::char(3)::varchar(5), 5::char(3), true::char(5);
select 'a'::char(3) < 'a '::char(2), 'a'::char(3) < 'b', upper('ab'::char(4)), concat('ab'::char(4), '|'), 'ab'::char(4) like 'ab';
select 'abc'::char(0);
create table c (id int primary key, code char(5), note character varying(10));
insert into c values (1, 'ab', 'x'), (2, 'abc  ', 'y'), (3, 'a', NULL), (4, 'ab ', 'z');
insert into c values (5, 'abcdef', 'w');
insert into c values (6, 'abcde     ', 'w');
select id, code, code || '|', length(code), octet_length(code) from c order by code, id;
select id from c where code = 'ab' order by id;
select id from c where code = 'ab   ' order by id;
select * from c where code > 'ab' order by code;
create table c2 (code char(3) primary key);
insert into c2 values ('a'), ('a  ');
select * from c2;
drop table c;
drop table c2;
