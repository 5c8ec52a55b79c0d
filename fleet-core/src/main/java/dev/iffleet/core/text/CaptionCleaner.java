package dev.iffleet.core.text;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Cleans a prompt before T5 encodes it, as DeepFloyd IF's pipelines do with {@code clean_caption=True}
 * (diffusers' {@code IFPipeline._text_preprocessing}, which runs {@code _clean_caption} twice): URLs, HTML,
 * @handles, CJK ideographs, ids, file names, shop boilerplate ("free shipping", "click for ...") and sizes
 * ("1920x1080") go; dashes and quotes are unified; whitespace is collapsed; the result is lower-case.
 *
 * <p>A rule-by-rule port with the same regular expressions ({@link PyRegex} keeps Python's Unicode meaning of
 * {@code \w \d \s \b}). Where the reference calls libraries: BeautifulSoup's text is {@link HtmlText};
 * {@code ftfy.fix_text} is approximated by {@link TextFixes} (HTML references, ligatures, full-width forms,
 * straight quotes, NFC), which does not repair mojibake, terminal escapes or control characters as ftfy does.
 */
public final class CaptionCleaner {

    private static final String URL_TAIL = "[a-zA-Z0-9.\\-]+[.](?:com|co|ru|net|org|edu|gov|it)[\\w/-]*\\b\\/?(?!@)))";
    private static final Rule[] MARKUP = {
        rule("<person>", "person"),
        rule("\\b((?:https?:(?:\\/{1,3}|[a-zA-Z0-9%])|" + URL_TAIL, ""),
        rule("\\b((?:www:(?:\\/{1,3}|[a-zA-Z0-9%])|" + URL_TAIL, ""),
    };
    private static final Rule[] SYMBOLS = {
        rule("@[\\w\\d]+\\b", ""), // @handles
        // CJK strokes, katakana extensions, enclosed CJK, CJK compatibility, ideographs ext. A, hexagrams, ideographs
        rule("[\\u31c0-\\u31ef]+", ""),
        rule("[\\u31f0-\\u31ff]+", ""),
        rule("[\\u3200-\\u32ff]+", ""),
        rule("[\\u3300-\\u33ff]+", ""),
        rule("[\\u3400-\\u4dbf]+", ""),
        rule("[\\u4dc0-\\u4dff]+", ""),
        rule("[\\u4e00-\\u9fff]+", ""),
        rule("[\\u002D\\u058A\\u05BE\\u1400\\u1806\\u2010-\\u2015\\u2E17\\u2E1A\\u2E3A\\u2E3B\\u2E40\\u301C\\u3030"
                + "\\u30A0\\uFE31\\uFE32\\uFE58\\uFE63\\uFF0D]+", "-"), // every dash
        rule("[`´«»“”¨]", "\""),
        rule("[‘’]", "'"),
        rule("&quot;?", ""),
        rule("&amp", ""),
        rule("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}", " "), // IP addresses
        rule("\\d:\\d\\d\\s+$", ""), // article ids
        rule("\\\\n", " "), // a literal backslash-n
        rule("#\\d{1,3}\\b", ""),
        rule("#\\d{5,}\\b", ""),
        rule("\\b\\d{6,}\\b", ""),
        rule("[\\S]+\\.(?:png|jpg|jpeg|bmp|webp|eps|pdf|apk|mp4)", ""), // file names
        rule("[\\\"\\']{2,}", "\""),
        rule("[\\.]{2,}", " "),
        rule("[#®•©™&@·º½¾¿¡§~\\)\\(\\]\\[\\}\\{\\|\\\\\\/\\*]{1,}", " "), // bad punctuation
        rule("\\s+\\.\\s+", " "),
    };
    private static final Pattern DASH_OR_UNDERSCORE = PyRegex.compile("(?:\\-|\\_)");
    private static final Rule[] WORDS = {
        rule("\\b[a-zA-Z]{1,3}\\d{3,15}\\b", ""), // jc6640
        rule("\\b[a-zA-Z]+\\d+[a-zA-Z]+\\b", ""), // jc6640vc
        rule("\\b\\d+[a-zA-Z]+\\d+\\b", ""), // 6640vc231
        rule("(worldwide\\s+)?(free\\s+)?shipping", ""),
        rule("(free\\s)?download(\\sfree)?", ""),
        rule("\\bclick\\b\\s(?:for|on)\\s\\w+", ""),
        rule("\\b(?:png|jpg|jpeg|bmp|webp|eps|pdf|apk|mp4)(\\simage[s]?)?", ""),
        rule("\\bpage\\s+\\d+\\b", ""),
        rule("\\b\\d*[a-zA-Z]+\\d+[a-zA-Z]+\\d+[a-zA-Z\\d]*\\b", " "), // j2d1a2a...
        rule("\\b\\d+\\.?\\d*[xх×]\\d+\\.?\\d*\\b", ""), // sizes, with Latin x, Cyrillic х or ×
        rule("\\b\\s+\\:\\s+", ": "),
        rule("(\\D[,\\./])\\b", "$1 "),
        rule("\\s+", " "),
        rule("^[\\\"\\']([\\w\\W]+)[\\\"\\']$", "$1"),
        rule("^[\\'\\_,\\-\\:;]", ""),
        rule("[\\'\\_,\\-\\:\\-\\+]$", ""),
        rule("^\\.\\S+$", ""),
    };

    private CaptionCleaner() {}

    /** The cleaned caption, as IF's pipelines encode it (possibly empty). */
    public static String clean(String caption) {
        return cleanOnce(cleanOnce(Objects.requireNonNull(caption, "caption")));
    }

    /** One pass of {@code _clean_caption}. */
    static String cleanOnce(String caption) {
        String s = PyStrings.unquotePlus(caption);
        s = PyStrings.strip(s).toLowerCase(Locale.ROOT);
        s = apply(MARKUP, s);
        s = HtmlText.text(s);
        s = apply(SYMBOLS, s);
        // this-is-my-cute-cat, this_is_my_cute_cat
        if (DASH_OR_UNDERSCORE.matcher(s).results().count() > 3) {
            s = DASH_OR_UNDERSCORE.matcher(s).replaceAll(" ");
        }
        s = TextFixes.fix(s);
        s = HtmlEntities.unescape(HtmlEntities.unescape(s));
        s = apply(WORDS, s);
        return PyStrings.strip(s);
    }

    private static String apply(Rule[] rules, String s) {
        for (Rule rule : rules) {
            s = rule.pattern.matcher(s).replaceAll(rule.replacement);
        }
        return s;
    }

    private static Rule rule(String pythonRegex, String replacement) {
        return new Rule(PyRegex.compile(pythonRegex), replacement);
    }

    private record Rule(Pattern pattern, String replacement) {}
}
