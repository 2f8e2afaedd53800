-- INSERT forms, RETURNING, and simple SELECTs of what was stored.
DROP TABLE IF EXISTS people;
CREATE TABLE people (
    id int PRIMARY KEY,
    name text NOT NULL,
    age int2,
    email varchar(20),
    score float8,
    active bool,
    visits int8
);
INSERT INTO people VALUES (1, 'alice', 30, 'alice@example.com', 9.5::float8, true, 100);
INSERT INTO people VALUES (2, 'bob', 25, NULL, 7::float8, false, 3000000000),
                          (3, 'carol', NULL, 'carol@example.com', NULL, NULL, NULL);
INSERT INTO people (id, name) VALUES (4, 'dave');
INSERT INTO people (name, id, active) VALUES ('eve', 5, 'yes');
INSERT INTO people (id, name, age) VALUES ('6', 'frank', '41');
INSERT INTO people (id, name, score) VALUES (7, 'grace', 0.5::float8) RETURNING *;
INSERT INTO people (id, name) VALUES (8, 'heidi'), (9, 'ivan') RETURNING id, name;
INSERT INTO people (id, name, visits) VALUES (10, 'judy', -1) RETURNING visits, id;
SELECT * FROM people ORDER BY id;
SELECT name, age FROM people ORDER BY id;
SELECT id AS person, name AS who, active AS is_active FROM people ORDER BY person;
SELECT name, name, id FROM people ORDER BY id LIMIT 3;
SELECT email FROM people WHERE id = 1;
SELECT * FROM people WHERE id = 42;
-- An integer into a text column (assignment cast).
INSERT INTO people (id, name) VALUES (11, 12345);
SELECT id, name FROM people WHERE id = 11;
-- Text with quotes and non-ASCII characters.
INSERT INTO people (id, name) VALUES (12, 'O''Brien'), (13, 'zoë ünïcode');
SELECT id, name FROM people WHERE id >= 12 ORDER BY id;
-- Expressions in the select list.
SELECT id, name || '@' || id::text AS tag, age + 1 AS next_age, score * 2 AS double_score
FROM people ORDER BY id;
-- A failed multi-row INSERT stores nothing.
INSERT INTO people (id, name) VALUES (20, 'ok'), (1, 'dup');
SELECT id, name FROM people WHERE id >= 20 ORDER BY id;
DROP TABLE people;
