import java.io.DataInputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.io.ByteUnit;

/**
 * A Neo4j Community server for the test suite: the DBMS from Maven Central, run in this
 * process, with one Bolt connector on 127.0.0.1, authentication on and the user {@code neo4j}
 * given the password the caller names.
 *
 * <p>Usage: {@code java TestServer HOME PORT PASSWORD PAGECACHE_MB [CYPHER_VERSION]}. HOME is a
 * directory of the caller's that holds the store files; the launcher script makes a new one for
 * every start. CYPHER_VERSION (5 or 25) sets the default query language of the databases, on
 * releases that have more than one (2025.06 and later); without it the release's own default
 * holds.
 * When Bolt answers a handshake, the server writes {@code HOME/ready} and keeps running until
 * it is signalled (SIGTERM or SIGINT), when it shuts the DBMS down cleanly.
 */
public final class TestServer {
    private TestServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4 && args.length != 5) {
            System.err.println("usage: TestServer HOME PORT PASSWORD PAGECACHE_MB [CYPHER_VERSION]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = args[2];
        long pageCacheMiB = Long.parseLong(args[3]);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMiB));
        if (args.length == 5 && !args[4].isEmpty()) {
            setDefaultLanguage(builder, args[4]);
        }
        boolean restart = Files.isDirectory(home.resolve("data"));
        DatabaseManagementService dbms = builder.build();
        try {
            serve(dbms, home, port, password, restart);
        } catch (Throwable e) {
            // The DBMS's threads would keep the JVM alive: a failed start must end the process.
            e.printStackTrace();
            dbms.shutdown();
            System.exit(1);
        }
    }

    private static void serve(DatabaseManagementService dbms, Path home, int port, String password, boolean restart)
            throws Exception {

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("autograph test server: shutting down");
            dbms.shutdown();
            stopped.countDown();
        }, "shutdown"));

        // Community has a single user, neo4j, whose first password must be changed; the tests
        // log in with the caller's password from the first connection on.
        // A restart on a kept store has the password already.
        if (!restart) {
            String quoted = password.replace("\\", "\\\\").replace("'", "\\'");
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD '" + quoted + "' CHANGE NOT REQUIRED");
        }

        waitForBolt(port);
        Files.writeString(home.resolve("ready"), "bolt://127.0.0.1:" + port + "\n", StandardCharsets.UTF_8);
        System.out.println("autograph test server: Neo4j ready on bolt://127.0.0.1:" + port);
        stopped.await();
    }

    /**
     * Sets db.query.default_language to Cypher VERSION. The setting exists from 2025.06 on, so
     * it is looked up by reflection: the launcher compiles against every supported release.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void setDefaultLanguage(DatabaseManagementServiceBuilder builder, String version) throws Exception {
        Field field;
        try {
            field = GraphDatabaseSettings.class.getField("default_language");
        } catch (NoSuchFieldException e) {
            throw new IllegalArgumentException("this Neo4j release has one Cypher language; it cannot be set to Cypher " + version);
        }
        Setting setting = (Setting) field.get(null);
        Class<? extends Enum> versions = (Class<? extends Enum>) Class.forName(
                "org.neo4j.configuration.GraphDatabaseSettings$CypherVersion");
        builder.setConfig(setting, Enum.valueOf(versions, "Cypher" + version));
        System.out.println("autograph test server: default query language Cypher " + version);
    }

    /** Waits until the Bolt connector accepts a connection and answers the version handshake. */
    private static void waitForBolt(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                // The Bolt preamble, then four proposed versions (5.x, 4.4, none, none).
                out.write(new byte[] {
                    0x60, 0x60, (byte) 0xB0, 0x17,
                    0, 0, 0, 5, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0});
                out.flush();
                int version = new DataInputStream(s.getInputStream()).readInt();
                if (version != 0) {
                    return;
                }
                last = new IllegalStateException("Bolt refused every proposed version");
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Bolt did not answer on 127.0.0.1:" + port, last);
    }
}
