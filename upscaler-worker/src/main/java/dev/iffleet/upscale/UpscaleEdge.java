package dev.iffleet.upscale;

import dev.iffleet.core.worker.cdi.StageEdge;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The upscale worker's messaging edge: {@code in} ({@code if.upscale}); the last stage publishes no next message. */
@ApplicationScoped
public class UpscaleEdge {

    @Inject
    UpscaleWorker worker;

    @Incoming("in")
    @Blocking
    public void consume(String message) {
        new StageEdge(worker, null).consume(message);
    }
}
