package dev.iffleet.fidelity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The analyser on ground truth: seeded random captions rendered faithfully must pass, and rendered
 * with one error (wrong colour, shape, size, placement, background, a missing object, sign colour or
 * text length) must fail, and fail the check that the error concerns. "noisy" renders are blurred
 * (a box 3/64 of the side wide: 3 pixels at 64 px, 33 at 1024 px) and get Gaussian noise of 8 per
 * channel, to stand in for a model's output; they are held to a lower bar.
 */
class FidelityAnalyserAccuracyTest {

    private static final int RENDERS = 240;
    /** Noisy renders are fewer: drawing 3 million Gaussians per 1024 px image is the slow part. */
    private static final int NOISY_RENDERS = 120;

    private final World world = TestWorld.get();
    private final CaptionParser parser = new CaptionParser(world);
    private final SceneRenderer renderer = new SceneRenderer(world);
    private final FidelityAnalyser analyser = new FidelityAnalyser(world);

    @ParameterizedTest(name = "{0} px, noisy {1}")
    @CsvSource({"64, false, 0.98", "1024, false, 0.98", "64, true, 0.95", "1024, true, 0.95"})
    void acceptsFaithfulRenders(int size, boolean noisy, double bar) throws CaptionException {
        Random random = new Random(20261126L + size);
        CaptionSampler captions = new CaptionSampler(world, random);
        List<Verdict> wrong = new ArrayList<>();
        int renders = noisy ? NOISY_RENDERS : RENDERS;
        for (int i = 0; i < renders; i++) {
            Scene scene = parser.parse(captions.next());
            Verdict verdict = analyser.check(scene, render(scene, size, noisy, random));
            if (!verdict.allCorrect()) {
                wrong.add(verdict);
            }
        }
        double rate = 1 - (double) wrong.size() / renders;
        System.out.printf("fidelity %d px%s: %d/%d faithful renders accepted (%.1f %%)%n", size,
                noisy ? " noisy" : "", renders - wrong.size(), renders, 100 * rate);
        assertTrue(rate >= bar, () -> wrong.size() + " faithful renders refused:\n"
                + wrong.stream().map(Verdict::toString).collect(Collectors.joining("\n")));
    }

    @ParameterizedTest(name = "{0} px, noisy {1}")
    @CsvSource({"64, false", "1024, false", "64, true", "1024, true"})
    void rejectsRendersThatContradictTheirCaption(int size, boolean noisy) throws CaptionException {
        Random random = new Random(7L * size);
        CaptionSampler captions = new CaptionSampler(world, random);
        Map<Mutation, int[]> tally = new EnumMap<>(Mutation.class);
        List<String> missed = new ArrayList<>();
        int rejected = 0;
        int forTheRightReason = 0;
        int renders = noisy ? NOISY_RENDERS : RENDERS;
        for (int i = 0; i < renders; i++) {
            Scene stated = parser.parse(captions.next());
            Mutation mutation = Mutation.random(stated, random);
            Scene shown = mutation.apply(stated, world, random);
            Verdict verdict = analyser.check(stated, render(shown, size, noisy, random));
            int[] t = tally.computeIfAbsent(mutation, m -> new int[3]);
            t[0]++;
            if (!verdict.allCorrect()) {
                rejected++;
                t[1]++;
            } else {
                missed.add(mutation + ": " + verdict);
            }
            if (verdict.failures().stream().anyMatch(c -> c.kind() == mutation.catcher(stated.form()))) {
                forTheRightReason++;
                t[2]++;
            }
        }
        System.out.printf("fidelity %d px%s: %d/%d wrong renders rejected, %d by the check concerned; %s%n", size,
                noisy ? " noisy" : "", rejected, renders, forTheRightReason, tallies(tally, 1));
        int r = rejected;
        assertTrue(rejected >= 0.95 * renders, () -> r + " rejected; missed:\n" + String.join("\n", missed));
        assertTrue(forTheRightReason >= 0.95 * renders, () -> "caught by the check concerned: " + tallies(tally, 2));
    }

    private BufferedImage render(Scene scene, int size, boolean noisy, Random random) {
        BufferedImage clean = renderer.render(scene, size, random);
        return noisy ? Degrade.blurredAndNoisy(clean, size / 64, 8, random) : clean;
    }

    private static String tallies(Map<Mutation, int[]> tally, int column) {
        return tally.entrySet().stream()
                .map(e -> e.getKey().name().toLowerCase() + " " + e.getValue()[column] + "/" + e.getValue()[0])
                .collect(Collectors.joining(", "));
    }
}
