package dev.iffleet.core.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code html.unescape}: named references from the HTML5 table (with the legacy ones that need no
 * ';', longest prefix first), decimal and hex references with the HTML5 repairs (windows-1252 for 0x80-0x9F,
 * U+FFFD for surrogates and out-of-range numbers, nothing for the forbidden control code points).
 */
final class HtmlEntities {

    private static final Pattern REFERENCE =
            Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    private static final Map<String, String> NAMED = load();
    private static final Charset CP1252 = Charset.forName("windows-1252");

    private HtmlEntities() {}

    static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = REFERENCE.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replace(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The text of the named reference {@code &name;} (name without '&' and ';'), or null if there is none. */
    static String named(String name) {
        return NAMED.get(name + ";");
    }

    private static String replace(String ref) {
        if (ref.charAt(0) == '#') {
            boolean hex = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X');
            String digits = ref.substring(hex ? 2 : 1).replace(";", "");
            return numeric(new BigInteger(digits, hex ? 16 : 10));
        }
        String exact = NAMED.get(ref);
        if (exact != null) {
            return exact;
        }
        for (int x = ref.length() - 1; x > 1; x--) {
            String prefix = NAMED.get(ref.substring(0, x));
            if (prefix != null) {
                return prefix + ref.substring(x);
            }
        }
        return "&" + ref;
    }

    private static String numeric(BigInteger value) {
        if (value.bitLength() > 31 || value.intValue() > 0x10FFFF) {
            return "\uFFFD";
        }
        int cp = value.intValue();
        if (cp == 0) {
            return "\uFFFD";
        }
        if (cp == 0x0D) {
            return "\r";
        }
        if (cp >= 0x80 && cp <= 0x9F) {
            String c = new String(new byte[] {(byte) cp}, CP1252);
            return c.equals("\uFFFD") ? String.valueOf((char) cp) : c;
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            return "\uFFFD";
        }
        boolean forbidden = (cp >= 0x01 && cp <= 0x08) || cp == 0x0B || (cp >= 0x0E && cp <= 0x1F) || cp == 0x7F
                || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
        return forbidden ? "" : new String(Character.toChars(cp));
    }

    private static Map<String, String> load() {
        Map<String, String> table = new HashMap<>(4096);
        try (InputStream in = HtmlEntities.class.getResourceAsStream("html5-entities.tsv");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t");
                StringBuilder value = new StringBuilder();
                for (String cp : parts[1].split(" ")) {
                    value.appendCodePoint(Integer.parseInt(cp, 16));
                }
                table.put(parts[0], value.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return table;
    }
}
