"""psycopg2 drives the applications of tests/apps/ (chat, game, doc),
published as modules: CALL with client-side parameters (the simple
protocol), callproc (which sends SELECT * FROM proc(...)), errors with
their SQLSTATE, transactions as psycopg2 opens them implicitly.
Connects to PGHOST/PGPORT (tests/integration/with-server.sh sets them)."""
import os
import time
import unittest

import psycopg2

APPS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "apps")


def connect():
    return psycopg2.connect(host=os.environ["PGHOST"], port=int(os.environ["PGPORT"]), user="postgres",
                            dbname="postgres")


class AppsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        conn = connect()
        conn.autocommit = True
        with conn.cursor() as cur:
            for app in ("chat", "game", "doc"):
                with open(os.path.join(APPS, app + ".c"), encoding="utf-8") as f:
                    source = f.read()
                cur.execute("CREATE OR REPLACE MODULE %s LANGUAGE c AS $strand$%s$strand$" % (app, source))
        conn.close()

    def setUp(self):
        self.conn = connect()
        self.cur = self.conn.cursor()

    def tearDown(self):
        self.conn.rollback()
        self.conn.close()

    def test_apps_psycopg2_1_chat(self):
        self.cur.execute("CALL set_name(%s)", ("py",))
        self.cur.execute("CALL send_message(%s)", ("it's python",))
        self.conn.commit()
        with self.assertRaises(psycopg2.Error) as e:
            self.cur.execute("CALL send_message(%s)", ("",))
        self.assertEqual(e.exception.pgcode, "22023")
        self.conn.rollback()
        self.cur.execute("SELECT body FROM chat_message WHERE body = %s", ("it's python",))
        self.assertEqual(self.cur.fetchall(), [("it's python",)])
        self.cur.execute("SELECT name, online FROM chat_user WHERE name = 'py'")
        self.assertEqual(self.cur.fetchall(), [("py", True)])

    def test_apps_psycopg2_2_callproc(self):
        self.cur.callproc("join_game", (2, "py"))
        self.assertEqual(self.cur.fetchall(), [("",)])
        self.cur.callproc("move_player", (2, 1, 1, None, None))
        self.assertEqual(self.cur.fetchall(), [(51, 51)])
        self.assertEqual([d.name for d in self.cur.description], ["x", "y"])
        self.conn.commit()
        self.cur.execute("SELECT x, y FROM game_player WHERE id = 2")
        self.assertEqual(self.cur.fetchall(), [(51, 51)])

    def test_apps_psycopg2_3_documents(self):
        self.cur.execute("CALL create_document(%s, %s)", (3, "one"))
        self.cur.execute("CALL edit_document(%s, %s, %s, NULL)", (3, 1, "two"))
        self.assertEqual(self.cur.fetchall(), [(2,)])
        self.conn.commit()
        with self.assertRaises(psycopg2.Error) as e:
            self.cur.execute("CALL edit_document(%s, %s, %s, NULL)", (3, 1, "stale"))
        self.assertEqual(e.exception.pgcode, "40001")
        self.conn.rollback()
        self.cur.execute("SELECT version, body FROM doc_document WHERE id = 3")
        self.assertEqual(self.cur.fetchall(), [(2, "two")])

    def test_apps_psycopg2_4_tick(self):
        self.conn.autocommit = True
        self.cur.execute("SELECT tick FROM game_world")
        first = self.cur.fetchone()[0]
        time.sleep(0.2)
        self.cur.execute("SELECT tick FROM game_world")
        self.assertGreater(self.cur.fetchone()[0], first)


if __name__ == "__main__":
    unittest.main()
