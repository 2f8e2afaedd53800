-- CREATE TABLE / DROP TABLE: every supported type and constraint form.
DROP TABLE IF EXISTS ddl_types;
DROP TABLE IF EXISTS ddl_pk;
DROP TABLE IF EXISTS ddl_pk2;
CREATE TABLE ddl_types (
    a int2,
    b smallint,
    c int4,
    d int,
    e integer,
    f int8,
    g bigint,
    h bool,
    i boolean,
    j text,
    k varchar(10),
    l float8,
    m double precision
);
SELECT * FROM ddl_types;
INSERT INTO ddl_types VALUES (1, 2, 3, 4, 5, 6, 7, true, false, 'text', 'varchar', 1.5::float8, -2.5::float8);
INSERT INTO ddl_types VALUES (-32768, 32767, -2147483648, 2147483647, 0, -9223372036854775808, 9223372036854775807, 't', 'f', '', 'ten chars!', 0::float8, '1e20'::float8);
INSERT INTO ddl_types VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
SELECT * FROM ddl_types ORDER BY a NULLS LAST;
-- Column-level PRIMARY KEY and NOT NULL.
CREATE TABLE ddl_pk (id int PRIMARY KEY, name text NOT NULL, note varchar(5));
SELECT * FROM ddl_pk;
INSERT INTO ddl_pk VALUES (1, 'one', NULL);
INSERT INTO ddl_pk (name, id) VALUES ('two', 2);
SELECT * FROM ddl_pk ORDER BY id;
-- Table-level composite PRIMARY KEY.
CREATE TABLE ddl_pk2 (a int, b int, c text, PRIMARY KEY (a, b));
INSERT INTO ddl_pk2 VALUES (1, 1, 'x'), (1, 2, 'y'), (2, 1, 'z');
INSERT INTO ddl_pk2 VALUES (1, 2, 'again');
SELECT * FROM ddl_pk2 ORDER BY a, b;
-- Creating an existing table, dropping a missing one.
CREATE TABLE ddl_pk (id int);
DROP TABLE ddl_missing;
DROP TABLE IF EXISTS ddl_missing;
DROP TABLE IF EXISTS ddl_missing, ddl_missing_too;
CREATE TABLE IF NOT EXISTS ddl_pk (id int);
-- Unquoted names fold to lower case.
CREATE TABLE DDL_Upper (Id INT, NAME Text);
INSERT INTO ddl_upper (ID, Name) VALUES (1, 'folded');
SELECT ID, name FROM DDL_UPPER;
DROP TABLE ddl_upper;
-- Dropped tables are gone.
DROP TABLE ddl_types;
SELECT * FROM ddl_types;
DROP TABLE ddl_pk;
DROP TABLE ddl_pk2;
DROP TABLE IF EXISTS ddl_pk2;
