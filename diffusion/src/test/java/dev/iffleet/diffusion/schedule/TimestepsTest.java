package dev.iffleet.diffusion.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.diffusion.Golden;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimestepsTest {

    private static final JsonNode GOLDEN = Golden.load("timesteps.json");

    @Test
    void leadingWithOffsetZeroMatchesDdpmSetTimesteps() {
        int count = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = GOLDEN.get("ddpm_leading").fields(); it.hasNext(); count++) {
            Map.Entry<String, JsonNode> e = it.next();
            int n = Integer.parseInt(e.getKey());
            assertArrayEquals(Golden.ints(e.getValue()), Timesteps.leading(n, 0), "N=" + n);
        }
        assertEquals(6, count);
    }

    @Test
    void leadingWithOffsetOneMatchesX4DdimSetTimesteps() {
        int count = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = GOLDEN.get("x4_ddim_leading").fields(); it.hasNext(); count++) {
            Map.Entry<String, JsonNode> e = it.next();
            int n = Integer.parseInt(e.getKey());
            assertArrayEquals(Golden.ints(e.getValue()), Timesteps.leading(n, 1), "N=" + n);
        }
        assertEquals(3, count);
    }

    @Test
    void namedRespacingsMatchDiffusersTables() {
        int count = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = GOLDEN.get("if_named").fields(); it.hasNext(); count++) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey().replace("_timesteps", "");
            assertArrayEquals(Golden.ints(e.getValue()), Timesteps.named(name), name);
            assertArrayEquals(Golden.ints(e.getValue()), Timesteps.named(e.getKey()), e.getKey());
            assertTrue(Timesteps.isNamed(name));
        }
        assertEquals(8, count);
    }

    @Test
    void namedReturnsACopyThatCallersMayModify() {
        int[] first = Timesteps.named("fast27");
        first[0] = -5;
        assertEquals(999, Timesteps.named("fast27")[0]);
    }

    @Test
    void unknownNameIsRejected() {
        assertFalse(Timesteps.isNamed("smart3"));
        assertThrows(IllegalArgumentException.class, () -> Timesteps.named("smart3"));
    }

    @Test
    void tailKeepsIntOfNTimesStrengthLastStepsAsImg2Img() {
        JsonNode cases = Golden.load("strength.json").get("cases");
        for (JsonNode c : cases) {
            int steps = c.get("steps").asInt();
            double strength = c.get("strength").asDouble();
            int[] actual = Timesteps.tail(Timesteps.leading(steps, 0), strength);
            assertArrayEquals(Golden.ints(c.get("timesteps")), actual, steps + "@" + strength);
        }
        assertEquals(5, cases.size());
    }
}
