package wushe;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.ByteUnit;

/**
 * Local Neo4j Community server for wushe tests and local development.
 *
 * <p>neo4j.com downloads are not reachable from our machines, so instead of the
 * packaged server we run the embedded Community edition (from Maven Central)
 * with its Bolt connector switched on. Clients then talk to it exactly as they
 * would to a real server ({@code bolt://127.0.0.1:PORT}).
 *
 * <p>Usage: {@code java [jvm flags] -cp target/neo4j-local.jar:target/lib/* wushe.LocalNeo4j <dataDir> <boltPort>}
 *
 * <p>Page cache size: system property {@code wushe.neo4j.pagecache} or env
 * {@code WUSHE_NEO4J_PAGECACHE} (e.g. {@code 256m}, {@code 1g}); default 256m.
 * Heap is set with the usual {@code -Xmx}/{@code -Xms} JVM flags.
 *
 * <p>Auth is off unless env {@code WUSHE_NEO4J_INITIAL_PASSWORD} is set: then the
 * {@code neo4j} user gets that password (used by tests of credential handling).
 *
 * <p>Prints {@code WUSHE_NEO4J_READY bolt://127.0.0.1:<port>} on stdout once the
 * default database answers a transaction, then blocks until SIGTERM/SIGINT,
 * which runs a shutdown hook that closes the store cleanly.
 */
public final class LocalNeo4j {
    /** Marker the Python launcher waits for; keep in sync with graph/backends/neo4j_local.py. */
    public static final String READY_MARKER = "WUSHE_NEO4J_READY";

    private LocalNeo4j() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LocalNeo4j <dataDir> <boltPort>");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCacheBytes = parseSize(firstNonBlank(
                System.getProperty("wushe.neo4j.pagecache"),
                System.getenv("WUSHE_NEO4J_PAGECACHE"),
                "256m"));

        String password = System.getenv("WUSHE_NEO4J_INITIAL_PASSWORD");
        boolean auth = password != null && !password.isBlank();

        long t0 = System.nanoTime();
        DatabaseManagementService managementService = new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                // Local test server: no users/passwords to manage unless asked for.
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                // Single instance: clients using neo4j:// get this server back, not a cluster table.
                .setConfig(GraphDatabaseSettings.routing_enabled, false)
                // Keep memory small and predictable on 2-core/24 GiB CI machines; the default
                // would take ~50% of RAM for the page cache.
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes)
                // Only Bolt is needed; don't open extra ports.
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                // dbms.usage_report.enabled=false: no phoning home from tests (the embedded
                // builder has no setConfigRaw; udc_enabled is that setting's Java name).
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Netty's graceful-shutdown quiet period defaults to 5 s and Bolt waits for it
                // twice, so a clean stop took ~10 s; tests stop servers often, so make it 0.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                // dbms.security.allow_csv_import_from_file_urls=false: LOAD CSV may not read
                // the server's files (docs/security.md); no import directory is configured.
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM/SIGINT run shutdown hooks: close the DBMS so the store is not left dirty
        // (a dirty store costs a recovery on next start).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                managementService.shutdown();
            } finally {
                stopped.countDown();
            }
        }, "wushe-neo4j-shutdown"));

        if (auth) {
            managementService.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                    .executeTransactionally("ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED",
                            java.util.Map.of("pw", password));
        }

        // build() returns once the DBMS is up; run one transaction so "ready" really means
        // the default database accepts queries, not just that the port is bound.
        GraphDatabaseService db = managementService.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        try (Transaction tx = db.beginTx()) {
            tx.execute("RETURN 1").close();
            tx.commit();
        }

        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s bolt://127.0.0.1:%d (started in %.2fs, pagecache=%d bytes, data=%s)%n",
                READY_MARKER, port, seconds, pageCacheBytes, dataDir);
        System.out.flush();

        stopped.await();
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        throw new IllegalArgumentException("no value");
    }

    /** Parses sizes like {@code 256m}, {@code 1g}, {@code 512k} or plain bytes. */
    static long parseSize(String text) {
        String s = text.trim().toLowerCase();
        char unit = s.charAt(s.length() - 1);
        if (Character.isDigit(unit)) {
            return Long.parseLong(s);
        }
        long n = Long.parseLong(s.substring(0, s.length() - 1).trim());
        switch (unit) {
            case 'k':
                return ByteUnit.kibiBytes(n);
            case 'm':
                return ByteUnit.mebiBytes(n);
            case 'g':
                return ByteUnit.gibiBytes(n);
            default:
                throw new IllegalArgumentException("bad size: " + text);
        }
    }
}
