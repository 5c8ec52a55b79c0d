package dev.iffleet.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.core.queue.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What each component's call costs on some device, by batch size: the simulated backend sleeps this long, and
 * {@code fleet plan} sizes a fleet from it. The batch of a call is the leading dimension of its first input (for the
 * UNets that is images x2 with guidance, for the T5 encoder prompt + negative prompt).
 *
 * <p>File format ({@value #FORMAT}): {@code {"format": ..., "name": ..., "description": ..., "components":
 * {"stage1_unet": {"ms": {"2": 39.8, "8": 83.3}}, ...}}}; other fields (where and how it was measured) are kept for
 * people and ignored here.
 */
public final class CostProfile {

    public static final String FORMAT = "if-fleet-cost-profile/1";

    private final String name;
    private final Map<String, Curve> curves;

    public CostProfile(String name, Map<String, Curve> curves) {
        this.name = name;
        this.curves = Collections.unmodifiableMap(new LinkedHashMap<>(curves));
    }

    /** Reads a profile file; a missing, malformed or empty profile fails here, at start-up. */
    public static CostProfile load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelUnavailableException("cost profile not found: " + file.toAbsolutePath()
                    + " (set fleet.model.profile, e.g. models/profiles/h200-fp16.json)");
        }
        try {
            return parse(Json.MAPPER.readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new ModelUnavailableException("unreadable cost profile " + file + ": " + e.getMessage(), e);
        }
    }

    static CostProfile parse(JsonNode root, String where) {
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new ModelUnavailableException("cost profile " + where + " has format '" + root.path("format").asText()
                    + "', expected '" + FORMAT + "'");
        }
        Map<String, Curve> curves = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("components").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            TreeMap<Integer, Double> points = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> p = c.getValue().path("ms").fields(); p.hasNext(); ) {
                Map.Entry<String, JsonNode> e = p.next();
                int batch;
                try {
                    batch = Integer.parseInt(e.getKey());
                } catch (NumberFormatException nfe) {
                    batch = 0;
                }
                if (batch < 1 || !e.getValue().isNumber() || e.getValue().asDouble() < 0) {
                    throw new ModelUnavailableException("cost profile " + where + ": component '" + c.getKey()
                            + "' has a bad point " + e.getKey() + ": " + e.getValue() + " (batch >= 1: ms >= 0)");
                }
                points.put(batch, e.getValue().asDouble());
            }
            if (points.isEmpty()) {
                throw new ModelUnavailableException("cost profile " + where + ": component '" + c.getKey()
                        + "' has no \"ms\" points");
            }
            curves.put(c.getKey(), new Curve(points));
        }
        if (curves.isEmpty()) {
            throw new ModelUnavailableException("cost profile " + where + " has no components");
        }
        return new CostProfile(root.path("name").asText(where), curves);
    }

    public String name() {
        return name;
    }

    public Map<String, Curve> curves() {
        return curves;
    }

    public boolean has(String component) {
        return curves.containsKey(component);
    }

    /** The cost curve of a component; a component the profile does not price cannot be simulated. */
    public Curve curve(String component) {
        Curve c = curves.get(component);
        if (c == null) {
            throw new ModelUnavailableException("cost profile '" + name + "' has no figures for component '" + component
                    + "' (it prices " + curves.keySet() + ")");
        }
        return c;
    }

    /** ms of {@code component} at {@code batch}. */
    public double ms(String component, int batch) {
        return curve(component).ms(batch);
    }

    /**
     * Milliseconds per call by batch size: linear between measured points, extrapolated along the line through the
     * last two (first two below the first point); never below 0, and never below the last point beyond it (a
     * measurement's noise, e.g. a slightly cheaper b8 than b2, must not make huge batches free). A curve of one
     * point scales with the batch (ms x batch / its batch): without a second figure no batching gain is assumed.
     */
    public record Curve(NavigableMap<Integer, Double> points) {

        public Curve {
            points = Collections.unmodifiableNavigableMap(new TreeMap<>(points));
        }

        public double ms(int batch) {
            Double exact = points.get(batch);
            if (exact != null) {
                return exact;
            }
            if (points.size() == 1) {
                return points.firstEntry().getValue() * batch / points.firstKey();
            }
            Map.Entry<Integer, Double> lo = points.floorEntry(batch);
            Map.Entry<Integer, Double> hi = points.ceilingEntry(batch);
            if (lo == null) {
                lo = points.firstEntry();
                hi = points.higherEntry(lo.getKey());
                return Math.max(0, line(lo, hi, batch));
            }
            if (hi == null) {
                hi = points.lastEntry();
                lo = points.lowerEntry(hi.getKey());
                return Math.max(hi.getValue(), line(lo, hi, batch));
            }
            return line(lo, hi, batch);
        }

        private static double line(Map.Entry<Integer, Double> a, Map.Entry<Integer, Double> b, int x) {
            double slope = (b.getValue() - a.getValue()) / (b.getKey() - a.getKey());
            return a.getValue() + slope * (x - a.getKey());
        }
    }
}
