-- json and jsonb operators: -> and ->> by key and by index (negative from
-- the end), @> and <@ containment, ? key existence, || and - on jsonb.
select '{"a": {"b": [10, 20, {"c": "x"}]}, "n": null, "s": "str", "t": true}'::jsonb -> 'a' -> 'b' -> 2 ->> 'c';
select '{"a": {"b": [10, 20]}}'::json -> 'a' -> 'b' -> -1, '{"a": {"b":  [10,  20]}}'::json -> 'a', '[1, 2]'::json -> 2, '[1, 2]'::json -> -3;
select '{"a": 1, "a": 2}'::json -> 'a', '{"a": 1, "a": 2}'::json ->> 'a', '{"\u00e9": 1}'::json -> 'é', '"x"'::json -> 'a', '{"a": 1}'::json -> 0;
create table jops (id int primary key, j jsonb, t json);
insert into jops values
  (1, '{"n": null, "s": "str\n\"q\"", "t": true, "num": 1.50, "arr": [1, "two", [3]], "obj": {"k": "v"}}',
      '{"n": null, "s": "str\n\"q\"", "t": true, "num": 1.50, "arr": [1, "two", [3]], "obj": {"k": "v"}}'),
  (2, '[0, "one", {"two": 2}, [3], null]', '[0, "one", {"two": 2}, [3], null]'),
  (3, '"scalar"', '"scalar"'),
  (4, '42', '42');
select id, j -> 'n', j ->> 'n', j -> 's', j ->> 's', j -> 'num', j ->> 'num', j -> 'missing' from jops order by id;
select id, t -> 'n', t ->> 'n', t -> 's', t ->> 's', t -> 'num', t ->> 'num', t -> 'arr' from jops order by id;
select id, j -> 0, j ->> 1, j -> -1, j -> 2 -> 'two', j -> 9, t -> 1, t ->> 2, t -> -2 from jops order by id;
select id, j ->> 'arr', j -> 'arr' -> 2 -> 0, t -> 'obj' ->> 'k', pg_typeof(j -> 'obj'), pg_typeof(t ->> 'obj') from jops order by id;
select id from jops where j ->> 's' = E'str\n"q"' or j -> 'num' = '1.5' order by id;
select id from jops where (j ->> 'num')::numeric > 1 order by id;
select id, j ? 'n', j ? 'one', j ? 'scalar', j ? 'k' from jops order by id;
select id, j @> '{"t": true}', j @> '{"arr": [[3]]}', j @> '{"arr": [3]}', j @> '[{"two": 2}]', j @> '[[3], 0]', j @> '"scalar"', j @> '42.0' from jops order by id;
select '{"a": 1}'::jsonb <@ '{"a": 1, "b": 2}', '[1, 2, 2]'::jsonb <@ '[2, 1]', '[]'::jsonb <@ '[1]', '{}'::jsonb <@ '{"a": 1}';
select '[1, [2, 3]]'::jsonb @> '[[3]]', '[1, [2, 3]]'::jsonb @> '[3]', '[1, 2]'::jsonb @> '1', '1'::jsonb @> '[1]', '"a"'::jsonb @> '"a"', '{"a": [1, {"b": 2, "c": 3}]}'::jsonb @> '{"a": [{"c": 3}]}';
select '{"a": 1, "b": 2}'::jsonb || '{"b": 3, "c": 4}', '[1, 2]'::jsonb || '[3]', '[1]'::jsonb || '{"a": 1}', '{"a": 1}'::jsonb || '[2]', '1'::jsonb || '2', '"a"'::jsonb || '[]', '{}'::jsonb || '{}';
select '{"a": 1}'::jsonb || 'x'::text, pg_typeof('{"a": 1}'::jsonb || '{}');
select '{"a": 1, "b": 2}'::jsonb - 'a', '{"a": 1}'::jsonb - 'x', '["a", "b", "a", 1]'::jsonb - 'a', '[1, 2, 3]'::jsonb - 0, '[1, 2, 3]'::jsonb - -1, '[1, 2, 3]'::jsonb - 5, '[]'::jsonb - 0;
select '"a"'::jsonb - 'a';
select '1'::jsonb - 0;
select '{"a": 1}'::jsonb - 0;
select '{"a": 1}'::json @> '{}';
select '{"a": 1}'::json || '{}'::json;
select '[1]'::json - 0;
select '{"a": 1}'::jsonb -> 1.5;
select id, j - 'n' - 'arr' || '{"added": [true]}' from jops where id = 1;
update jops set j = j || '{"version": 2}' where j ? 't';
update jops set j = j - 0 where id = 2;
select id, j from jops order by id;
drop table jops;
