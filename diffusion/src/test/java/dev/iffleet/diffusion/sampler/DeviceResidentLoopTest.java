package dev.iffleet.diffusion.sampler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A source guard for the device-resident loops: the code that runs per step must not use a number literal as
 * an operand (DJL makes a Number operand a blocking host-to-device copy plus a sync on a GPU), clip(Number,
 * Number), host read-backs, or per-step array creation (the step noise's copy, in NoiseAhead, is the one
 * allowed). It reads the sources, so it only sees literals: a float variable passed as an operand would slip
 * through, which is why the tables are the only way the loop code gets its scalars.
 */
class DeviceResidentLoopTest {

    private static final Path MAIN = Path.of("src/main/java/dev/iffleet/diffusion");
    private static final String LOOP = "for (int i = 0; i < timesteps.length; i++)";
    private static final Pattern NUMBER_OPERAND = Pattern.compile(
            "\\.(add|sub|mul|div|pow|maximum|minimum|gte|gt|lte|lt|eq|neq)\\(\\s*-?\\d");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\.clip\\(|getFloat|getLong|toFloatArray|toLongArray|toArray\\(|filledLong|\\.create\\(|\\.full\\(");

    private record Region(String file, String marker) {}

    private static final List<Region> PER_STEP = List.of(
            new Region("sampler/DdpmLoop.java", LOOP),
            new Region("sampler/UpscaleSampler.java", LOOP),
            new Region("sampler/SuperResSampler.java", "DdpmLoop.Inputs inputs = (sample, t) ->"),
            new Region("sampler/Stage1Sampler.java", "DdpmLoop.Inputs inputs = (sample, t) ->"),
            new Region("sampler/Guidance.java", "static NDArray learnedVariance(NDArray modelOutput, NDArray g)"),
            new Region("sampler/Guidance.java", "static NDArray plain(NDArray modelOutput, NDArray g)"),
            new Region("sampler/Guidance.java", "private static NDArray combine("),
            new Region("sampler/SampleStart.java", "NDArray afterStep("),
            new Region("schedule/DdpmScheduler.java", "public StepResult step(NDArray modelOutput, int stepIndex"),
            new Region("schedule/DdimScheduler.java", "public StepResult step(NDArray modelOutput, int stepIndex"),
            new Region("schedule/DynamicThreshold.java", "public NDArray apply(NDArray x0, Constants c)"),
            new Region("schedule/DynamicThreshold.java", "static NDArray quantileLinear("));

    /** From the marker to the end of the block it opens (or of its statement, for a one-line lambda). */
    private static String region(Region r) throws IOException {
        String src = Files.readString(MAIN.resolve(r.file()));
        int at = src.indexOf(r.marker());
        assertTrue(at >= 0, "marker not found in " + r.file() + ": " + r.marker());
        int depth = 0;
        int parens = 0;
        for (int i = at; i < src.length(); i++) {
            char ch = src.charAt(i);
            if (ch == '(') {
                parens++;
            } else if (ch == ')') {
                parens--;
            } else if (ch == '{') {
                depth++;
            } else if (ch == '}' && --depth == 0) {
                return src.substring(at, i + 1);
            } else if (ch == ';' && depth == 0 && parens == 0) {
                return src.substring(at, i + 1);
            }
        }
        throw new IllegalStateException("unbalanced " + r.file());
    }

    @Test
    void perStepCodeHasNoNumberOperandsReadBacksOrCreates() throws IOException {
        for (Region r : PER_STEP) {
            String code = region(r).replaceAll("(?m)//.*$", "");
            assertTrue(code.length() > r.marker().length() + 40, "region too short in " + r.file() + ": " + code);
            Matcher n = NUMBER_OPERAND.matcher(code);
            assertFalse(n.find(), r.file() + " per-step code has a Number operand: " + (n.find(0) ? n.group() : ""));
            Matcher f = FORBIDDEN.matcher(code);
            assertFalse(f.find(), r.file() + " per-step code has " + (f.find(0) ? f.group() : ""));
        }
    }
}
