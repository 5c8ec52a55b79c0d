package dev.iffleet.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code key=value} command-line arguments. */
final class Args {

    private Args() {}

    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value, got '" + a + "'");
            }
            out.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return out;
    }
}
