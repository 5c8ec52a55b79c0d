package dev.iffleet.core.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A stage's timestep schedule as a caller names it: one of IF's named respacings ({@code "smart27"}) or an explicit
 * descending list of timesteps in 0..999. JSON is either the name or the list.
 */
public record TimestepSchedule(String name, List<Integer> explicit) {

    /** IF's respacings (diffusers' deepfloyd_if/timesteps.py); the diffusion module's tables hold exactly these. */
    public static final Set<String> NAMES =
            Set.of("fast27", "smart27", "smart50", "smart100", "smart185", "super27", "super40", "super100");

    /** Longest explicit list accepted: one entry per training timestep. */
    public static final int MAX_STEPS = 1000;

    public TimestepSchedule {
        if ((name == null) == (explicit == null)) {
            throw new IllegalArgumentException("a timestep schedule is a respacing name or a list, not both or neither");
        }
        if (name != null) {
            name = name.toLowerCase(Locale.ROOT).trim().replaceFirst("_timesteps$", "");
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown timestep respacing '" + name + "'; one of " + sortedNames());
            }
        } else {
            explicit = List.copyOf(explicit);
            validate(explicit);
        }
    }

    public static TimestepSchedule named(String name) {
        return new TimestepSchedule(name, null);
    }

    public static TimestepSchedule of(List<Integer> timesteps) {
        return new TimestepSchedule(null, timesteps);
    }

    @JsonCreator
    public static TimestepSchedule fromJson(Object json) {
        if (json instanceof String s) {
            return named(s);
        }
        if (json instanceof List<?> list) {
            return of(list.stream().map(TimestepSchedule::integer).toList());
        }
        throw new IllegalArgumentException("timesteps must be a respacing name or a list of integers");
    }

    @JsonValue
    public Object json() {
        return name != null ? name : explicit;
    }

    /** The explicit list as an array (null for a named respacing, which the diffusion tables resolve). */
    public int[] explicitArray() {
        return explicit == null ? null : explicit.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void validate(List<Integer> ts) {
        if (ts.isEmpty() || ts.size() > MAX_STEPS) {
            throw new IllegalArgumentException("timesteps must list 1.." + MAX_STEPS + " entries, got " + ts.size());
        }
        for (int i = 0; i < ts.size(); i++) {
            Integer t = ts.get(i);
            if (t == null || t < 0 || t > 999) {
                throw new IllegalArgumentException("timesteps must be integers in 0..999, got " + t);
            }
            if (i > 0 && t >= ts.get(i - 1)) {
                throw new IllegalArgumentException("timesteps must be strictly descending, got " + ts.get(i - 1)
                        + " then " + t);
            }
        }
    }

    private static Integer integer(Object o) {
        if (o instanceof Integer i) {
            return i;
        }
        if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw new IllegalArgumentException("timesteps must be integers, got " + o);
    }

    private static String sortedNames() {
        return String.join(", ", NAMES.stream().sorted().toList());
    }
}
