package dev.iffleet.gateway.submit;

import dev.iffleet.core.config.FleetConfig;
import dev.iffleet.core.job.JobParams;
import dev.iffleet.core.job.StageMessage;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.queue.TopicSetup;
import dev.iffleet.core.queue.Topics;
import dev.iffleet.core.worker.cdi.KafkaClientConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Rehearses the submit's publish — message JSON, the encode channel's producer, the broker round trip — on the
 * fleet's warm-up topic at start-up, so the first job's hop to the encoder runs compiled code, not the interpreter
 * (a cold gateway added about 150 ms to the first job's first hop). Runs in the background: the gateway takes
 * jobs meanwhile.
 */
@ApplicationScoped
public class PublishWarmup {

    private static final Logger LOG = Logger.getLogger(PublishWarmup.class);
    private static final Duration MAX_TIME = Duration.ofSeconds(3);

    @Inject
    @Channel("encode")
    Emitter<String> encode;

    @Inject
    FleetConfig config;

    @Inject
    Config mp;

    void onStart(@Observes StartupEvent event) {
        if (config.gateway().warmupHops() <= 0) {
            return;
        }
        Thread t = new Thread(this::run, "publish-warmup");
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        String topic = new Topics(config.name()).warmup();
        long t0 = System.nanoTime();
        int done = 0;
        try {
            TopicSetup.ensure(KafkaClientConfig.from(mp), List.of(topic), 1);
            StageMessage msg = StageMessage.first("gateway", new JobParams("warm-up", "", 0, 64, null, null, null), 0);
            long end = Long.MAX_VALUE;
            for (; done < config.gateway().warmupHops() && System.nanoTime() < end; done++) {
                if (done == 1) {
                    // the clock starts after the first (coldest) send: a loaded machine still gets its rounds
                    end = System.nanoTime() + MAX_TIME.toNanos();
                }
                CompletableFuture<Void> acked = new CompletableFuture<>();
                encode.send(Message.of(Json.write(msg))
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey("gateway").withTopic(topic).build())
                        .withAck(() -> {
                            acked.complete(null);
                            return CompletableFuture.completedFuture(null);
                        })
                        .withNack(e -> {
                            acked.completeExceptionally(e);
                            return CompletableFuture.completedFuture(null);
                        }));
                acked.get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warnf("publish warm-up stopped after %d sends: %s", done, e.getMessage());
        }
        LOG.infof("publish warm-up: %d sends in %d ms", done, (System.nanoTime() - t0) / 1_000_000);
    }
}
