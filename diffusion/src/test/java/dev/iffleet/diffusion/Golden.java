package dev.iffleet.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Loads the shared golden vectors (diffusers reference outputs) and compares arrays against them. */
public final class Golden {

    /** Max abs error the golden README allows. */
    public static final float TOLERANCE = 1e-4f;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Golden() {}

    /**
     * The golden directory: ${iffleet.repo.root}/../shared/golden, else $FLEET_GOLDEN_DIR, else ../shared/golden
     * beside the repo root found by walking up from the working directory to the if-fleet parent pom.
     */
    public static Path dir() {
        String root = System.getProperty("iffleet.repo.root");
        if (root != null && !root.isBlank()) {
            Path p = Paths.get(root).resolve("../shared/golden").normalize();
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        String env = System.getenv("FLEET_GOLDEN_DIR");
        if (env != null && !env.isBlank() && Files.isDirectory(Paths.get(env))) {
            return Paths.get(env);
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (isParentPom(p.resolve("pom.xml"))) {
                return p.resolve("../shared/golden").normalize();
            }
        }
        throw new IllegalStateException("golden vectors not found (set iffleet.repo.root or FLEET_GOLDEN_DIR)");
    }

    /** Whether this pom is the if-fleet parent itself (modules name it inside their parent block only). */
    private static boolean isParentPom(Path pom) {
        if (!Files.isRegularFile(pom)) {
            return false;
        }
        try {
            String text = Files.readString(pom).replaceAll("(?s)<parent>.*?</parent>", "");
            return text.contains("<artifactId>if-fleet</artifactId>");
        } catch (IOException e) {
            return false;
        }
    }

    /** Parses one golden file. */
    public static JsonNode load(String file) {
        try {
            return JSON.readTree(dir().resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {"shape", "data"} node as a float32 NDArray. */
    public static NDArray array(NDManager m, JsonNode node) {
        JsonNode shapeNode = node.get("shape");
        long[] dims = new long[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shapeNode.get(i).asLong();
        }
        return m.create(floats(node.get("data")), new Shape(dims));
    }

    /** A JSON number list as floats. */
    public static float[] floats(JsonNode list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) list.get(i).asDouble();
        }
        return out;
    }

    /** A JSON number list as ints. */
    public static int[] ints(JsonNode list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i).asInt();
        }
        return out;
    }

    /** Same shape and every element within {@link #TOLERANCE} of the golden array. */
    public static void assertClose(JsonNode expected, NDArray actual, String what) {
        NDArray exp = array(actual.getManager(), expected);
        assertEquals(exp.getShape(), actual.getShape(), what + " shape");
        assertArrayEquals(exp.toFloatArray(), actual.toFloatArray(), TOLERANCE, what);
    }
}
