package dev.iffleet.stage1;

import dev.iffleet.core.worker.cdi.StageEdge;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The stage1 worker's messaging edge: {@code in} ({@code if.stage1}) to {@code next} ({@code if.sr}). */
@ApplicationScoped
public class Stage1Edge {

    @Inject
    Stage1Worker worker;

    @Inject
    @Channel("next")
    Emitter<String> next;

    @Incoming("in")
    @Blocking
    public void consume(String message) {
        new StageEdge(worker, next).consume(message);
    }
}
