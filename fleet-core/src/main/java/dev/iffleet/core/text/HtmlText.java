package dev.iffleet.core.text;

import java.math.BigInteger;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text BeautifulSoup ({@code html.parser}) gives for a caption, {@code BeautifulSoup(s, "html.parser").text}:
 * tags, comments, declarations, processing instructions and the content of script and style elements are
 * dropped, CDATA content is kept, references are decoded as bs4 decodes them (an unknown {@code &name;} becomes
 * {@code &name}; numeric ones under 256 are read as windows-1252). Markup left unterminated at the end is
 * kept as text, as the parser's close() does. Follows the tokenizer of Python 3.11's {@code html.parser}; tree
 * building (which does not change the text) is skipped.
 */
final class HtmlText {

    private static final Pattern START_TAG = Pattern.compile(
            "<([a-zA-Z][^\\t\\n\\r\\f />\\x00]*)(?:[^>'\"]|'[^']*'|\"[^\"]*\")*>");
    private static final Pattern CHARREF = Pattern.compile("&#([0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]");
    private static final Pattern ENTITYREF = Pattern.compile("&([a-zA-Z][-.a-zA-Z0-9]*)[^a-zA-Z0-9]");
    private static final Pattern INCOMPLETE = Pattern.compile("&[a-zA-Z#]");
    private static final Pattern COMMENT_CLOSE = Pattern.compile("--\\s*>");
    private static final Charset CP1252 = Charset.forName("windows-1252");

    private HtmlText() {}

    static String text(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        int i = 0;
        while (i < n) {
            int j = nextMarkup(s, i);
            out.append(s, i, j);
            i = j;
            if (i == n) {
                break;
            }
            int k;
            if (s.charAt(i) == '<') {
                k = markupEnd(s, i, out);
                if (k == -2) {
                    return out.toString(); // an unclosed script or style: the parser never hands its content over
                }
                if (k < 0) {
                    // unterminated at the end of input: up to the next '>' (or '<') is text
                    int gt = s.indexOf('>', i + 1);
                    int lt = s.indexOf('<', i + 1);
                    k = gt >= 0 ? gt + 1 : lt >= 0 ? lt : i + 1;
                    out.append(s, i, k);
                }
                i = k;
                continue;
            }
            Matcher m = (s.startsWith("&#", i) ? CHARREF : ENTITYREF).matcher(s).region(i, n);
            if (m.lookingAt()) {
                out.append(s.startsWith("&#", i) ? charref(m.group(1)) : entityref(m.group(1)));
                i = s.charAt(m.end() - 1) == ';' ? m.end() : m.end() - 1;
            } else if (s.startsWith("&#", i) || INCOMPLETE.matcher(s).region(i, n).lookingAt()) {
                // the parser stops here and close() hands the rest over as plain text
                boolean lastTwo = !s.startsWith("&#", i) && i + 2 == n;
                out.append(s, lastTwo ? i + 1 : i, n);
                return out.toString();
            } else {
                out.append('&');
                i++;
            }
        }
        return out.toString();
    }

    private static int nextMarkup(String s, int from) {
        for (int j = from; j < s.length(); j++) {
            if (s.charAt(j) == '<' || s.charAt(j) == '&') {
                return j;
            }
        }
        return s.length();
    }

    /** The index after the markup at {@code i}, appending any text it carries; -1 when unterminated. */
    private static int markupEnd(String s, int i, StringBuilder out) {
        if (i + 1 < s.length() && isAsciiLetter(s.charAt(i + 1))) {
            Matcher tag = START_TAG.matcher(s).region(i, s.length());
            if (!tag.lookingAt()) {
                return -1;
            }
            String name = tag.group(1).toLowerCase(Locale.ROOT);
            if (!name.equals("script") && !name.equals("style")) {
                return tag.end();
            }
            Matcher close = Pattern.compile("</\\s*" + name + "\\s*>", Pattern.CASE_INSENSITIVE).matcher(s);
            return close.find(tag.end()) ? close.end() : -2;
        }
        if (s.startsWith("<!--", i)) {
            Matcher close = COMMENT_CLOSE.matcher(s);
            return close.find(i + 4) ? close.end() : -1;
        }
        if (s.regionMatches(true, i, "<![CDATA[", 0, 9)) {
            int close = s.indexOf("]]>", i + 9);
            if (close < 0) {
                return -1;
            }
            out.append(s, i + 9, close);
            return close + 3;
        }
        if (s.startsWith("</", i) || s.startsWith("<!", i) || s.startsWith("<?", i)) {
            int gt = s.indexOf('>', i + 2);
            return gt < 0 ? -1 : gt + 1;
        }
        out.append('<');
        return i + 1;
    }

    private static String charref(String digits) {
        boolean hex = digits.charAt(0) == 'x' || digits.charAt(0) == 'X';
        BigInteger value = new BigInteger(hex ? digits.substring(1) : digits, hex ? 16 : 10);
        if (value.bitLength() > 31 || value.intValue() > 0x10FFFF) {
            return "\uFFFD";
        }
        int cp = value.intValue();
        if (cp >= 0x80 && cp <= 0x9F) {
            String c = new String(new byte[] {(byte) cp}, CP1252);
            if (!c.equals("\uFFFD")) {
                return c;
            }
        }
        return new String(Character.toChars(cp));
    }

    private static String entityref(String name) {
        String value = HtmlEntities.named(name);
        return value != null ? value : "&" + name;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
