-- real (float4): input and its range errors, shortest output with float4's
-- exponent threshold, arithmetic (float4 with anything else is float8), casts,
-- extra_float_digits, and real columns in a table.
select pg_typeof(1 + 1.5::float4), pg_typeof(1.5::float4 + 1.5::float4), pg_typeof(1.5::float4 * 2), pg_typeof(1.5::float4 + 1.5), pg_typeof(1.5::float4 + 1.5::float8), pg_typeof(1.5::float4 + '1');
select 1.1::float4 + 2.2::float4, 1.1::float4 * 3, 1.1::float4::float8, (1.1::float4)::numeric, 0.1::float4, 1e10::float4, 123456789::float4, 3.4028235e38::float4, 1.4e-45::float4, 16777217::float4;
select abs(-1.5::float4), pg_typeof(abs(-1.5::float4)), pg_typeof(round(1.5::float4)), pg_typeof(-(1.5::float4)), 1.5::float4 = 1.5, 0.1::float4 = 0.1::float8, 2::float4 / 3::float4;
select 123456::float4, 1234567::float4, 12345678::float4, 0.0001::float4, 0.00001::float4, 0.000123::float4, 100000::float4, 1000000::float4, 1.17549435e-38::float4, 'NaN'::float4, '-Infinity'::float4, '-0'::float4, 3.14159265::float4, 1::float4/3::float4;
select 2.5::float4::int4, 3.5::float4::int2, (-2.5)::float4::int8, 1e10::float4::int8, 'inf'::real, '  1.5  '::real, '1e-40'::real;
select '1e39'::float4;
select 1e39::float8::float4;
select 1e-50::float8::float4;
select 3e38::float4 * 10::float4;
select 1e-30::float4 * 1e-30::float4;
select 3e9::float4::int4;
select 'abc'::real;
set extra_float_digits = 0;
select 1::float4/3, 0.1::float4, 1e10::float4, 1234567::float4;
reset extra_float_digits;
create table r (id int primary key, v real);
insert into r values (1, 1.1), (2, 0.1), (3, 1e30), (4, 'NaN'), (5, -0.5), (6, 16777217);
select * from r order by v;
select v * 2, v + 1::float4, v::float8, v::numeric from r order by id;
drop table r;
