package dev.iffleet.core.worker;

import dev.iffleet.core.job.Stage;
import java.util.ArrayList;
import java.util.List;
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

    /** Runs the script once per job of the batch; a batch's runs count once per job. */
    @Override
    protected List<Produced> run(List<StageContext> batch) throws Exception {
        List<Produced> out = new ArrayList<>();
        for (StageContext ctx : batch) {
            out.add(Produced.of(script.run(ctx, runs.incrementAndGet())));
        }
        return out;
    }

    @Override
    protected void warmUp(int maxBatch) throws Exception {
        warmUps.incrementAndGet();
        script.run(null, 0);
    }
}
