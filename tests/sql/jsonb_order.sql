-- jsonb's order (object > array > boolean > number > string > null;
-- containers by size, then item by item; a top-level scalar below a
-- one-element array), equality of equal numbers written differently, jsonb
-- keys and indexes; json has no ordering, equality or index.
create table jo (id int primary key, v jsonb);
insert into jo values
  (1, 'null'), (2, '"a"'), (3, '"b"'), (4, '""'), (5, '1'), (6, '-1.5'), (7, '10'), (8, 'true'), (9, 'false'),
  (10, '[]'), (11, '[1]'), (12, '[2]'), (13, '[1, 2]'), (14, '["a"]'), (15, '[null]'), (16, '[[1]]'), (17, '[{}]'),
  (18, '{}'), (19, '{"a": 1}'), (20, '{"b": 1}'), (21, '{"a": 2}'), (22, '{"aa": 1}'), (23, '{"a": 1, "b": 2}'),
  (24, '{"a": [1]}'), (25, '{"a": {"b": 1}}'), (26, '"ab"'), (27, '"\u00e9"'), (28, '1.0'), (29, '[true]'),
  (30, '{"a": null}'), (31, '[1, "a"]'), (32, '[1, [2]]'), (33, '"A"');
select id, v from jo order by v, id;
select id, v from jo order by v desc, id limit 8;
select v, v < '[1]' as lt, v = '[1]' as eq, v > '[1]' as gt from jo order by id;
select '1'::jsonb = '1.0', '[1.0, {"a": 2.00}]'::jsonb = '[1, {"a": 2}]', '{"a":1}'::jsonb <> '{"a":1}';
select '1'::jsonb < '[1]', '1'::jsonb > '[]', '"a"'::jsonb < '[]', '[1]'::jsonb < '{}', '[1, 2]'::jsonb > '[3]';
select '{"b": 1}'::jsonb > '{"a": 2}', '{"aa": 1}'::jsonb > '{"b": 1}', '[[1]]'::jsonb > '[{}]', '[1]'::jsonb >= '[1]';
create index jo_v on jo (v);
select id from jo where v = '{"a": 1}';
select id from jo where v = '1.00';
select id from jo where v > '{"a": 2}' order by v;
create table jk (k jsonb primary key);
insert into jk values ('{"a": 1, "b": 2}'), ('[1, 2]'), ('1');
insert into jk values ('{"b": 2, "a": 1}');
insert into jk values ('1.0');
select k from jk order by k;
select k from jk where k = '[1.0, 2]';
drop table jk;
drop table jo;
select '{}'::json = '{}'::json;
select '[]'::json < '[]';
select '{}'::json order by 1;
create table jt (j json primary key);
create table jt (j json unique);
create table jt (id int, j json);
create index on jt (j);
select j from jt order by j;
select id from jt order by id;
drop table jt;
