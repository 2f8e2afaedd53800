-- uuid: the input forms uuid_in accepts, lower-case output, bytewise order,
-- gen_random_uuid (version 4), and uuid keys.
select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'::uuid, 'A0EEBC999C0B4EF8BB6D6BB9BD380A11'::uuid, 'a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11'::uuid;
select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid < 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid::text;
select length(gen_random_uuid()::text), gen_random_uuid() <> gen_random_uuid(), substr(gen_random_uuid()::text, 15, 1);
select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1'::uuid;
select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11x'::uuid;
select 'a0eebc999-c0b-4ef8-bb6d-6bb9bd380a11'::uuid;
select '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid;
SELECT ''::uuid;
SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-'::uuid;
CREATE TABLE sessions (id uuid PRIMARY KEY, name text);
INSERT INTO sessions VALUES ('00000000-0000-0000-0000-000000000002', 'two'), ('ffffffff-ffff-ffff-ffff-ffffffffffff', 'max');
INSERT INTO sessions VALUES ('{00000000-0000-0000-0000-000000000001}', 'one'), ('00000000000000000000000000000000', 'nil');
INSERT INTO sessions VALUES ('00000000-0000-0000-0000-000000000001', 'duplicate');
INSERT INTO sessions VALUES (gen_random_uuid(), 'random'), (gen_random_uuid(), 'random');
SELECT * FROM sessions WHERE name <> 'random' ORDER BY id;
SELECT name FROM sessions ORDER BY id DESC LIMIT 2;
SELECT name FROM sessions WHERE id = '00000000-0000-0000-0000-000000000002';
SELECT name, substr(id::text, 15, 1) FROM sessions WHERE name = 'random';
UPDATE sessions SET id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' WHERE name = 'two';
SELECT * FROM sessions WHERE id > '80000000-0000-0000-0000-000000000000' AND name <> 'random' ORDER BY id;
DROP TABLE sessions;
