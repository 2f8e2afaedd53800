-- Several statements in one Query message (psql sends text joined with \;
-- as one simple-protocol query): each result is shown, and they run as one
-- implicit transaction unless they contain their own BEGIN / COMMIT.
DROP TABLE IF EXISTS ms;
CREATE TABLE ms (id int PRIMARY KEY, v text);
SELECT 1 AS a \; SELECT 2 AS b \; SELECT 'three' AS c;
INSERT INTO ms VALUES (1, 'x') \; INSERT INTO ms VALUES (2, 'y') \; SELECT * FROM ms ORDER BY id;
-- A syntax error anywhere: nothing runs.
INSERT INTO ms VALUES (3, 'z') \; SELEC 1 \; INSERT INTO ms VALUES (4, 'w');
SELECT * FROM ms ORDER BY id;
-- A run-time error: the statements before it in the message are undone too.
INSERT INTO ms VALUES (5, 'v') \; SELECT 1 / 0 \; INSERT INTO ms VALUES (6, 'u');
SELECT * FROM ms ORDER BY id;
-- An explicit COMMIT inside the message commits what came before it.
INSERT INTO ms VALUES (7, 't') \; COMMIT \; INSERT INTO ms VALUES (1, 'dup');
SELECT * FROM ms ORDER BY id;
-- A block opened in one message continues in the next.
BEGIN \; INSERT INTO ms VALUES (8, 's');
SELECT * FROM ms WHERE id = 8;
ROLLBACK;
SELECT * FROM ms WHERE id = 8;
UPDATE ms SET v = 'changed' WHERE id = 1 \; DELETE FROM ms WHERE id = 2 RETURNING *;
SELECT * FROM ms ORDER BY id;
DROP TABLE ms;
