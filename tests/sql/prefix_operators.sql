-- Prefix operators: @ (absolute value), |/ (square root), ||/ (cube root), ~ (bitwise not).
SELECT @ -5, @ 5::int2, @ -5000000000, @ -2.5, @ -1.5::float4, @ -1.5::float8, @ NULL::int;
SELECT pg_typeof(@ -5), pg_typeof(@ -2.5), pg_typeof(|/ 25), pg_typeof(~ 5::int8);
SELECT |/ 25, |/ 2.0, |/ 0, ||/ 27, ||/ -8.0, ||/ 2;
SELECT ~ 5, ~ -1, ~ 0::int2, ~ 9223372036854775807, ~ NULL::int8;
SELECT @ -2 + 3, - @ -2, @ (2 - 5) * 3, |/ 16 + 9, 2 * ~ 1;
SELECT x, @ x, ~ x FROM (VALUES (-3), (0), (7), (NULL)) AS v (x) ORDER BY x;
SELECT a FROM (VALUES (-4), (2), (-1)) AS t (a) WHERE @ a > 1 ORDER BY @ a DESC;
SELECT |/ -1;
SELECT @ 'abc'::text;
SELECT ~ 1.5;
SELECT |/ 'x';
SELECT @ true;
