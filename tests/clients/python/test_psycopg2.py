"""psycopg2 against strand: client-side parameter interpolation (the simple
protocol with literals), SSLRequest at connect, transactions as psycopg2
opens them implicitly, errors with their diagnostics, NULLs and quoting.
Connects to PGHOST/PGPORT (tests/integration/with-server.sh sets them)."""
import os
import unittest

import psycopg2


class Psycopg2Test(unittest.TestCase):
    def setUp(self):
        self.conn = psycopg2.connect(host=os.environ["PGHOST"], port=int(os.environ["PGPORT"]),
                                     user="postgres", dbname="postgres", sslmode="prefer")
        self.cur = self.conn.cursor()

    def tearDown(self):
        self.conn.rollback()
        self.cur.execute("DROP TABLE IF EXISTS py")
        self.conn.commit()
        self.conn.close()

    def test_clients_psycopg2_1_roundtrip(self):
        self.cur.execute("CREATE TABLE py (id int PRIMARY KEY, name varchar(10), score float8, ok bool)")
        self.cur.execute("INSERT INTO py VALUES (%s, %s, %s, %s)", (1, "o'neil", 2.5, True))
        self.cur.executemany("INSERT INTO py VALUES (%s, %s, %s, %s)", [(2, "b", None, False), (3, "ç", -1e20, None)])
        self.conn.commit()
        self.cur.execute("SELECT * FROM py WHERE id >= %s ORDER BY id", (1,))
        self.assertEqual(self.cur.fetchall(), [(1, "o'neil", 2.5, True), (2, "b", None, False), (3, "ç", -1e20, None)])
        self.assertEqual([d.name for d in self.cur.description], ["id", "name", "score", "ok"])
        self.assertEqual([d.type_code for d in self.cur.description], [23, 1043, 701, 16])
        self.assertEqual(self.conn.server_version // 10000, 15)

    def test_clients_psycopg2_7_types(self):
        """Python's Decimal, datetime, date, timedelta, UUID, lists and
        dicts go in as literals psycopg2 writes and come back as the same
        Python values through its OID-based casters."""
        import datetime
        import decimal
        import uuid
        import psycopg2.extras
        psycopg2.extras.register_uuid()
        self.cur.execute("CREATE TABLE py (id int PRIMARY KEY, amount numeric(10,3), at timestamptz, day date,"
                         " span interval, uid uuid, tags text[], nums int[], doc jsonb)")
        at = datetime.datetime(2024, 2, 29, 13, 4, 5, 123456, tzinfo=datetime.timezone.utc)
        values = (1, decimal.Decimal("12.345"), at, datetime.date(2024, 2, 29), datetime.timedelta(days=3, seconds=5),
                  uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), ["a", "b c", None], [1, None, -2],
                  psycopg2.extras.Json({"k": [1, 2.5, None], "s": "x'y"}))
        self.cur.execute("INSERT INTO py VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", values)
        self.cur.execute("SELECT * FROM py")
        row = self.cur.fetchone()
        self.assertEqual(row[:8], values[:8])
        self.assertEqual(row[8], {"k": [1, 2.5, None], "s": "x'y"})
        self.cur.execute("SELECT doc ->> 's', tags[2], %s = ANY (nums), to_char(at, 'YYYY-MM-DD HH24:MI:SS.US') FROM py",
                         (-2,))
        self.assertEqual(self.cur.fetchone(), ("x'y", "b c", True, "2024-02-29 13:04:05.123456"))

    def test_clients_psycopg2_2_errors_and_rollback(self):
        self.cur.execute("CREATE TABLE py (id int PRIMARY KEY)")
        self.conn.commit()
        self.cur.execute("INSERT INTO py VALUES (1)")
        with self.assertRaises(psycopg2.errors.UniqueViolation) as ctx:
            self.cur.execute("INSERT INTO py VALUES (1)")
        self.assertEqual(ctx.exception.diag.constraint_name, "py_pkey")
        self.assertEqual(ctx.exception.diag.message_detail, "Key (id)=(1) already exists.")
        with self.assertRaises(psycopg2.errors.InFailedSqlTransaction):
            self.cur.execute("SELECT 1")
        self.conn.rollback()
        self.cur.execute("SELECT id FROM py")
        self.assertEqual(self.cur.fetchall(), [])  # the block's insert was rolled back
        with self.assertRaises(psycopg2.errors.SyntaxError) as ctx:
            self.cur.execute("SELEC 1")
        self.assertEqual(ctx.exception.diag.statement_position, "1")

    def test_clients_psycopg2_3_copy_expert(self):
        import io
        self.cur.execute("CREATE TABLE py (id int PRIMARY KEY, name text, score float8)")
        data = "".join(f"{i},name {i},{i / 4}\n" for i in range(1, 1001)) + '1001,"quoted, ""x""",\n'
        self.cur.copy_expert("COPY py FROM STDIN WITH (FORMAT csv)", io.StringIO(data))
        self.assertEqual(self.cur.rowcount, 1001)
        self.conn.commit()
        self.cur.execute("SELECT name, score FROM py WHERE id = 1001")
        self.assertEqual(self.cur.fetchall(), [('quoted, "x"', None)])
        out = io.StringIO()
        self.cur.copy_expert("COPY (SELECT id, name, score FROM py WHERE id > 998 ORDER BY id) TO STDOUT WITH CSV HEADER", out)
        self.assertEqual(out.getvalue(), 'id,name,score\n999,name 999,249.75\n1000,name 1000,250\n'
                                         '1001,"quoted, ""x""",\n')
        # A bad row fails the whole COPY: nothing of it is kept.
        with self.assertRaises(psycopg2.errors.InvalidTextRepresentation) as ctx:
            self.cur.copy_expert("COPY py FROM STDIN", io.StringIO("2000\ta\t1\n2001\tb\tnope\n"))
        self.assertEqual(ctx.exception.diag.context, 'COPY py, line 2, column score: "nope"')
        self.conn.rollback()
        self.cur.execute("SELECT id FROM py WHERE id >= 2000")
        self.assertEqual(self.cur.fetchall(), [])
        # copy_from / copy_to: text format
        self.cur.copy_from(io.StringIO("3000\tthree\t\\N\n"), "py", columns=("id", "name", "score"))
        out = io.StringIO()
        self.cur.copy_to(out, "py", columns=("name", "id"))
        self.assertIn("three\t3000\n", out.getvalue())
        self.assertEqual(len(out.getvalue().splitlines()), 1002)

    def test_clients_psycopg2_4_settings(self):
        self.assertEqual(self.conn.get_parameter_status("client_encoding"), "UTF8")
        self.assertEqual(self.conn.get_parameter_status("DateStyle"), "ISO, MDY")
        self.cur.execute("SET application_name = 'psycopg2 test'")
        # A reported setting's change reaches the client as ParameterStatus.
        self.assertEqual(self.conn.get_parameter_status("application_name"), "psycopg2 test")
        self.conn.rollback()  # ... and so does its rollback
        self.assertNotEqual(self.conn.get_parameter_status("application_name"), "psycopg2 test")
        self.cur.execute("SELECT set_config('DateStyle', 'ISO, DMY', false), current_setting('DateStyle')")
        self.assertEqual(self.cur.fetchone(), ("ISO, DMY", "ISO, DMY"))
        self.assertEqual(self.conn.get_parameter_status("DateStyle"), "ISO, DMY")
        with self.assertRaises(psycopg2.errors.UndefinedObject):
            self.cur.execute("SET no_such_setting = 1")

    def test_clients_psycopg2_5_listen_notify(self):
        import select
        listener = psycopg2.connect(host=os.environ["PGHOST"], port=int(os.environ["PGPORT"]),
                                    user="postgres", dbname="postgres")
        listener.autocommit = True
        lcur = listener.cursor()
        lcur.execute("LISTEN chat")
        lcur.execute('LISTEN "Other"')

        def received(timeout=2.0):
            got = []
            deadline = timeout
            while deadline > 0:
                if select.select([listener], [], [], 0.1) != ([], [], []):
                    listener.poll()
                    while listener.notifies:
                        n = listener.notifies.pop(0)
                        got.append((n.channel, n.payload))
                deadline -= 0.1
                if got and deadline < timeout - 0.5:
                    break
            return got

        self.conn.autocommit = True
        self.cur.execute("NOTIFY chat, 'hello'")
        self.assertEqual(received(), [("chat", "hello")])
        # Inside a transaction: nothing until COMMIT; duplicates folded; in order.
        self.conn.autocommit = False
        self.cur.execute("NOTIFY chat, 'a'")
        self.cur.execute("NOTIFY chat, 'a'")
        self.cur.execute("SELECT pg_notify('Other', 'b')")
        self.cur.execute("NOTIFY nobody_listens, 'c'")
        self.assertEqual(received(0.3), [])
        self.conn.commit()
        self.assertEqual(received(), [("chat", "a"), ("Other", "b")])
        # A rolled back NOTIFY is never delivered.
        self.cur.execute("NOTIFY chat, 'rolled back'")
        self.conn.rollback()
        self.assertEqual(received(0.3), [])
        # NOTIFY without a payload.
        self.cur.execute("NOTIFY chat")
        self.conn.commit()
        self.assertEqual(received(), [("chat", "")])
        # UNLISTEN stops them.
        lcur.execute("UNLISTEN chat")
        self.cur.execute("NOTIFY chat, 'unheard'")
        self.cur.execute("NOTIFY \"Other\", 'heard'")
        self.conn.commit()
        self.assertEqual(received(), [("Other", "heard")])
        lcur.execute("UNLISTEN *")
        self.cur.execute("NOTIFY \"Other\", 'unheard'")
        self.conn.commit()
        self.assertEqual(received(0.3), [])
        # A session hears its own notifications, before its ReadyForQuery.
        lcur.execute("LISTEN me")
        lcur.execute("NOTIFY me, 'self'")
        self.assertEqual([(n.channel, n.payload, n.pid) for n in listener.notifies],
                         [("me", "self", listener.get_backend_pid())])
        with self.assertRaises(psycopg2.errors.InvalidParameterValue):
            self.cur.execute("NOTIFY chat, %s", ("x" * 8000,))
        self.conn.rollback()
        listener.close()

    def test_clients_psycopg2_6_named_cursor(self):
        self.cur.execute("CREATE TABLE py (id int PRIMARY KEY, name text)")
        self.cur.executemany("INSERT INTO py VALUES (%s, %s)", [(i, f"n{i}") for i in range(1, 2501)])
        self.conn.commit()
        named = self.conn.cursor(name="big_read")  # DECLARE ... CURSOR WITHOUT HOLD, then FETCH FORWARD
        named.itersize = 500
        named.execute("SELECT id, name FROM py WHERE id > %s ORDER BY id", (10,))
        first = named.fetchmany(3)
        self.assertEqual(first, [(11, "n11"), (12, "n12"), (13, "n13")])
        rest = list(named)
        self.assertEqual(len(rest), 2500 - 13)
        self.assertEqual(rest[-1], (2500, "n2500"))
        named.close()
        scroll = self.conn.cursor(name="scroller", scrollable=True)
        scroll.execute("SELECT id FROM py ORDER BY id")
        scroll.scroll(100, mode="absolute")
        self.assertEqual(scroll.fetchone(), (101,))
        scroll.scroll(-2)
        self.assertEqual(scroll.fetchone(), (100,))
        scroll.close()
        self.conn.commit()
        held = self.conn.cursor(name="held", withhold=True)
        held.execute("SELECT id FROM py WHERE id <= 3 ORDER BY id")
        self.conn.commit()  # a WITH HOLD cursor outlives its transaction
        self.assertEqual(held.fetchall(), [(1,), (2,), (3,)])
        held.close()


if __name__ == "__main__":
    unittest.main()
