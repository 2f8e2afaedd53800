-- The operators beyond arithmetic and comparison: ^ (power), the bitwise
-- operators of the integer types, and how an operator is chosen for the
-- operand types (an unknown literal takes the other side's type).
SELECT 2 ^ 10, 2.0::float8 ^ 0.5, 2 ^ -1, (-8) ^ (1.0/3)::float8 IS NULL, pg_typeof(2 ^ 3), 2 ^ 3 ^ 2, -2 ^ 2;
SELECT 5 & 3, 5 | 3, 5 # 3, 1 << 4, 256 >> 2, (-8) >> 1, 1::int8 << 40, 7::int2 & 3::int2, pg_typeof(7::int2 << 1);
SELECT 6 & '3', '12' | 1, 2 + 3 & 6, 1 << 2 + 1, 5 # 1 = 4;
SELECT 1 << 31, 1 << 32, (-1) >> 40, 9223372036854775807 & -1;
SELECT 0 ^ -1;
SELECT 'a' & 'b';
SELECT 1.5 & 1;
SELECT true # false;
