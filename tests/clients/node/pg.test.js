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

test('clients-node-pg-6: a pool of 10 clients runs parameterized queries concurrently', async () => {
  const { Pool } = require('pg');
  const pool = new Pool({ host: process.env.PGHOST, port: Number(process.env.PGPORT), user: 'postgres',
    database: 'postgres', max: 10 });
  await pool.query('CREATE TABLE pool_t (id int PRIMARY KEY, owner int, n int)');
  const work = [];
  for (let w = 0; w < 10; w++) {
    work.push((async () => {
      const c = await pool.connect();
      try {
        for (let i = 0; i < 50; i++) {
          const id = w * 1000 + i;
          await c.query('INSERT INTO pool_t VALUES ($1, $2, $3)', [id, w, i]);
          const r = await c.query('SELECT n FROM pool_t WHERE id = $1', [id]);
          assert.equal(r.rows[0].n, i);
        }
      } finally {
        c.release();
      }
    })());
  }
  await Promise.all(work);
  assert.equal(pool.totalCount, 10);
  const r = await pool.query('SELECT owner, n FROM pool_t WHERE owner = $1 ORDER BY n DESC LIMIT 1', [7]);
  assert.deepEqual(r.rows, [{ owner: 7, n: 49 }]);
  await pool.query('DROP TABLE pool_t');
  await pool.end();
});

test('clients-node-pg-7: LISTEN / NOTIFY reach a listening client after commit', async () => {
  const listener = new Client({ host: process.env.PGHOST, port: Number(process.env.PGPORT), user: 'postgres',
    database: 'postgres' });
  await listener.connect();
  const got = [];
  let wake;
  listener.on('notification', (n) => { got.push([n.channel, n.payload, n.processId]); if (wake) wake(); });
  await listener.query('LISTEN room');
  const until = (count) => new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`only ${got.length} notifications`)), 3000);
    const check = () => { if (got.length >= count) { clearTimeout(t); resolve(); } };
    wake = check;
    check();
  });
  await client.query("NOTIFY room, 'one'");
  await until(1);
  await client.query('BEGIN');
  await client.query("SELECT pg_notify('room', $1)", ['two']);
  await client.query("NOTIFY room, 'two'");
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(got.length, 1); // nothing before COMMIT
  await client.query('COMMIT');
  await until(2);
  assert.deepEqual(got.map((g) => g.slice(0, 2)), [['room', 'one'], ['room', 'two']]);
  assert.equal(got[0][2], client.processID);
  await listener.end();
});

test('clients-node-pg-8: pg-cursor reads a result in pieces', async () => {
  const Cursor = require('pg-cursor');
  await client.query('CREATE TABLE cur_t (id int PRIMARY KEY)');
  await client.query(`INSERT INTO cur_t VALUES ${Array.from({ length: 250 }, (_, i) => `(${i})`).join(', ')}`);
  await client.query('BEGIN');
  const cursor = client.query(new Cursor('SELECT id FROM cur_t WHERE id >= $1 ORDER BY id', [0]));
  const read = (n) => new Promise((resolve, reject) => cursor.read(n, (err, rows) => (err ? reject(err) : resolve(rows))));
  let all = [];
  for (;;) {
    const rows = await read(100);
    if (rows.length === 0) break;
    assert.ok(rows.length <= 100);
    all = all.concat(rows.map((r) => r.id));
  }
  assert.equal(all.length, 250);
  assert.equal(all[249], 249);
  await new Promise((resolve) => cursor.close(resolve));
  await client.query('COMMIT');
  await client.query('DROP TABLE cur_t');
});

test('clients-node-pg-8b: a cursor streams: each read makes its rows then, not all of them at the first', async () => {
  const Cursor = require('pg-cursor');
  const other = new Client({ host: process.env.PGHOST, port: Number(process.env.PGPORT), user: 'postgres',
    database: 'postgres' });
  await other.connect();
  const cursor = client.query(new Cursor(
    'SELECT g, g * 2 AS twice, clock_timestamp() AS at FROM generate_series(1, 100000000) AS g WHERE g % 3 <> 0'));
  const read = (n) => new Promise((resolve, reject) => cursor.read(n, (err, rows) => (err ? reject(err) : resolve(rows))));
  const first = await read(4);
  assert.deepEqual(first.map((r) => r.g), [1, 2, 4, 5]);
  const { rows: [between] } = await other.query('SELECT clock_timestamp() AS at');
  const second = await read(3);
  assert.deepEqual(second.map((r) => r.twice), [14, 16, 20]);
  /* made on demand: the second read's rows after the moment between the reads */
  assert.ok(first[3].at <= between.at && between.at <= second[0].at);
  await new Promise((resolve) => cursor.close(resolve));
  await other.end();
  const { rows } = await client.query('SELECT 1 AS one');
  assert.equal(rows[0].one, 1);
});

test('clients-node-pg-9: json, jsonb, arrays, numeric, dates and uuid reach JavaScript as node-pg maps them by OID', async () => {
  await client.query(`CREATE TABLE types_np (id int PRIMARY KEY, doc jsonb, raw json, tags text[], nums int[],
    amount numeric(12,2), at timestamptz, day date, uid uuid, spans interval[])`);
  const doc = { b: [1, 2, { c: null }], a: 'x"y' };
  await client.query('INSERT INTO types_np VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [
    1, doc, JSON.stringify({ z: 1, a: 2 }), ['a', 'b c', null, 'd"e'], [3, null, -1], '1234.5',
    new Date('2024-02-29T13:04:05.123Z'), '2024-02-29', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', ['1 day', '02:00:00']]);
  const { rows, fields } = await client.query('SELECT * FROM types_np WHERE id = $1', [1]);
  const r = rows[0];
  assert.deepEqual(r.doc, { a: 'x"y', b: [1, 2, { c: null }] });
  assert.deepEqual(r.raw, { z: 1, a: 2 });
  assert.deepEqual(r.tags, ['a', 'b c', null, 'd"e']);
  assert.deepEqual(r.nums, [3, null, -1]);
  assert.equal(r.amount, '1234.50');
  assert.equal(r.at.toISOString(), '2024-02-29T13:04:05.123Z');
  assert.equal(r.uid, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
  assert.deepEqual(fields.map((f) => f.dataTypeID), [23, 3802, 114, 1009, 1007, 1700, 1184, 1082, 2950, 1187]);
  const q = await client.query(`SELECT doc -> 'b' -> 2 AS c, doc ->> 'a' AS a, tags[2] AS t, $1 = ANY (nums) AS has,
    jsonb_build_object('n', nums, 'when', at) AS built FROM types_np WHERE doc @> $2`, [-1, { a: 'x"y' }]);
  assert.deepEqual(q.rows, [{ c: { c: null }, a: 'x"y', t: 'b c', has: true,
    built: { n: [3, null, -1], when: '2024-02-29T13:04:05.123+00:00' } }]);
  await client.query('DROP TABLE types_np');
});
