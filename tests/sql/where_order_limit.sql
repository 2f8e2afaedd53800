-- WHERE, ORDER BY (with NULLs), LIMIT and OFFSET.
DROP TABLE IF EXISTS items;
CREATE TABLE items (id int PRIMARY KEY, name text, price float8, qty int, tag varchar(10));
INSERT INTO items VALUES
    (1, 'apple', 0.5::float8, 10, 'fruit'),
    (2, 'Banana', 0.25::float8, 20, 'fruit'),
    (3, 'carrot', 1.5::float8, NULL, 'veg'),
    (4, 'date', 4::float8, 5, NULL),
    (5, 'eggplant', NULL, 0, 'veg'),
    (6, 'fig', 2.5::float8, 7, 'fruit'),
    (7, 'Grape', 3::float8, NULL, NULL);
-- Comparisons.
SELECT id, name FROM items WHERE qty = 10;
SELECT id, name FROM items WHERE qty <> 10 ORDER BY id;
SELECT id, name FROM items WHERE qty < 7 ORDER BY id;
SELECT id, name FROM items WHERE qty <= 7 ORDER BY id;
SELECT id, name FROM items WHERE price > 2.5::float8 ORDER BY id;
SELECT id, name FROM items WHERE price >= 2.5::float8 ORDER BY id;
SELECT id, name FROM items WHERE name = 'fig';
SELECT id, name FROM items WHERE name < 'c' ORDER BY id;
SELECT id, name FROM items WHERE qty * price > 5::float8 ORDER BY id;
-- Boolean connectives and NULL tests.
SELECT id FROM items WHERE tag = 'fruit' AND qty > 8 ORDER BY id;
SELECT id FROM items WHERE tag = 'veg' OR price < 1::float8 ORDER BY id;
SELECT id FROM items WHERE tag = 'veg' OR tag = 'fruit' AND qty > 15 ORDER BY id;
SELECT id FROM items WHERE (tag = 'veg' OR tag = 'fruit') AND qty > 15 ORDER BY id;
SELECT id FROM items WHERE NOT tag = 'fruit' ORDER BY id;
SELECT id FROM items WHERE NOT (qty > 5) ORDER BY id;
SELECT id FROM items WHERE qty IS NULL ORDER BY id;
SELECT id FROM items WHERE qty IS NOT NULL AND tag IS NULL ORDER BY id;
SELECT id FROM items WHERE qty = NULL;
SELECT id FROM items WHERE true ORDER BY id DESC;
SELECT id FROM items WHERE false;
SELECT id FROM items WHERE id = 1 OR NULL;
-- ORDER BY: direction, NULL placement, expressions, ordinals, aliases.
SELECT id, qty FROM items ORDER BY qty, id;
SELECT id, qty FROM items ORDER BY qty DESC, id;
SELECT id, qty FROM items ORDER BY qty NULLS FIRST, id;
SELECT id, qty FROM items ORDER BY qty DESC NULLS LAST, id;
SELECT id, qty FROM items ORDER BY qty ASC NULLS LAST, id DESC;
SELECT name FROM items ORDER BY name;
SELECT name FROM items ORDER BY name DESC;
SELECT id, price * qty AS total FROM items ORDER BY price * qty DESC NULLS LAST, id;
SELECT id, -id AS neg FROM items ORDER BY neg LIMIT 3;
SELECT tag, name FROM items ORDER BY 1, 2;
SELECT tag, id FROM items ORDER BY tag DESC, 2 DESC;
SELECT id FROM items ORDER BY id % 3, id;
-- LIMIT and OFFSET.
SELECT id FROM items ORDER BY id LIMIT 2;
SELECT id FROM items ORDER BY id OFFSET 5;
SELECT id FROM items ORDER BY id LIMIT 2 OFFSET 3;
SELECT id FROM items ORDER BY id OFFSET 3 LIMIT 2;
SELECT id FROM items ORDER BY id LIMIT 0;
SELECT id FROM items ORDER BY id OFFSET 100;
SELECT id FROM items ORDER BY id DESC LIMIT 100;
SELECT id, name FROM items WHERE tag IS NOT NULL ORDER BY price DESC NULLS LAST LIMIT 2 OFFSET 1;
DROP TABLE items;
