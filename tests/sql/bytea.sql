-- bytea: hex and escape input, output in the form bytea_output asks for,
-- encode and decode, digests; bytes order bytewise in tables and indexes.
select '\xDEADbeef'::bytea, 'abc\\d\001'::bytea, '\x'::bytea, length('\x0102'::bytea), octet_length('\x0102'::bytea);
select encode('\x00ff41'::bytea, 'hex'), encode('hello world'::bytea, 'base64'), encode('a\\b\000\200'::bytea, 'escape'), decode('aGVsbG8=', 'base64'), decode('00ff', 'hex'), decode('a\\b\001', 'escape');
select md5('\x00'::bytea), sha256('abc'::bytea), sha224(''::bytea);
set bytea_output = escape;
select '\x00417f80ff5c'::bytea, 'abc'::bytea;
reset bytea_output;
select '\x0g'::bytea;
select '\x012'::bytea;
select 'a\q'::bytea;
select decode('YQ', 'base64');
select decode('a', 'hex');
select encode('a'::bytea, 'foo');
SELECT '\x01'::bytea < '\x0100'::bytea, '\x02'::bytea > '\x0100'::bytea, '\xff'::bytea = '\xFF'::bytea, ''::bytea < '\x00'::bytea;
SELECT 'abc'::bytea::text, '\x6869'::bytea::text, length('abc'::text::bytea);
CREATE TABLE blobs (id bytea PRIMARY KEY, data bytea);
INSERT INTO blobs VALUES ('\x02', 'two'), ('\x01', '\x00ff'), ('\x0100', NULL), ('', 'empty');
INSERT INTO blobs VALUES ('\x01', 'duplicate');
SELECT * FROM blobs ORDER BY id;
SELECT * FROM blobs ORDER BY id DESC;
SELECT encode(data, 'base64') FROM blobs WHERE id = '\x01';
SELECT id, md5(data) FROM blobs WHERE id > '\x01' ORDER BY id;
UPDATE blobs SET data = decode('deadbeef', 'hex') WHERE id = '\x02';
SELECT * FROM blobs WHERE data IS NOT NULL ORDER BY data;
DROP TABLE blobs;
SELECT decode('aGVsbG8', 'base64');
SELECT decode('a=b', 'base64');
SELECT decode('*', 'base64');
