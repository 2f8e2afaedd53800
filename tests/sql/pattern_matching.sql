-- LIKE, ILIKE, SIMILAR TO and regular expressions, with their ESCAPE
-- clauses and negations, in expressions and in WHERE over a table.
SELECT 'abc' LIKE 'a%', 'abc' LIKE 'a_c', 'abc' LIKE 'A%', 'abc' ILIKE 'A%', 'abc' NOT LIKE '%d', 'abc' NOT ILIKE 'AB_';
SELECT 'a%c' LIKE 'a\%c', 'abc' LIKE 'a\%c', 'héllo' LIKE 'h_llo', 'héllo' LIKE '%llo', '' LIKE '%', '' LIKE '_', 'x' LIKE '';
SELECT 'a_b' LIKE 'a$_b' ESCAPE '$', 'axb' LIKE 'a#_b' ESCAPE '#', 'a\b' LIKE 'a\b' ESCAPE '', 'abc' LIKE 'abc\';
SELECT 'x' LIKE 'x' ESCAPE '', 'a%' LIKE 'a%%' ESCAPE '%', NULL LIKE 'a', 'a' LIKE NULL;
SELECT 'b' LIKE '%' ESCAPE '%';
SELECT 'a' LIKE 'a' ESCAPE 'xy';
SELECT 'abc' ~ 'b', 'abc' ~ '^b', 'ABC' ~* 'b', 'abc' !~ 'z', 'ABC' !~* 'b', 'foo bar' ~ '\mbar', 'a.b' ~ 'a\.b';
SELECT 'line1
line2' ~ '^line2', 'x
' ~ 'x$', 'a
b' ~ 'a.b', 'abc' ~ '[[:<:]]abc[[:>:]]';
SELECT 'abc' SIMILAR TO 'abc', 'abc' SIMILAR TO 'a%', 'abc' SIMILAR TO '(a|b)%', 'abc' SIMILAR TO 'b%', 'abc' NOT SIMILAR TO '_b_';
SELECT 'a.c' SIMILAR TO 'a.c', 'abc' SIMILAR TO 'a.c', 'a$' SIMILAR TO 'a$', 'a_c' SIMILAR TO 'a#_c' ESCAPE '#', 'ab' SIMILAR TO '[a-b]*';
SELECT regexp_replace('foobarbaz', 'b..', 'X'), regexp_replace('foobarbaz', 'b..', 'X', 'g'), regexp_replace('Thomas', '.[mN]a.', 'M');
SELECT regexp_replace('abc', '(b)', '[\1\&]'), regexp_replace('aaa', 'a*', 'x', 'g'), regexp_replace('ABC', 'b', 'x', 'gi'), regexp_replace('a b  c', '\s+', ' ', 'g');
SELECT regexp_like('abc', 'B', 'i'), regexp_like('abc', 'd'), substring('foobar' FROM 'o.b'), substring('foobar' FROM 'o(.)b'), substring('foobar' FROM 'z');
SELECT regexp_replace('a', 'a', 'b', 'z');
SELECT 1 ~~ 2;
SELECT 'a' LIKE 1;
CREATE TABLE words (id int PRIMARY KEY, w text);
INSERT INTO words VALUES (1, 'apple'), (2, 'Apricot'), (3, 'banana'), (4, 'grape'), (5, 'pineapple'), (6, NULL);
SELECT w FROM words WHERE w LIKE 'ap%' ORDER BY id;
SELECT w FROM words WHERE w ILIKE 'ap%' ORDER BY id;
SELECT w FROM words WHERE w NOT LIKE '%apple' ORDER BY id;
SELECT w FROM words WHERE w ~ 'an(an)+' OR w ~* '^g' ORDER BY id;
SELECT id, w SIMILAR TO '%(pp|an)%' FROM words ORDER BY id;
SELECT regexp_replace(w, '[aeiou]', '*', 'g') FROM words WHERE id <= 3 ORDER BY id;
DROP TABLE words;
