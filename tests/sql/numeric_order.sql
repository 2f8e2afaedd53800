-- numeric in tables: comparison by value (not text), ORDER BY both ways,
-- NaN sorting last, primary keys and unique indexes treating 1.0 and 1.00
-- as one value, index scans with equality and ranges.
CREATE TABLE nums (n numeric PRIMARY KEY, label text);
INSERT INTO nums VALUES (9, 'nine'), (10, 'ten'), (1.5, 'one and a half'), (-2, 'minus two'), (0, 'zero');
INSERT INTO nums VALUES ('NaN', 'not a number'), ('Infinity', 'infinity'), ('-Infinity', 'minus infinity');
INSERT INTO nums VALUES (100.001, 'a hundred and a bit'), (0.0001, 'tiny'), (-0.5, 'minus a half');
INSERT INTO nums VALUES (1.50, 'duplicate');
INSERT INTO nums VALUES (10.000, 'duplicate');
INSERT INTO nums VALUES ('nan', 'duplicate');
SELECT * FROM nums ORDER BY n;
SELECT * FROM nums ORDER BY n DESC;
SELECT * FROM nums WHERE n = 1.5000;
SELECT * FROM nums WHERE n = 10;
SELECT * FROM nums WHERE n > 1 ORDER BY n;
SELECT * FROM nums WHERE n >= -1 AND n < 10 ORDER BY n DESC;
SELECT * FROM nums WHERE n = 'NaN';
SELECT * FROM nums WHERE n > 1e10 ORDER BY n;
SELECT label FROM nums ORDER BY n LIMIT 3;
SELECT label FROM nums ORDER BY n DESC LIMIT 2;
UPDATE nums SET n = n * 2 WHERE n >= 1 AND n <= 10;
SELECT * FROM nums ORDER BY n;
UPDATE nums SET n = 10 WHERE n = 20;
UPDATE nums SET n = 3.00 WHERE n = 3;
SELECT * FROM nums ORDER BY n;
CREATE TABLE amounts (id int PRIMARY KEY, amount numeric(8,2));
CREATE INDEX amounts_amount ON amounts (amount);
INSERT INTO amounts VALUES (1, 10), (2, 9.99), (3, 100), (4, -5.5), (5, 10.004), (6, 0.005), (7, NULL);
SELECT * FROM amounts ORDER BY amount, id;
SELECT * FROM amounts WHERE amount = 10 ORDER BY id;
SELECT * FROM amounts WHERE amount < 10 ORDER BY amount DESC;
SELECT * FROM amounts ORDER BY amount DESC NULLS LAST, id;
DROP TABLE nums;
DROP TABLE amounts;
