-- oid and the reg* types as far as names resolve today: oid's range and
-- wrap-around, regproc / regprocedure over the built-in functions, regtype,
-- regnamespace, regclass over tables and indexes; casts among them and the
-- integers; oid columns in tables.
select 1::oid, '4294967295'::oid, '-1'::oid, 17::oid::int4, 4294967295::oid::int8, '-1'::oid::int4, pg_typeof(1::oid);
select 'x'::oid;
select '4294967296'::oid;
select 4294967296::oid;
select 'now'::regproc, 'now'::regproc::oid, 1299::regproc, 0::regproc, 999999::regproc, 'pg_typeof'::regprocedure, 'abs(integer)'::regprocedure, 'abs(integer)'::regprocedure::oid, 'concat'::regproc::regprocedure;
select 'round'::regproc;
select 'nosuch'::regproc;
select 'abs(text)'::regprocedure;
select 'pg_catalog'::regnamespace, 'public'::regnamespace::oid, 11::regnamespace, 99::regnamespace;
select 'nosuch'::regnamespace;
create table reg_t (id int primary key, r regclass, o oid);
select 'reg_t'::regclass, 'reg_t'::regclass::oid > 16000, 'reg_t_pkey'::regclass is not null, 'reg_t'::text::regclass = 'reg_t'::regclass;
select 'nosuch'::regclass;
select 'REG_T'::regclass, '"reg_t"'::regclass;
insert into reg_t values (1, 'reg_t', 5), (2, null, 4294967295);
select id, r, o from reg_t order by o;
select id from reg_t where o = 5 and o <> 4294967295::oid;
select 'integer'::regtype::oid, 23::oid::regtype, 'text'::regtype::regtype;
drop table reg_t;
select 1::oid + 1;
