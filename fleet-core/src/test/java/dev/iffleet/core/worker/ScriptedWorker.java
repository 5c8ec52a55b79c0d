package dev.iffleet.core.worker;

import dev.iffleet.core.job.Stage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A stage worker whose model hook is a script given by the test, counting how often it runs. */
final class ScriptedWorker extends StageWorker {

    /** The hook's body. */
    @FunctionalInterface
    interface Script {
        Map<String, byte[]> run(StageContext ctx, int call) throws Exception;
    }

    private final Script script;
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger warmUps = new AtomicInteger();

    ScriptedWorker(Stage stage, Collaborators collaborators, Script script) {
        super(stage, collaborators);
        this.script = script;
    }

    int runs() {
        return runs.get();
    }

    int warmUps() {
        return warmUps.get();
    }

    @Override
    protected Map<String, byte[]> run(StageContext ctx) throws Exception {
        return script.run(ctx, runs.incrementAndGet());
    }

    @Override
    protected void warmUp() throws Exception {
        warmUps.incrementAndGet();
        script.run(null, 0);
    }
}
