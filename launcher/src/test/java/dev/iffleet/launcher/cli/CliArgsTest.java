package dev.iffleet.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CliArgsTest {

    private static CliArgs parse(Map<String, String> env, String... args) {
        return CliArgs.parse(args, env);
    }

    @Test
    void submitTakesPromptAndEveryOption() throws Exception {
        CliArgs a = parse(Map.of(), "submit", "a red circle", "--out", "pics", "--size", "256", "--seed", "42",
                "--negative", "blurry", "--stage1-steps", "20", "--sr-steps", "10", "--upscale-steps", "5", "--wait");
        assertEquals("submit", a.command());
        assertEquals("a red circle", a.target());
        assertEquals(Path.of("pics"), a.out());
        assertEquals(Optional.of(256), a.size());
        assertEquals(Optional.of(42L), a.seed());
        assertEquals(Optional.of("blurry"), a.negative());
        assertEquals(Map.of("stage1", 20, "sr", 10, "upscale", 5), a.steps());
        assertTrue(a.follow());
        assertEquals("{\"prompt\":\"a red circle\",\"output_size\":256,\"seed\":42,\"negative_prompt\":\"blurry\","
                + "\"stage1\":{\"steps\":20},\"sr\":{\"steps\":10},\"upscale\":{\"steps\":5}}", SubmitCommand.body(a));
    }

    @Test
    void defaultsComeFromTheEnvironmentThenTheBuiltInUrl() throws Exception {
        CliArgs fromEnv = parse(Map.of("IF_FLEET_URL", "http://gw:9000", "IF_FLEET_API_KEY", "k1"), "jobs");
        assertEquals("http://gw:9000", fromEnv.url());
        assertEquals(Optional.of("k1"), fromEnv.apiKey());
        CliArgs plain = parse(Map.of(), "submit", "p");
        assertEquals(CliArgs.DEFAULT_URL, plain.url());
        assertEquals(Optional.empty(), plain.apiKey());
        assertEquals(Path.of("out"), plain.out());
        assertTrue(plain.follow());
        assertEquals("{\"prompt\":\"p\"}", SubmitCommand.body(plain));
    }

    @Test
    void optionsOverrideTheEnvironment() {
        CliArgs a = parse(Map.of("IF_FLEET_URL", "http://gw:9000", "IF_FLEET_API_KEY", "k1"),
                "cancel", "abc", "--url", "http://other:1", "--api-key", "k2");
        assertEquals("http://other:1", a.url());
        assertEquals(Optional.of("k2"), a.apiKey());
        assertEquals("abc", a.target());
    }

    @Test
    void jobsTakesFilters() {
        CliArgs a = parse(Map.of(), "jobs", "--state", "running", "--limit", "5", "--cursor", "c1");
        assertEquals(Optional.of("running"), a.state());
        assertEquals(5, a.limit().getAsInt());
        assertEquals(Optional.of("c1"), a.cursor());
    }

    @Test
    void noWaitOnlySubmits() {
        assertFalse(parse(Map.of(), "submit", "p", "--no-wait").follow());
    }

    @Test
    void apiKeyNeverShowsInToString() {
        CliArgs a = parse(Map.of(), "jobs", "--api-key", "sekrit-123");
        assertFalse(a.toString().contains("sekrit-123"), a.toString());
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        String[][] bad = {
            {}, {"launch"}, {"submit"}, {"submit", "p", "--size", "512"}, {"submit", "p", "--seed", "x"},
            {"submit", "p", "--stage1-steps", "0"}, {"submit", "p", "--out"}, {"submit", "p", "q"},
            {"submit", "p", "--bogus", "1"}, {"get"}, {"cancel"}, {"jobs", "extra"}, {"jobs", "--out", "d"},
            {"get", "id", "--wait"}, {"jobs", "--limit", "0"},
        };
        for (String[] args : bad) {
            assertThrows(CliArgs.UsageException.class, () -> CliArgs.parse(args, Map.of()), String.join(" ", args));
        }
    }
}
