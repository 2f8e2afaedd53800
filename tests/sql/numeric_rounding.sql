-- round (half away from zero), trunc, ceil, floor at any scale, and the
-- other numeric functions: abs, sign, mod, div, sqrt, scale, min_scale,
-- trim_scale, factorial.
SELECT round(2.5), round(-2.5), round(0.5), round(-0.5), round(1.4999), round(0.0);
SELECT round(1234.5678, 2), round(1234.5678, 0), round(1234.5678, -2), round(1234.5678, -4), round(1234.5678, -5);
SELECT round(9.995, 2), round(99.5), round(-99.5), round(0.00049, 3), round(0.0005, 3), round(1.5, 10);
SELECT round(9999.9999, 3), round(9999.99995, 4), round(-9999.5), round(5e-10, 9), round(123, -1), round(125, -1);
SELECT trunc(1234.5678, 2), trunc(-1234.5678, 1), trunc(5.9), trunc(-5.9), trunc(1234.5678, -2), trunc(0.999, 5);
SELECT ceil(-0.5), ceil(0.5), ceil(1.0001), ceil(-1.9999), ceil(7), ceiling(2.1), ceil(99.01);
SELECT floor(-0.5), floor(0.5), floor(-1.0001), floor(1.9999), floor(-7), floor(-99.01);
SELECT round('NaN'::numeric), trunc('Infinity'::numeric, 2), ceil('-Infinity'::numeric), floor('NaN'::numeric);
SELECT abs(-3.20), abs(3.2), abs(0.0), abs('-Infinity'::numeric), abs('NaN'::numeric);
SELECT sign(-0.0), sign(-3.5), sign(2.000), sign('Infinity'::numeric), sign('-Infinity'::numeric), sign('NaN'::numeric);
SELECT mod(7.5, 2), mod(-7.5, 2), mod(10, 3.3), div(7.5, 2), div(-7.5, 2), div(100, 0.3), div(1e30, 7);
SELECT sqrt(2::numeric), sqrt(100::numeric), sqrt(0.0001::numeric), sqrt(0::numeric), sqrt(1e-30::numeric);
SELECT sqrt(123456789012345678901234567890::numeric), sqrt(2.0000000000000000000000000000), sqrt(0.5);
SELECT sqrt('Infinity'::numeric), sqrt('NaN'::numeric), sqrt(1.44), sqrt(15241578750190521);
SELECT sqrt(-1::numeric);
SELECT sqrt('-Infinity'::numeric);
SELECT scale(1.500), scale(0), scale(-1e-5), min_scale(1.500), min_scale(10), trim_scale(1.500), trim_scale(10.000), trim_scale(-0.010);
SELECT scale('NaN'::numeric), trim_scale('Infinity'::numeric);
SELECT factorial(0), factorial(1), factorial(20), factorial(30);
SELECT factorial(-1);
SELECT mod(5.5, 0);
SELECT div(1, 0.0);
