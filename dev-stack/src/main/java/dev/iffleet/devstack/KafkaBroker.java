package dev.iffleet.devstack;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/** A real single-node Kafka broker (KRaft, combined broker and controller) in a child JVM, on free ports. */
public final class KafkaBroker implements AutoCloseable {

    // java.util.logging rather than System.Logger: jboss-logmanager's System.Logger finder complains
    // in test JVMs where java.util.logging.manager is set after JUL started
    private static final Logger LOG = Logger.getLogger(KafkaBroker.class.getName());
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;
    private static final AtomicInteger ADMIN_IDS = new AtomicInteger();

    private final ChildProcess process;
    private final String bootstrapServers;
    private Admin admin;

    private KafkaBroker(ChildProcess process, String bootstrapServers, Admin admin) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.admin = admin;
    }

    /** Starts a broker whose JVM gets the Kafka jars found on this JVM's classpath; data and log go under {@code workDir}. */
    public static KafkaBroker start(Path workDir) {
        return start(workDir, ChildClasspath.forKafka());
    }

    /** Starts a broker whose JVM uses {@code classpath} (path-separated; {@code dir/*} wildcards allowed). */
    public static KafkaBroker start(Path workDir, String classpath) {
        return start(workDir, List.of(classpath.split(File.pathSeparator)));
    }

    private static KafkaBroker start(Path workDir, List<String> classpath) {
        Path dir = workDir.toAbsolutePath();
        long started = System.nanoTime();
        preloadAdminClasses();
        for (int attempt = 1; ; attempt++) {
            int port = Ports.free();
            String clusterId = Uuid.randomUuid().toString();
            ChildProcess child = KafkaLaunch.launch(dir, classpath, clusterId, port, Ports.free());
            try {
                Admin admin = awaitReady(child, clusterId, port, System.nanoTime() + START_TIMEOUT.toNanos());
                String bootstrap = "127.0.0.1:" + port;
                long millis = (System.nanoTime() - started) / 1_000_000;
                LOG.log(Level.INFO, "Kafka broker ready on {0} in {1} ms ({2})",
                        new Object[] {bootstrap, String.valueOf(millis), child});
                return new KafkaBroker(child, bootstrap, admin);
            } catch (PortTakenException e) {
                child.stop();
                if (attempt == START_ATTEMPTS) {
                    throw new IllegalStateException("Kafka could not bind its ports " + attempt + " times:\n"
                            + child.logTail(30), e);
                }
            } catch (RuntimeException | Error e) {
                child.stop();
                throw e;
            }
        }
    }

    /** A view of a broker that another class loader of this JVM started; closing it leaves the broker running. */
    static KafkaBroker attach(String bootstrapServers) {
        return new KafkaBroker(null, bootstrapServers, null);
    }

    /** The {@code host:port} list that clients use for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates the topics that do not exist yet, each with {@code partitions} partitions and one replica. */
    public void createTopics(Collection<String> names, int partitions) {
        List<NewTopic> topics = names.stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        for (Map.Entry<String, KafkaFuture<Void>> created : admin().createTopics(topics).values().entrySet()) {
            try {
                created.getValue().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + created.getKey(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + created.getKey() + " took over 30 s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + created.getKey(), e);
            }
        }
    }

    /** Stops the broker's JVM (if this object started it) and waits until it is gone. */
    @Override
    public void close() {
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
                admin = null;
            }
        }
        if (process != null) {
            process.stop();
        }
    }

    // created on first use: an attached view may never need one, and each logs its whole configuration
    private synchronized Admin admin() {
        if (admin == null) {
            admin = createAdmin(bootstrapServers);
        }
        return admin;
    }

    private static Admin awaitReady(ChildProcess child, String clusterId, int port, long deadline) {
        // a plain TCP probe first: an Admin client pointed at a closed port logs a warning per retry
        while (!Ports.isListening(port)) {
            checkAlive(child);
            checkDeadline(child, deadline);
            sleep(100);
        }
        Admin admin = createAdmin("127.0.0.1:" + port);
        try {
            while (true) {
                checkAlive(child);
                checkDeadline(child, deadline);
                try {
                    // the cluster id proves that this is our broker, not another JVM's that got the port
                    if (clusterId.equals(admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS))) {
                        return admin;
                    }
                    sleep(200);
                } catch (ExecutionException | TimeoutException notYet) {
                    sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka", e);
                }
            }
        } catch (RuntimeException | Error e) {
            admin.close(Duration.ZERO);
            throw e;
        }
    }

    private static void checkAlive(ChildProcess child) {
        if (child.isAlive()) {
            return;
        }
        String tail = child.logTail(40);
        if (tail.contains("Address already in use")) {
            throw new PortTakenException();
        }
        throw new IllegalStateException("Kafka exited during startup (" + child + "):\n" + tail);
    }

    private static void checkDeadline(ChildProcess child, long deadline) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Kafka did not answer within " + START_TIMEOUT.toSeconds()
                    + " s (" + child + "):\n" + child.logTail(40));
        }
    }

    // Initialising the Admin client's classes takes a second or more in a cold JVM; doing it while
    // the broker boots takes that off the time until the broker is reported ready.
    private static void preloadAdminClasses() {
        Thread preload = new Thread(() -> {
            for (String name : List.of("org.apache.kafka.clients.admin.AdminClientConfig",
                    "org.apache.kafka.clients.admin.KafkaAdminClient", "org.apache.kafka.clients.NetworkClient",
                    "org.apache.kafka.common.requests.MetadataResponse",
                    "org.apache.kafka.common.requests.DescribeClusterResponse")) {
                try {
                    Class.forName(name, true, KafkaBroker.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    return;
                }
            }
        }, "dev-stack-preload-admin");
        preload.setDaemon(true);
        preload.start();
    }

    private static Admin createAdmin(String bootstrapServers) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // unique, because Kafka registers an MBean per client id and warns about duplicates
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "dev-stack-admin-" + ADMIN_IDS.incrementAndGet());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return Admin.create(config);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    /** The broker died because one of its ports was taken between Ports.free() and its bind. */
    private static final class PortTakenException extends RuntimeException {
        PortTakenException() {
            super(null, null, false, false);
        }
    }
}
