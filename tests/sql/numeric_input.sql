-- numeric's text input and output: canonical form, exponents, specials,
-- white space, and what is rejected (22P02) or overflows (22003).
SELECT '0'::numeric, '-0'::numeric, '-0.000'::numeric, '+1.5'::numeric, '  12.50  '::numeric;
SELECT '.5'::numeric, '5.'::numeric, '007'::numeric, '00.0100'::numeric;
SELECT '1e3'::numeric, '1.5e-5'::numeric, '1.50E+2'::numeric, '-2.5e0'::numeric, '1e-20'::numeric;
SELECT 'NaN'::numeric, 'nan'::numeric, 'Infinity'::numeric, '-Infinity'::numeric, 'inf'::numeric, '+INF'::numeric, '-inf'::numeric;
SELECT 12345678901234567890123456789012345678901234567890.123456789012345678901234567890;
SELECT -0.00000000000000000000000000000000000001;
SELECT 1.00000000000000000001 > 1.0, 1.0 = 1.00, 10::numeric > 9::numeric, 0.1 + 0.2 = 0.3;
SELECT '1e131071'::numeric > 0, '1e-16383'::numeric > 0, '0e200000'::numeric, '-0.0e-5'::numeric;
SELECT '1e131072'::numeric;
SELECT '1e-16384'::numeric;
SELECT '0.0e-20000'::numeric;
SELECT '1e1073741823'::numeric;
SELECT ''::numeric;
SELECT ' '::numeric;
SELECT 'abc'::numeric;
SELECT '1.2.3'::numeric;
SELECT '1e'::numeric;
SELECT '1e+'::numeric;
SELECT '--1'::numeric;
SELECT '1 2'::numeric;
SELECT 'e5'::numeric;
SELECT '.'::numeric;
SELECT 'Infinityx'::numeric;
SELECT '1e1001'::numeric = '1e1001'::numeric, '1e-1001'::numeric < 1e-1000;
SELECT '1_000'::numeric;
SELECT 1.5::numeric::text, (-0.50)::numeric::varchar, 'NaN'::numeric::text;
