package dev.iffleet.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.iffleet.core.job.Stage;
import dev.iffleet.core.model.CostProfile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sizing the cascade for a target rate from a cost profile or a bench result. */
class CascadePlanTest {

    private static Path profilePath() {
        return Path.of(System.getProperty("iffleet.repo.root", ".."), "models/profiles/h200-fp16.json");
    }

    @Test
    void replicasAreTheTargetOverEachStagesRateRoundedUp() {
        CascadePlan plan = CascadePlan.fromMsPerImage(600,
                Map.of(Stage.STAGE1, 4000.0, Stage.SR, 2500.0, Stage.UPSCALE, 3600.0, Stage.ENCODE, 40.0));
        assertEquals(40, plan.replicas().get(Stage.STAGE1), "15 images/min each");
        assertEquals(25, plan.replicas().get(Stage.SR), "24 images/min each");
        assertEquals(36, plan.replicas().get(Stage.UPSCALE), "16.67 images/min each");
        assertEquals(1, plan.replicas().get(Stage.ENCODE));
        assertEquals(102, plan.gpus());
        assertEquals(600, plan.capacityPerMin(), 1e-6);
        assertEquals(1.0, plan.utilisation(Stage.STAGE1), 1e-9);
    }

    @Test
    void h200ProfileAtIfDefaults() {
        CostProfile p = CostProfile.load(profilePath());
        Map<Stage, Double> ms = StageCosts.msPerImage(p, StageCosts.IF_STEPS, StageCosts.IF_GUIDANCE, 1);
        // FACTS.md: 100/50/75 steps give about 4.0 s, 2.5 s and 3.5 s (+ VAE) per image
        assertEquals(3980, ms.get(Stage.STAGE1), 1e-6);
        assertEquals(2510, ms.get(Stage.SR), 1e-6);
        assertEquals(5.8 + 75 * 46.3 + 157.3, ms.get(Stage.UPSCALE), 1e-6);
        assertEquals(38.5, ms.get(Stage.ENCODE), 1e-6);
        CascadePlan plan = CascadePlan.fromMsPerImage(600, ms);
        assertEquals(Map.of(Stage.ENCODE, 1, Stage.STAGE1, 40, Stage.SR, 26, Stage.UPSCALE, 37), plan.replicas());
    }

    @Test
    void batchingSharesACallsTimeAmongItsJobs() {
        CostProfile p = CostProfile.load(profilePath());
        Map<Stage, Double> ms = StageCosts.msPerImage(p, StageCosts.IF_STEPS, StageCosts.IF_GUIDANCE, 8);
        assertEquals(100 * 140.9 / 8, ms.get(Stage.STAGE1), 1e-6);
        assertEquals(Map.of(Stage.ENCODE, 1, Stage.STAGE1, 18, Stage.SR, 26, Stage.UPSCALE, 37).get(Stage.STAGE1),
                CascadePlan.fromMsPerImage(600, ms).replicas().get(Stage.STAGE1));
    }

    @Test
    void guidanceOfOneHalvesTheUnetBatch() {
        assertEquals(2, StageCosts.unetBatch(7, 1));
        assertEquals(1, StageCosts.unetBatch(1, 1));
    }

    @Test
    void planFromABenchResult(@TempDir Path dir) throws Exception {
        Path result = dir.resolve("scale.json");
        Files.writeString(result, """
                {"per_replica_images_per_min": {"encode": 1000, "stage1": 10, "sr": 30, "upscale": 20}}""");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = PlanMain.run(new String[] {"--bench", result.toString(), "--target", "60"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, code);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("total: 12 replicas = 12 GPUs"), text);
    }

    @Test
    void badArgumentsAreAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, PlanMain.run(new String[] {"--target", "600"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("exactly one of --profile and --bench"));
        assertThrows(IllegalArgumentException.class, () -> CascadePlan.fromRates(0, Map.of(Stage.SR, 1.0)));
    }
}
