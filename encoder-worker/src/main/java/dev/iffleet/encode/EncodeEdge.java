package dev.iffleet.encode;

import dev.iffleet.core.worker.cdi.StageEdge;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The encoder's messaging edge: {@code in} ({@code if.encode}) to {@code next} ({@code if.stage1}). */
@ApplicationScoped
public class EncodeEdge {

    @Inject
    EncodeWorker worker;

    @Inject
    @Channel("next")
    Emitter<String> next;

    @Incoming("in")
    @Blocking
    public void consume(String message) {
        new StageEdge(worker, next).consume(message);
    }
}
