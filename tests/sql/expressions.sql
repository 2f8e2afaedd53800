-- Expressions without FROM: operators, precedence, casts, NULLs, column names.
SELECT 1 + 2 AS three, 'a' || 'b' AS ab, 7 / 2 AS div, -5 % 3 AS mod, 2.5::float8 * 2 AS f, NULL IS NULL AS n;
-- Column names PostgreSQL gives unnamed expressions.
SELECT 1 + 2;
SELECT 42, 'text', NULL;
SELECT true, false;
SELECT 1::text, '42'::int4, CAST('7' AS bigint), 'x'::varchar(3), 1::double precision;
SELECT 1::int2, 1::smallint, 1::integer, 1::int8, 't'::boolean, 2::float8;
-- Integer arithmetic: precedence, associativity, truncating division.
SELECT 2 + 3 * 4, (2 + 3) * 4, 10 - 2 - 3, 100 / 10 / 5, 2 * -3, - (2 + 3), 2 - -3;
SELECT -7 / 2, 7 / -2, -7 % 3, 7 % -3, 0 / 5, 17 % 5;
SELECT 2147483647 + 0 AS max_int4, 2147483648 AS int8_literal, 3000000000 * 2 AS int8_math;
SELECT 9223372036854775807 AS max_int8, -9223372036854775807 - 1 AS min_int8;
SELECT 1::int2 + 1::int2 AS int2_sum, 1::int2 + 1 AS int2_int4, 1 + 1::int8 AS int4_int8;
SELECT (-2147483647 - 1) % -1 AS min_mod_neg1;
-- float8 arithmetic and output format.
SELECT 0.1::float8 + 0.2::float8 AS sum, 1::float8 / 3 AS third, 10::float8 / 4 AS quarter;
SELECT 1.0::float8 AS one, -0.5::float8 AS neg, 1e20::float8 AS big, '1e20'::float8 AS big2, 2::float8 * 1e15::float8 AS e15;
SELECT 1::float8 * 1000000 AS million, 123456789::float8 * 1000 AS large, 1::float8 / 1024 AS small;
SELECT 100000000000000::float8 AS e14, 1000000000000000::float8 AS e15, 0.001::float8 AS milli, 0.0001::float8 AS e_4, 0.00001::float8 AS e_5;
SELECT 7 / 2::float8 AS mixed, 5 % 3 + 0.5::float8 AS mixed2;
-- Casts between the types.
SELECT '42'::int4 + 1, ' 42 '::int4, '-17'::int8, '+5'::int2, 12::int8::text;
SELECT 'true'::bool, 'f'::bool, 'yes'::bool, 'off'::bool, true::text, 1 = 1;
SELECT 3.7::float8::int4 AS rounds_up, 2.5::float8::int4 AS half_even, '-2.5'::float8::int8 AS neg_half_even;
SELECT '2.5'::float8, 5::float8, 5::int4::float8::text;
SELECT 'abcdef'::varchar(3) AS truncated, CAST('xy' AS varchar(3)) AS fits;
-- Comparisons and text ordering (C collation).
SELECT 1 < 2, 2 <= 2, 3 > 4, 4 >= 5, 1 = 1, 1 <> 1, 1 = 1::float8, 2::int8 > 1;
SELECT 'a' < 'b', 'B' < 'a', 'abc' = 'abc', 'abc' < 'abcd', '' < 'a', 'Z' > 'z';
SELECT 'ab' || 'cd' || 'ef' AS s, 'n=' || 7::text AS n, '' || 'x' AS e;
-- Three-valued logic.
SELECT NULL IS NULL AS a, NULL IS NOT NULL AS b, 1 IS NULL AS c, 'x' IS NOT NULL AS d;
SELECT true AND NULL AS tn, false AND NULL AS fn, true OR NULL AS to_, false OR NULL AS fo, NOT NULL::bool AS nn;
SELECT NOT true, NOT false, true AND NOT false OR false;
SELECT 1 + NULL AS plus, NULL || 'a' AS cat, NULL::int4 = 1 AS eq, NULL::text AS t;
