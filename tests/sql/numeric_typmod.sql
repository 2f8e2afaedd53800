-- numeric(precision, scale): rounding on assignment and cast, the overflow
-- error with its detail, and the typmod's own limits.
SELECT 1.2345::numeric(5,2), 999.994::numeric(5,2), -999.995::numeric(6,2), 0.5::numeric(1,0), 12.5::numeric(3);
SELECT 0.001::numeric(3,3), '0.0005'::numeric(3,3), 123::numeric(3), 'NaN'::numeric(4,2);
SELECT '999.995'::numeric(5,2);
SELECT 1000::numeric(5,2);
SELECT 10::numeric(1,0);
SELECT 1::numeric(3,3);
SELECT 'Infinity'::numeric(5,2);
SELECT 1.5::numeric(0);
SELECT 1.5::numeric(1001);
SELECT 1.5::numeric(5,1001);
CREATE TABLE prices (id int PRIMARY KEY, amount numeric(10,2), rate numeric(6), plain numeric);
INSERT INTO prices VALUES (1, 19.999, 12.5, 1.23456789012345678901234567890);
INSERT INTO prices VALUES (2, -0.005, -2.5, 1e-10);
INSERT INTO prices VALUES (3, 12345678.901, 999999, 'NaN');
INSERT INTO prices VALUES (4, 123456789.0, 1, 1);
INSERT INTO prices VALUES (5, 1, 1234567, 1);
INSERT INTO prices VALUES (6, 'Infinity', 1, 1);
UPDATE prices SET amount = amount * 3 WHERE id = 1;
UPDATE prices SET amount = amount * 1000 WHERE id = 3;
SELECT * FROM prices ORDER BY id;
SELECT id, amount + rate, amount * rate, amount / 7, rate % 7 FROM prices ORDER BY id;
DROP TABLE prices;
