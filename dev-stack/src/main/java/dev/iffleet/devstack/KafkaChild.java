package dev.iffleet.devstack;

import java.io.IOException;

/**
 * Main class of the Kafka child JVM: formats the storage, then runs {@code kafka.Kafka}.
 *
 * <p>KafkaBroker copies this class file next to the broker configuration, so it must stay a single
 * class (no nested or anonymous classes) that only needs Kafka's own jars.
 */
final class KafkaChild {

    private KafkaChild() {
    }

    /** Arguments: cluster id, path of server.properties. */
    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(KafkaChild::exitWhenParentIsGone, "dev-stack-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        // Formatting in this JVM, not in a separate StorageTool JVM, saves about two seconds of startup.
        int formatted = kafka.tools.StorageTool.execute(
                new String[] {"format", "-t", args[0], "-c", args[1], "--standalone"}, System.out);
        if (formatted != 0) {
            System.out.println("dev-stack: kafka-storage format failed with exit code " + formatted);
            System.exit(formatted);
        }
        kafka.Kafka.main(new String[] {args[1]});
    }

    // The parent JVM holds our stdin pipe; EOF means it is gone (even after SIGKILL), so exit
    // rather than linger as an orphan broker.
    private static void exitWhenParentIsGone() {
        try {
            while (System.in.read() != -1) {
                // whatever the parent writes is ignored
            }
        } catch (IOException e) {
            // a broken pipe means the same thing as EOF
        }
        System.exit(0);
    }
}
