// PgJDBC (Debian's libpostgresql-jdbc-java) against strand: prepared
// statements with binary parameters and results, batches, transactions,
// errors with their SQLSTATE, CopyManager in both directions, and the
// data types PgJDBC maps to Java objects (arrays, numeric, timestamptz,
// uuid, jsonb).
// Run: java -Duser.timezone=UTC -cp /usr/share/java/postgresql.jar JdbcTest.java
// with PGHOST / PGPORT set (tests/integration/with-server.sh sets them).
// Prints "ok N - what" / "not ok N - what", then "N passed, N failed".

import java.io.StringReader;
import java.io.StringWriter;
import java.sql.*;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

public class JdbcTest {
    static int n = 0, failed = 0;

    static void check(boolean ok, String what) {
        n++;
        if (!ok) failed++;
        System.out.println((ok ? "ok " : "not ok ") + n + " - " + what);
    }

    // Arrays, numeric, timestamptz, uuid and jsonb through the binary
    // protocol, as PgJDBC maps them to Java (java.sql.Array, BigDecimal,
    // OffsetDateTime, UUID, PGobject).
    static void types(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE jtypes (id int PRIMARY KEY, nums int4[], tags text[], amount numeric(10,2), "
                      + "at timestamptz, uid uuid, doc jsonb)");
        }
        java.util.UUID uid = java.util.UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        java.time.OffsetDateTime at = java.time.OffsetDateTime.parse("2024-02-29T13:04:05.123456Z");
        for (int round = 0; round < 3; round++) { // text first, binary once prepared
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jtypes VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                ps.setInt(1, round);
                ps.setArray(2, c.createArrayOf("int4", new Integer[] {3, null, -1}));
                ps.setArray(3, c.createArrayOf("text", new String[] {"a", "b c", null}));
                ps.setBigDecimal(4, new java.math.BigDecimal("1234.5"));
                ps.setObject(5, at);
                ps.setObject(6, uid);
                ps.setString(7, "{\"b\": [1, 2], \"a\": \"x\"}");
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT nums, tags, amount, at, uid, doc, doc -> 'b' FROM jtypes WHERE id = ?")) {
            boolean all = true;
            for (int round = 0; round < 3; round++) {
                ps.setInt(1, round);
                try (ResultSet rs = ps.executeQuery()) {
                    all &= rs.next();
                    Object[] nums = (Object[]) rs.getArray(1).getArray();
                    Object[] tags = (Object[]) rs.getArray(2).getArray();
                    all &= java.util.Arrays.equals(nums, new Integer[] {3, null, -1});
                    all &= java.util.Arrays.equals(tags, new String[] {"a", "b c", null});
                    all &= rs.getBigDecimal(3).equals(new java.math.BigDecimal("1234.50"));
                    all &= rs.getObject(4, java.time.OffsetDateTime.class).isEqual(at);
                    all &= uid.equals(rs.getObject(5));
                    all &= "{\"a\": \"x\", \"b\": [1, 2]}".equals(rs.getString(6));
                    all &= "[1, 2]".equals(rs.getString(7));
                }
            }
            check(all, "arrays, numeric, timestamptz, uuid and jsonb round trips (text, then binary)");
        }
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE jtypes");
        }
    }

    /* A fetch size in a transaction: the driver's named portal reads 10 rows
     * per Execute and Sync, and each batch is made when it is fetched (a
     * clock_timestamp() read between batches lies between them). */
    static void fetchSize(Connection c, Connection d) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement(); Statement other = d.createStatement()) {
            s.setFetchSize(10);
            try (ResultSet rs = s.executeQuery(
                     "SELECT g, clock_timestamp() FROM generate_series(1, 100000000) AS g WHERE g % 7 = 0")) {
                java.sql.Timestamp tenth = null, eleventh = null;
                long sum = 0;
                for (int i = 1; i <= 10 && rs.next(); i++) {
                    sum += rs.getLong(1);
                    if (i == 10) tenth = rs.getTimestamp(2);
                }
                java.sql.Timestamp between;
                try (ResultSet now = other.executeQuery("SELECT clock_timestamp()")) {
                    now.next();
                    between = now.getTimestamp(1);
                }
                boolean next = rs.next();
                if (next) eleventh = rs.getTimestamp(2);
                check(sum == 385 && next && rs.getLong(1) == 77, "fetch size 10: the rows in order across batches");
                check(tenth != null && eleventh != null && !tenth.after(between) && !between.after(eleventh),
                      "fetch size 10: each batch is made when it is fetched");
            }
            /* another statement on the same connection between batches: the
             * portal's rest is kept, and read on from there */
            s.setFetchSize(10);
            try (ResultSet rs = s.executeQuery("SELECT g FROM generate_series(1, 1000) AS g")) {
                long sum = 0;
                int n = 0;
                for (; n < 15 && rs.next(); n++) sum += rs.getLong(1);
                try (Statement t = c.createStatement(); ResultSet one = t.executeQuery("SELECT 42")) {
                    one.next();
                    check(one.getInt(1) == 42, "fetch size 10: another statement between batches");
                }
                while (rs.next()) {
                    sum += rs.getLong(1);
                    n++;
                }
                check(n == 1000 && sum == 500500, "fetch size 10: the rest of the rows after it, in order");
            }
            /* an error in a later batch fails that fetch, and the transaction with it */
            try (ResultSet rs = s.executeQuery("SELECT 100 / (50 - g) FROM generate_series(1, 100) AS g")) {
                int n = 0;
                try {
                    while (rs.next()) n++;
                    check(false, "fetch size 10: division by zero in the 5th batch");
                } catch (SQLException e) {
                    check(n == 40 && "22012".equals(e.getSQLState()), "fetch size 10: 22012 after 40 rows");
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://" + System.getenv("PGHOST") + ":" + System.getenv("PGPORT") + "/postgres";
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("prepareThreshold", "1"); // server-side prepared statements from the first use
        p.setProperty("binaryTransfer", "true"); // binary parameters and results
        p.setProperty("sslmode", "disable");
        try (Connection c = DriverManager.getConnection(url, p)) {
            check(c.getMetaData().getDatabaseProductVersion().startsWith("15"), "connected; server version 15");
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE jt (id int8 PRIMARY KEY, n int4, small int2, name text, score float8, ok bool)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jt VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= 3; i++) { // the same statement again: binary from then on
                    ps.setLong(1, 10000000000L + i);
                    ps.setInt(2, -i);
                    ps.setShort(3, (short) (i * 100));
                    ps.setString(4, "név " + i);
                    ps.setDouble(5, i / 4.0);
                    ps.setBoolean(6, i % 2 == 0);
                    ps.executeUpdate();
                }
                ps.setLong(1, 1);
                ps.setNull(2, Types.INTEGER);
                ps.setNull(3, Types.SMALLINT);
                ps.setNull(4, Types.VARCHAR);
                ps.setNull(5, Types.DOUBLE);
                ps.setNull(6, Types.BOOLEAN);
                check(ps.executeUpdate() == 1, "a row of NULLs");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, n, small, name, score, ok FROM jt WHERE id > ? ORDER BY id")) {
                for (int round = 0; round < 3; round++) {
                    ps.setLong(1, 10000000000L);
                    try (ResultSet rs = ps.executeQuery()) {
                        int rows = 0;
                        boolean right = true;
                        while (rs.next()) {
                            rows++;
                            right &= rs.getLong(1) == 10000000000L + rows && rs.getInt(2) == -rows
                                    && rs.getShort(3) == rows * 100 && rs.getString(4).equals("név " + rows)
                                    && rs.getDouble(5) == rows / 4.0 && rs.getBoolean(6) == (rows % 2 == 0);
                        }
                        check(rows == 3 && right, "binary parameters and results, round " + (round + 1));
                    }
                }
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jt (id, n) VALUES (?, ?)")) {
                for (int i = 0; i < 500; i++) {
                    ps.setLong(1, 20000 + i);
                    ps.setInt(2, i);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                boolean all = counts.length == 500;
                for (int k : counts) all &= k == 1;
                check(all, "a batch of 500 inserts, each counted");
            }
            c.commit();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO jt (id) VALUES (?)")) {
                ps.setLong(1, 20000);
                ps.executeUpdate();
                check(false, "a duplicate key is refused");
            } catch (SQLException e) {
                check("23505".equals(e.getSQLState()), "a duplicate key: SQLSTATE 23505");
            }
            c.rollback();
            c.setAutoCommit(true);

            CopyManager copy = ((PGConnection) c).getCopyAPI();
            long in = copy.copyIn("COPY jt (id, n, name) FROM STDIN WITH (FORMAT csv)",
                    new StringReader("30001,1,\"a, b\"\n30002,2,\n30003,3,\"x\"\"y\"\n"));
            check(in == 3, "CopyManager.copyIn: 3 rows");
            StringWriter out = new StringWriter();
            long got = copy.copyOut("COPY (SELECT id, n, name FROM jt WHERE id > 30000 AND id < 40000 ORDER BY id) TO STDOUT WITH (FORMAT csv)", out);
            check(got == 3 && out.toString().equals("30001,1,\"a, b\"\n30002,2,\n30003,3,\"x\"\"y\"\n"),
                    "CopyManager.copyOut: the same rows back (" + got + " rows: " + out.toString().replace("\n", "\\n") + ")");
            try {
                copy.copyIn("COPY jt (id, n) FROM STDIN", new StringReader("40001\t1\nnope\t2\n"));
                check(false, "a bad COPY row fails");
            } catch (SQLException e) {
                check("22P02".equals(e.getSQLState()), "a bad COPY row: 22P02");
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM jt WHERE id > 40000 AND id < 50000")) {
                check(!rs.next(), "... and nothing of that COPY was kept");
            }
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE jt");
            }
            types(c);
            try (Connection d = DriverManager.getConnection(url, p)) {
                fetchSize(c, d);
            }
        }
        System.out.println(n - failed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
