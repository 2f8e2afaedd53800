// node-pg against strand: the extended protocol with inferred parameter
// types, the simple protocol with several statements, errors with their
// fields, transactions, NULLs and non-ASCII text. Connects to PGHOST/PGPORT
// (tests/integration/with-server.sh sets them).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Client } = require('pg');

let client;

test.before(async () => {
  client = new Client({ host: process.env.PGHOST, port: Number(process.env.PGPORT), user: 'postgres', database: 'postgres' });
  await client.connect();
});

test.after(async () => {
  await client.end();
});

test('clients-node-pg-1: parameters take their types from the columns', async () => {
  await client.query('CREATE TABLE np (id int8 PRIMARY KEY, name text, score float8, ok bool, code varchar(3))');
  const ins = await client.query('INSERT INTO np VALUES ($1, $2, $3, $4, $5) RETURNING id, name, score, ok, code',
    [1, 'één', 2.5, true, 'abc']);
  assert.equal(ins.command, 'INSERT');
  assert.equal(ins.rowCount, 1);
  assert.deepEqual(ins.rows, [{ id: '1', name: 'één', score: 2.5, ok: true, code: 'abc' }]);
  await client.query('INSERT INTO np VALUES ($1, $2, $3, $4, $5)', [2, null, null, null, null]);
  const sel = await client.query('SELECT id, name, score FROM np WHERE id >= $1 ORDER BY id DESC', [1]);
  assert.deepEqual(sel.rows, [{ id: '2', name: null, score: null }, { id: '1', name: 'één', score: 2.5 }]);
  assert.deepEqual(sel.fields.map((f) => f.dataTypeID), [20, 25, 701]);
});

test('clients-node-pg-2: errors carry SQLSTATE, constraint, table, detail and position', async () => {
  await assert.rejects(client.query('INSERT INTO np (id) VALUES ($1)', [1]), (e) => {
    assert.equal(e.code, '23505');
    assert.equal(e.constraint, 'np_pkey');
    assert.equal(e.table, 'np');
    assert.equal(e.detail, 'Key (id)=(1) already exists.');
    return true;
  });
  await assert.rejects(client.query('SELECT nope FROM np'), (e) => {
    assert.equal(e.code, '42703');
    assert.equal(e.position, '8');
    return true;
  });
  await assert.rejects(client.query('INSERT INTO np (id, code) VALUES ($1, $2)', [3, 'toolong']), { code: '22001' });
  await assert.rejects(client.query('SELECT $1::int4', ['x']), { code: '22P02' });
  // The connection goes on after every error.
  assert.equal((await client.query('SELECT 1 + 1 AS two')).rows[0].two, 2);
});

test('clients-node-pg-3: several statements in one simple query', async () => {
  const results = await client.query('UPDATE np SET score = 3 WHERE id = 1; SELECT score FROM np WHERE id = 1');
  assert.equal(results.length, 2);
  assert.equal(results[0].command, 'UPDATE');
  assert.equal(results[0].rowCount, 1);
  assert.deepEqual(results[1].rows, [{ score: 3 }]);
});

test('clients-node-pg-4: a rolled-back transaction leaves nothing behind', async () => {
  await client.query('BEGIN');
  await client.query('DELETE FROM np WHERE id = $1', [1]);
  assert.equal((await client.query('SELECT id FROM np WHERE id = 1')).rowCount, 0);
  await client.query('ROLLBACK');
  assert.equal((await client.query('SELECT id FROM np WHERE id = 1')).rowCount, 1);
  await client.query('BEGIN');
  await assert.rejects(client.query('SELECT 1 / 0'), { code: '22012' });
  await assert.rejects(client.query('SELECT 1'), { code: '25P02' });
  await client.query('ROLLBACK');
});

test('clients-node-pg-5: a thousand rows come back in order', async () => {
  const values = [];
  for (let i = 10; i < 1010; i++) values.push(`(${i}, 'n${i}')`);
  await client.query(`INSERT INTO np (id, name) VALUES ${values.join(', ')}`);
  const r = await client.query('SELECT id, name FROM np WHERE id >= $1 ORDER BY id', [10]);
  assert.equal(r.rowCount, 1000);
  assert.deepEqual(r.rows[999], { id: '1009', name: 'n1009' });
  await client.query('DROP TABLE np');
});
