-- The string functions of chapter 9.4 over UTF-8 text: lengths and positions
-- count characters; case mapping is the C locale's; errors as PostgreSQL's.
select length('héllo'), octet_length('héllo'), bit_length('ab'), lower('ÀBc'), upper('àbc'), initcap('hello wORLD-foo bar_baz 3rd élan');
select substr('héllo', 2), substr('héllo', 2, 3), substr('hello', 0, 3), substr('hello', -5, 7), substring('hello', 3), left('héllo', 2), left('hello', -2), right('héllo', 2), right('hello', -2);
select strpos('héllo', 'll'), strpos('hello', ''), strpos('hello', 'z'), starts_with('hello', 'he'), replace('abcabc', 'b', 'XY'), replace('abc', '', 'x');
select split_part('a,b,,c', ',', 2), split_part('a,b,,c', ',', 3), split_part('a,b,,c', ',', -1), split_part('a,b', ',', 5), split_part('abc', '', 1), split_part('abc', '', 2);
select repeat('ab', 3), repeat('x', 0), repeat('x', -1), reverse('héllo'), lpad('hi', 5), lpad('hi', 5, 'xy'), lpad('hello', 3), rpad('hi', 5, 'é'), rpad('hi', -1), lpad('hi', 5, '');
select btrim('  hi  '), btrim('xxhixx', 'x'), ltrim('  hi  '), rtrim('  hi  ') || '|', ltrim('zzyhi', 'yz'), rtrim('hiéé', 'é'), translate('12345', '143', 'ax'), translate('héllo', 'él', 'EL');
select ascii('A'), ascii('é'), ascii(''), chr(65), chr(233), chr(128512), to_hex(255), to_hex(-1), to_hex(-1::int8), to_hex(9223372036854775807);
select quote_ident('abc'), quote_ident('Abc'), quote_ident('select'), quote_ident('my"col'), quote_ident('_x1'), quote_ident('1x'), quote_ident('left'), quote_ident('name');
select quote_literal('it''s'), quote_literal('a\b'), quote_nullable(NULL), quote_nullable('x'), quote_literal(42);
select concat('a', 1, NULL, true, 2.50), concat_ws(', ', 'a', NULL, 'b', 3), concat_ws(NULL, 'a'), concat(), md5('abc');
select chr(0);
select repeat('x', 1100000000);
select split_part('a', ',', 0);
select substr('x', 1, -1);
SELECT length(''), length(NULL::text), lower(NULL), concat(NULL), concat_ws(',', NULL, NULL), quote_ident('');
SELECT length('abc'::varchar(5)), upper('abc'::varchar), 'abc'::varchar || 'def', lpad(5::text, 3, '0');
CREATE TABLE people (id int PRIMARY KEY, first text, last varchar(20));
INSERT INTO people VALUES (1, 'ada', 'Lovelace'), (2, 'alan', 'Turing'), (3, 'grace', NULL);
SELECT id, initcap(first) || ' ' || upper(last), concat_ws(' ', first, last), length(first) + length(last) FROM people ORDER BY id;
SELECT id FROM people WHERE lower(last) = 'turing' OR strpos(first, 'ra') > 0 ORDER BY id;
SELECT upper(first) FROM people ORDER BY reverse(first);
DROP TABLE people;
SELECT lower(1);
SELECT length(1);
SELECT substr('abc', 'x');
SELECT to_hex(1.5);
