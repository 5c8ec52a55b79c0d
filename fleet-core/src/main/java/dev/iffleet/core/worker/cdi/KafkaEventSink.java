package dev.iffleet.core.worker.cdi;

import dev.iffleet.core.job.JobEvent;
import dev.iffleet.core.queue.Json;
import dev.iffleet.core.worker.EventSink;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends job events to the {@code events} channel ({@code if.events}), keyed by job id so one job's events
 * stay in order. Events are informative: the job record in Redis is the source of truth, so a lost event
 * never loses a job.
 */
@ApplicationScoped
public class KafkaEventSink implements EventSink {

    @Inject
    @Channel("events")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<String> emitter;

    @Override
    public void publish(JobEvent event) {
        emitter.send(Message.of(Json.write(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.jobId()).build()));
    }
}
