import java.io.DataInputStream;
import java.io.OutputStream;
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
import org.neo4j.io.ByteUnit;

/**
 * A Neo4j Community server for the test suite: the DBMS from Maven Central, run in this
 * process, with one Bolt connector on 127.0.0.1, authentication on and the user {@code neo4j}
 * given the password the caller names.
 *
 * <p>Usage: {@code java TestServer HOME PORT PASSWORD PAGECACHE_MB}. HOME is a directory of the
 * caller's that holds the store files; the launcher script makes a new one for every start.
 * When Bolt answers a handshake, the server writes {@code HOME/ready} and keeps running until
 * it is signalled (SIGTERM or SIGINT), when it shuts the DBMS down cleanly.
 */
public final class TestServer {
    private TestServer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: TestServer HOME PORT PASSWORD PAGECACHE_MB");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = args[2];
        long pageCacheMiB = Long.parseLong(args[3]);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMiB))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("autograph test server: shutting down");
            dbms.shutdown();
            stopped.countDown();
        }, "shutdown"));

        // Community has a single user, neo4j, whose first password must be changed; the tests
        // log in with the caller's password from the first connection on.
        String quoted = password.replace("\\", "\\\\").replace("'", "\\'");
        dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                "ALTER USER neo4j SET PASSWORD '" + quoted + "' CHANGE NOT REQUIRED");

        waitForBolt(port);
        Files.writeString(home.resolve("ready"), "bolt://127.0.0.1:" + port + "\n", StandardCharsets.UTF_8);
        System.out.println("autograph test server: Neo4j ready on bolt://127.0.0.1:" + port);
        stopped.await();
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
