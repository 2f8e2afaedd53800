// node-pg drives the applications of tests/apps/ (chat, game, doc), published
// as modules, with CALL over the extended protocol: parameters bound as $n,
// OUT parameters read back as a row, errors with their SQLSTATE, a CALL
// inside a transaction block. Connects to PGHOST/PGPORT
// (tests/integration/with-server.sh sets them).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');

const apps = path.join(__dirname, '..', '..', 'apps');
const connect = async () => {
  const c = new Client({ host: process.env.PGHOST, port: Number(process.env.PGPORT), user: 'postgres', database: 'postgres' });
  await c.connect();
  return c;
};
let client;

test.before(async () => {
  client = await connect();
  for (const app of ['chat', 'game', 'doc']) {
    const source = fs.readFileSync(path.join(apps, `${app}.c`), 'utf8');
    assert.ok(!source.includes('$strand$'));
    const res = await client.query(`CREATE OR REPLACE MODULE ${app} LANGUAGE c AS $strand$${source}$strand$`);
    assert.equal(res.command, 'CREATE');
  }
});

test.after(async () => {
  await client.end();
});

test('apps-node-1: chat over the extended protocol', async () => {
  // a connection made after the chat module was published: its client_connected made its user
  const chat = await connect();
  await chat.query('CALL set_name($1)', ['node']);
  await chat.query('CALL send_message($1)', ['hello from node']);
  await assert.rejects(chat.query('CALL send_message($1)', ['']), { code: '22023', message: 'messages must not be empty' });
  await assert.rejects(client.query('CALL set_name($1)', ['early']), { code: 'P0002' }); // connected before the module
  const me = await client.query("SELECT name, online FROM chat_user WHERE name = 'node'");
  assert.deepEqual(me.rows, [{ name: 'node', online: true }]);
  const other = await connect();
  await other.query('CALL set_name($1)', ['other']);
  await other.end();
  // client_disconnected runs as the other connection closes
  for (let i = 0; i < 50; i++) {
    const r = await client.query("SELECT online FROM chat_user WHERE name = 'other'");
    if (r.rows.length && r.rows[0].online === false) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const users = await client.query('SELECT name, online FROM chat_user WHERE name IS NOT NULL ORDER BY name');
  assert.deepEqual(users.rows, [{ name: 'node', online: true }, { name: 'other', online: false }]);
  const msgs = await client.query('SELECT body FROM chat_message ORDER BY id');
  assert.deepEqual(msgs.rows, [{ body: 'hello from node' }]);
  await chat.end();
});

test('apps-node-2: game moves with OUT parameters and bounds', async () => {
  await client.query('CALL join_game($1, $2)', [1, 'node']);
  const moved = await client.query('CALL move_player($1, $2, $3, NULL, NULL)', [1, -1, 1]);
  assert.equal(moved.command, 'CALL');
  assert.deepEqual(moved.rows, [{ x: 49, y: 51 }]);
  await assert.rejects(client.query('CALL move_player($1, $2, $3, NULL, NULL)', [1, 0, 5]), { code: '22023' });
  await assert.rejects(client.query('CALL move_player($1, $2, $3, NULL, NULL)', [9, 0, 1]), { code: 'P0002' });
  const world = await client.query('SELECT tick FROM game_world');
  await new Promise((resolve) => setTimeout(resolve, 200));
  const later = await client.query('SELECT tick FROM game_world');
  assert.ok(Number(later.rows[0].tick) > Number(world.rows[0].tick), 'the scheduled tick moves the world');
});

test('apps-node-3: documents reject stale edits; a CALL in a block rolls back with it', async () => {
  await client.query('CALL create_document($1, $2)', [7, 'start']);
  const e = await client.query('CALL edit_document($1, $2, $3, NULL)', [7, 1, 'second']);
  assert.deepEqual(e.rows, [{ version: '2' }]);
  await assert.rejects(client.query('CALL edit_document($1, $2, $3, NULL)', [7, 1, 'stale']),
    { code: '40001', message: 'document 7 is at version 2, not 1' });
  await client.query('BEGIN');
  await client.query('CALL edit_document($1, $2, $3, NULL)', [7, 2, 'rolled back']);
  await client.query('ROLLBACK');
  const doc = await client.query('SELECT version, body FROM doc_document WHERE id = $1', [7]);
  assert.deepEqual(doc.rows, [{ version: '2', body: 'second' }]);
});
