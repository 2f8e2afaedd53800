-- numeric arithmetic: exact results, PostgreSQL's result scales (the sum's
-- is the larger of the operands', the product's their total, the
-- quotient's chosen from their weights), NaN and the infinities.
SELECT 1.5 + 2.25, 1.5 - 2.25, 1.50 * 2.25, 0.1 + 0.2, 1.000 - 0.001;
SELECT 123456789012345678901234567890.123 * 98765432109876543210.5;
SELECT 99999999999999999999.9999 + 0.0001, -99999999999999999999.9999 - 0.0001;
SELECT 1.0 / 3, 1 / 3.0, 10 / 4.0, 2 / 3::numeric, 1::numeric / 7, 100000000000 / 7.0;
SELECT 1e-20 / 3, 1 / 1e-20, 1e20 / 3, 7 / 7.0, 0 / 5.5, 12345.678 / 0.001;
SELECT 1.00000000000000000000000000 / 3, 22 / 7.000000, 9999 / 10000.0, 10000 / 9999.0;
SELECT 7.5 % 2, -7.5 % 2, 7.5 % -2, 10 % 3.3, 0.0 % 1, 123456789.123 % 0.1;
SELECT - 1.5::numeric, -(-0.0)::numeric, +2.5::numeric;
SELECT 2 + 2.5, 2::int2 * 1.5, 2::int8 - 0.5, 3 / 1.5, 7 % 2.5;
SELECT 'NaN'::numeric + 1, 'NaN'::numeric * 0, 'NaN'::numeric / 0, 'NaN'::numeric = 'NaN'::numeric;
SELECT 'Infinity'::numeric + 1, 'Infinity'::numeric - 'Infinity', '-Infinity'::numeric * -2, 'Infinity'::numeric * 0;
SELECT 'Infinity'::numeric / 2, 5 / 'Infinity'::numeric, 'Infinity'::numeric / '-Infinity', -5 / '-Infinity'::numeric;
SELECT 5 % 'Infinity'::numeric, 'Infinity'::numeric % 5, '-Infinity'::numeric - 1e100;
SELECT 1 / 0::numeric;
SELECT 1.5 % 0;
SELECT 'Infinity'::numeric / 0;
SELECT 0 / 0.0;
SELECT 'NaN'::numeric % 0;
SELECT 1e1000 * 1e1000 > 0;
SELECT (1e100 * 1e100) / 1e150;
