package dev.iffleet.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.core.queue.Json;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Reading cost profiles and interpolating their ms-per-call curves. */
class CostProfileTest {

    private static CostProfile.Curve curve(Object... batchMs) {
        TreeMap<Integer, Double> points = new TreeMap<>();
        for (int i = 0; i < batchMs.length; i += 2) {
            points.put((Integer) batchMs[i], ((Number) batchMs[i + 1]).doubleValue());
        }
        return new CostProfile.Curve(points);
    }

    @Test
    void measuredPointsAreExact() {
        CostProfile.Curve c = curve(2, 39.8, 8, 83.3, 16, 140.9);
        assertEquals(39.8, c.ms(2), 1e-9);
        assertEquals(83.3, c.ms(8), 1e-9);
        assertEquals(140.9, c.ms(16), 1e-9);
    }

    @Test
    void betweenPointsIsLinear() {
        CostProfile.Curve c = curve(2, 40, 8, 100);
        assertEquals(50, c.ms(3), 1e-9);
        assertEquals(70, c.ms(5), 1e-9);
    }

    @Test
    void beyondTheLastPointFollowsTheLastTwo() {
        CostProfile.Curve c = curve(2, 40, 8, 100, 16, 140);
        assertEquals(160, c.ms(20), 1e-9);
        assertEquals(300, c.ms(48), 1e-9);
    }

    @Test
    void belowTheFirstPointFollowsTheFirstTwoAndNeverGoesNegative() {
        CostProfile.Curve c = curve(2, 40, 8, 100);
        assertEquals(30, c.ms(1), 1e-9);
        assertEquals(0, curve(2, 1, 3, 100).ms(1), 1e-9);
    }

    @Test
    void aFallingCurveNeverDropsBelowItsLastPoint() {
        // the T5 figures: b8 measured a little cheaper than b1
        CostProfile.Curve c = curve(1, 38.7, 2, 38.5, 8, 35.5);
        assertEquals(35.5, c.ms(48), 1e-9);
        assertEquals(38.0, c.ms(3), 1e-9);
    }

    @Test
    void aSinglePointScalesWithTheBatch() {
        CostProfile.Curve c = curve(2, 46.3);
        assertEquals(46.3, c.ms(2), 1e-9);
        assertEquals(92.6, c.ms(4), 1e-9);
        assertEquals(23.15, c.ms(1), 1e-9);
    }

    @Test
    void shippedH200ProfilePricesEveryComponentOfTheShapesPack() {
        String root = System.getProperty("iffleet.repo.root", "..");
        CostProfile p = CostProfile.load(Path.of(root, "models/profiles/h200-fp16.json"));
        assertEquals("h200-fp16", p.name());
        ModelPack shapes = ModelPack.load(Path.of(root, "models/shapes"));
        shapes.manifest().components().keySet().forEach(c -> assertTrue(p.has(c), c));
        // FACTS.md: 100 stage I steps of one image with guidance take about 4.0 s
        assertEquals(3980, 100 * p.ms("stage1_unet", 2), 1e-6);
    }

    @Test
    void badProfilesFailWithTheReason() {
        JsonNode wrongFormat = Json.MAPPER.valueToTree(Map.of("format", "x", "components", Map.of()));
        assertTrue(assertThrows(ModelUnavailableException.class, () -> CostProfile.parse(wrongFormat, "p.json"))
                .getMessage().contains("expected 'if-fleet-cost-profile/1'"));
        JsonNode badPoint = Json.MAPPER.valueToTree(Map.of("format", CostProfile.FORMAT,
                "components", Map.of("unet", Map.of("ms", Map.of("0", 3)))));
        assertTrue(assertThrows(ModelUnavailableException.class, () -> CostProfile.parse(badPoint, "p.json"))
                .getMessage().contains("component 'unet' has a bad point 0"));
        JsonNode profile = Json.MAPPER.valueToTree(Map.of("format", CostProfile.FORMAT, "name", "n",
                "components", Map.of("unet", Map.of("ms", Map.of("1", 3)))));
        ModelUnavailableException e = assertThrows(ModelUnavailableException.class,
                () -> CostProfile.parse(profile, "p.json").curve("vae"));
        assertEquals("cost profile 'n' has no figures for component 'vae' (it prices [unet])", e.getMessage());
    }
}
