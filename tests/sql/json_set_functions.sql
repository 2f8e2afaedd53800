-- Set-returning functions run as unnest of their rows: json(b)_array_elements[_text],
-- json(b)_object_keys, regexp_split_to_table, string_to_table; a scalar function's alias as its value.
select jsonb_array_elements('5');
select jsonb_array_elements('{"a":1}');
select json_array_elements('5');
select json_array_elements('{"a":1}');
select jsonb_array_elements_text('[1,"a",null,{"b":2},[3]]');
select json_array_elements_text('[1,"a",null,{"b":2},[3]]');
select jsonb_object_keys('[1]');
select jsonb_object_keys('1');
select json_object_keys('[1]');
select json_object_keys('1');
select json_object_keys('{"b":1,"a":2,"b":3}');
select jsonb_object_keys('{"b":1,"a":2,"b":3}');
select * from jsonb_array_elements('[1,{"x":[2]}]') with ordinality;
select * from json_array_elements('[ 1 , {"x": [2]} ]');
select regexp_split_to_table('a1b22c', '\d+'), string_to_table('a,b,,c', ',');
select string_to_table('a,b,,c', ',', '');
select * from regexp_split_to_table('Hello World', '\s*') as t(c);
select jsonb_array_elements(null), jsonb_array_elements('[]');
CREATE TABLE docs (id int PRIMARY KEY, body jsonb, raw json);
INSERT INTO docs VALUES (1, '{"tags": ["a", "b"], "n": 1}', '{"k": [1, 2, 3], "k": null}'),
  (2, '{"tags": [], "x": {"y": 1}}', '[10, 20]'), (3, NULL, NULL);
SELECT id, t FROM docs, jsonb_array_elements_text(body -> 'tags') AS t ORDER BY id, t;
SELECT d.id, e.value, e.ordinality FROM docs d, LATERAL jsonb_array_elements(d.body -> 'tags') WITH ORDINALITY e ORDER BY 1, 3;
SELECT id, jsonb_object_keys(body) FROM docs ORDER BY 1, 2;
SELECT id, json_object_keys(raw) FROM docs WHERE id = 1;
SELECT id, json_array_elements(raw) FROM docs WHERE id = 2;
SELECT k, count(*) FROM docs, jsonb_object_keys(body) AS k GROUP BY k ORDER BY k;
SELECT jsonb_array_elements_text('["x", "y"]'), generate_series(1, 3);
SELECT count(*) FROM docs WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text(body -> 'tags') t WHERE t = 'b');
SELECT jsonb_array_elements(1);
SELECT regexp_split_to_table(1, 'x');
SELECT * FROM string_to_table('a b', ' ', ' ', 'x');
SELECT pg_typeof(jsonb_array_elements('[1]')), pg_typeof(json_array_elements_text('[1]'));
DROP TABLE docs;
