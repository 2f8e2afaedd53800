-- Array operators and functions: || in its three forms, = ANY / ALL with
-- NULLs, subscripts and slices (bounds other than 1 too), comparisons,
-- @> <@ &&, the array functions, string_to_array, regexp_match and
-- regexp_split_to_array, and polymorphic resolution errors.
select '{1}'::int[] || '2';
select '{1}' || '{2}'::int[];
select 1 || '{2}'::int[], '{2}'::int[] || 3, array[1] || 2.5, array[1.5] || 2, '{a}'::text[] || 'b', array[1,2] || array[3];
select 'a' || '{b}'::text[];
select array_append('{1}', 2), array_prepend(0, array[1]), array_cat(array[1], '{2,3}');
select array_length('{1,2}', 1);
select array_append(null, 2), array_cat(null, null::int[]), array_position(array['a','b'], 'b'), array[1,2] = '{1,2}';
select array[1,2]::bigint[] = array[1,2];
select 1 = any('{1,2}'), 1 = any(array[1.5, 1]), 'a' = any('{a,b}'), 3 > all(array[1,2]), 1 = any(null::int[]), null = any(array[1]), 1 = any(array[null,1]), 2 = any(array[null,1]), 1 <> all('{}'), 1 = some(array[1]);
select (array[1,2,3])[2:3], (array[1,2,3])[:2], (array[1,2,3])[2:], (array[1,2,3])[5], (array[1,2,3])[0:1], ('[0:2]={a,b,c}'::text[])[0], ('[0:2]={a,b,c}'::text[])[1:], (array[1,2])[null], (array[1,2])[1.6];
select array_length(array[1,2,3], 1), array_length(array[1], 2), array_length('{}'::int[], 1), array_upper(array[1,2], 1), array_lower('[3:4]={1,2}'::int[], 1), array_ndims(array[1]), array_ndims('{}'::int[]), array_dims('[3:4]={1,2}'::int[]), cardinality(array[1,2]), cardinality('{}'::text[]);
select array_position(array[1,2,1], 1, 2), array_positions(array[1,null,1,null], null), array_remove(array[1,2,1], 1), array_replace(array[1,2,1], 1, 9), array_remove(array['a',null], null);
select array_to_string(array[1,null,3], ','), array_to_string(array[1,null,3], ',', '*'), array_to_string(array['a','b'], ''), string_to_array('a,b,,c', ','), string_to_array('abc', null), string_to_array('a,b', ''), string_to_array('a,*,c', ',', '*'), string_to_array('', ',');
select array[1,2] @> array[1], array[1,2] <@ array[1], array[1,2] && array[2,3], array[1,null] @> array[null::int], '{}'::int[] @> '{}';
select array[1,2] < array[1,3], array[1,2] < array[1,2,0], array[1,null] > array[1,2], '[0:1]={1,2}'::int[] < '{1,2}'::int[], array[1,2] = array[1,2];
select array['a', 1];
select array[1, true];
select array[];
select array[]::text[], array['1','2']::int[], array[1.6, 2.4]::int[], '{1,2}'::int[]::text[], '{1.5,2}'::numeric[]::float8[], array[1,2]::text;
select pg_typeof(array[1]), pg_typeof(array[1::int2, 2::int8]), pg_typeof(array[1, 2.5]), pg_typeof(array['a'::varchar]), pg_typeof('{}'::uuid[]), pg_typeof(array[now()]), pg_typeof(array['a', 'b']);
select '{a,b}'::varchar(1)[], '{abc}'::char(2)[], '{1.234}'::numeric(3,1)[];
select 1 = any('{1,x}');
select 1 = any(1);
select '{1,2}'::int[] @> '{1}'::bigint[];
select ('{1,2}')[1];
select (1)[1];
select regexp_match('foobarbequebaz', 'bar.*que'), regexp_match('foobarbequebaz', '(bar)(beque)'), regexp_match('abc', 'x'), regexp_match('abc', '(a)|(z)'), regexp_match('ABC', 'b', 'i');
select regexp_match('abc', 'b', 'g');
select regexp_split_to_array('hello world', '\s+'), regexp_split_to_array('abc', ''), regexp_split_to_array('a,b,,c', ','), regexp_split_to_array('', ','), regexp_split_to_array(',a,', ','), regexp_split_to_array('aXbxc', 'x', 'i'), regexp_split_to_array('abc', 'a*');
select regexp_split_to_array('abc', 'b', 'g');
select (regexp_match('key=value', '(\w+)=(\w+)'))[2];
select array_length(null::int[], 1), array_to_string(null::int[], ','), array_cat('{}'::int[], '{}'), array_append('[5:6]={1,2}'::int[], 3), array_prepend(0, '[5:6]={1,2}'::int[]), array_cat('[0:0]={a}'::text[], '{b}');
select array_remove('[2:4]={1,2,1}'::int[], 1), array_replace('[2:4]={1,2,1}'::int[], 1, null), array_position('[2:4]={1,2,1}'::int[], 1), array_positions('{}'::int[], 1), array_position(array[1], 1, null);
select array_append(array[1], 'x');
select array_cat(array[1], array['a']);
select array_length(array[1], 'x');
select cardinality(1);
select 1 = any(array['a']);
select array[1] @> array['a'::text];
select (array['a','b','c'])[-1], (array['a','b','c'])[2:1], (array['a','b','c'])[-5:2], ('[-2:0]={x,y,z}'::text[])[-1:], array_upper('[-2:0]={x,y,z}'::text[], 1);
select (array[1,2])['1'], (array[1,2])['x'];
select ('{}'::int[])[1], (null::int[])[1], (array[1,2,3])[null:2];
