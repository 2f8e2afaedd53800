-- Casts between numeric and the integers, float8 and text: rounding half
-- away from zero into integers, float8's 15 significant digits into
-- numeric, range errors, and implicit widening in mixed expressions.
SELECT 2.5::numeric::int4, (-2.5)::numeric::int4, 2.4999::numeric::int2, (-0.5)::numeric::int8, 1e18::numeric::int8;
SELECT 32767.4::numeric::int2, (-32768.5)::numeric::int2;
SELECT 32767.5::numeric::int2;
SELECT 2147483647.5::numeric::int4;
SELECT 9223372036854775807.5::numeric::int8;
SELECT (-9223372036854775808.4)::numeric::int8;
SELECT 'NaN'::numeric::int4;
SELECT 'Infinity'::numeric::int8;
SELECT 0.1::float8::numeric, 1e20::float8::numeric, 1.0e-5::float8::numeric, (1/3::float8)::numeric, 123456789.123456789::float8::numeric;
SELECT 'NaN'::float8::numeric, '-Infinity'::float8::numeric, 1e300::float8::numeric > 0;
SELECT 1.5::numeric::float8, 0.1::numeric::float8, 'NaN'::numeric::float8, '-Infinity'::numeric::float8, 1e-310::numeric::float8;
SELECT 1e400::numeric::float8;
SELECT 12::int2::numeric, (-2147483648)::int4::numeric, 9223372036854775807::int8::numeric;
SELECT 1 + 1.5, 1.5 + 1::float8, pg_typeof(1 + 1.5), pg_typeof(1.5 + 1::float8), pg_typeof(1::int8 * 2.0);
SELECT 1.5 = 1.5::float8, 2 = 2.0, 2::int8 < 2.5, 0.1::numeric = 0.1::float8;
SELECT '12.50'::text::numeric, 12.50::numeric::text, ' 7 '::varchar::numeric;
SELECT 'x1'::text::numeric;
SELECT true::numeric;
