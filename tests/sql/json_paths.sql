-- json and jsonb with text[] paths: #> and #>> (negative indexes, NULL
-- elements), json_extract_path, ?| and ?&, - text[] and #-, jsonb_set and
-- jsonb_insert with PostgreSQL's rules for missing keys and indexes out of
-- range, arrays as json, json_object.
select '[1,2,3]'::jsonb #> '{-1}', '"a"'::jsonb #> '{0}', '"a"'::jsonb #> '{}', '{"a":[1,{"b":2}]}'::json #>> '{a,1,b}', '{"a":1}'::jsonb #> '{a,b}', '{"a":1}'::jsonb #> '{x}', '[1]'::jsonb #> '{a}', '{"a":1}'::jsonb #>> '{}', '{"a":1}'::jsonb #> '{NULL}';
select jsonb_set('[1,2,3]', '{-5}', '9'), jsonb_set('[1,2,3]', '{5}', '9'), jsonb_set('[1,2,3]', '{-1}', '9'), jsonb_set('{"a":{"b":1}}', '{a,c}', '9'), jsonb_set('{"a":{"b":1}}', '{x,c}', '9'), jsonb_set('{"a":1}', '{a,c}', '9'), jsonb_set('{"a":1}', '{b}', '9', false), jsonb_insert('[1,2,3]', '{1}', '9'), jsonb_insert('[1,2,3]', '{1}', '9', true), jsonb_insert('[1,2,3]', '{-1}', '9', true), jsonb_insert('{"a":1}', '{b}', '9'), jsonb_insert('[1,2]', '{9}', '0'), jsonb_insert('[1,2]', '{-9}', '0');
select jsonb_set('1', '{a}', '2');
select jsonb_set('[1]', '{a}', '2');
select jsonb_set('{"a":1}', '{NULL}', '2');
select jsonb_insert('{"a":1}', '{a}', '2');
select '{"a":1,"b":2}'::jsonb - '{a,c}'::text[], '{"a":[1,2,{"b":3}]}'::jsonb #- '{a,2,b}', '{"a":[1,2]}'::jsonb #- '{a,-1}', '{"a":1}'::jsonb #- '{}', '{"a":1}'::jsonb ?| '{a,x}', '{"a":1}'::jsonb ?& '{a,x}', '["a"]'::jsonb ?& '{}';
select '1'::jsonb #- '{a}';
select '[1]'::jsonb #- '{a}';
select to_json(array[1,null]), to_jsonb(array['a','b']), array_to_json(array[1,2]), array_to_json(array[1,2], true), to_json('{}'::int[]), json_build_object('a', array[1,2]), json_object('{a,1,b,2}'), json_object('{a,b}', '{1,2}'), jsonb_object('{b,1,a,null}');
select json_extract_path('{"a":{"b":[5]}}', 'a', 'b', '0'), jsonb_extract_path_text('{"a":{"b":[5]}}', 'a', 'b');
select jsonb_set('{"a":[1,2]}', '{a,0}', '{"x": null}'), jsonb_set('{}', '{a}', '[]'), jsonb_set('{"a":1}', '{a}', null), '{"a":{"b":{"c":1}}}'::jsonb #> array['a','b'], '{"a":[null]}'::json #>> '{a,0}';
select json_object('{a,b,c}');
select json_object('{a,b}', '{1}');
select jsonb_set('{"a":[1]}', '{a,NULL}', '2');
select jsonb_set('{"a":[1]}', '{b,NULL}', '2');
create table jp (id int primary key, doc jsonb);
insert into jp values (1, '{"user": {"name": "ann", "tags": ["a", "b"]}, "n": 1}'), (2, '{"user": {"name": "bob"}, "n": 2}');
update jp set doc = jsonb_set(doc, '{user,tags}', (doc #> '{user,tags}') || '"new"') where id = 1;
update jp set doc = jsonb_set(doc, '{user,tags}', '["x"]') where id = 2;
update jp set doc = jsonb_set(doc, array['user', 'age'], to_jsonb(30 + id)) where doc ? 'n';
select id, doc, doc #>> '{user,name}', doc #> '{user,tags,-1}' from jp order by id;
select id from jp where doc @> '{"user": {"tags": ["x"]}}' or doc #>> '{user,age}' = '31' order by id;
select id, doc #- '{user,tags,0}' - 'n' from jp order by id;
drop table jp;
select ('{"a":{"b":[1,2]}}'::jsonb)['a']['b'][1], ('[1,2]'::jsonb)[-1], ('{"a":1}'::jsonb)['x'], pg_typeof(('{"a":1}'::jsonb)['a']), ('{"1":"one"}'::jsonb)['1'], ('[1,2]'::jsonb)['1'], ('"s"'::jsonb)[0];
select ('{"a":1}'::jsonb)[1:2];
select ('{"a":1}'::json)['a'];
select ('{"a":1}'::jsonb)[1.5];
select ('{"a":1}'::jsonb)[true];
create table jsub (id int primary key, doc jsonb);
insert into jsub values (1, '{"user": {"name": "ann", "tags": ["x", "y"]}}');
select doc['user']['name'], doc['user']['tags'][0], doc['nope']['x'] from jsub;
drop table jsub;
