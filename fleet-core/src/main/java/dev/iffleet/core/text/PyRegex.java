package dev.iffleet.core.text;

import java.util.regex.Pattern;

/**
 * Compiles a Python {@code re} pattern (str, no flags) to a Java pattern that matches the same: Python's
 * {@code \w \d \s \b} are Unicode-wide ({@code \w} is any letter or number, {@code \s} is {@code str.isspace})
 * where Java's are ASCII, so they are rewritten as explicit classes; {@code $} is Python's (end, or before a
 * final {@code \n}). The other syntax the caption rules use is common to both.
 */
final class PyRegex {

    /** Python's whitespace: the characters for which {@code str.isspace()} is true. */
    static final String SPACE = "\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}"
            + "\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}";
    private static final String WORD = "\\p{L}\\p{N}_";
    private static final String BOUNDARY = "(?:(?<=[" + WORD + "])(?![" + WORD + "])|(?<![" + WORD + "])(?=["
            + WORD + "]))";

    private PyRegex() {}

    static Pattern compile(String python) {
        return Pattern.compile(translate(python), Pattern.UNIX_LINES);
    }

    static String translate(String python) {
        StringBuilder java = new StringBuilder(python.length() * 2);
        boolean inClass = false;
        for (int i = 0; i < python.length(); i++) {
            char c = python.charAt(i);
            if (c == '\\' && i + 1 < python.length()) {
                char e = python.charAt(++i);
                java.append(inClass ? inClass(e) : outside(e));
            } else {
                if (c == '[' && !inClass) {
                    inClass = true;
                    // a ']' right after '[' or '[^' is a literal in both dialects
                    java.append(c);
                    if (i + 1 < python.length() && python.charAt(i + 1) == '^') {
                        java.append(python.charAt(++i));
                    }
                    continue;
                } else if (c == ']' && inClass) {
                    inClass = false;
                }
                java.append(c);
            }
        }
        return java.toString();
    }

    private static String outside(char escape) {
        return switch (escape) {
            case 'w' -> "[" + WORD + "]";
            case 'W' -> "[^" + WORD + "]";
            case 'd' -> "\\p{Nd}";
            case 'D' -> "\\P{Nd}";
            case 's' -> "[" + SPACE + "]";
            case 'S' -> "[^" + SPACE + "]";
            case 'b' -> BOUNDARY;
            default -> "\\" + escape;
        };
    }

    private static String inClass(char escape) {
        return switch (escape) {
            case 'w' -> WORD;
            case 'W' -> "[^" + WORD + "]";
            case 'd' -> "\\p{Nd}";
            case 'D' -> "\\P{Nd}";
            case 's' -> SPACE;
            case 'S' -> "[^" + SPACE + "]";
            case 'b' -> "\\x08";
            default -> "\\" + escape;
        };
    }
}
