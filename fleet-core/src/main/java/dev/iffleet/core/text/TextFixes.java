package dev.iffleet.core.text;

import java.text.Normalizer;

/**
 * The deterministic part of {@code ftfy.fix_text} (ftfy 6, default settings) in its order: HTML references
 * when the text has no '<', Latin ligatures spelled out, full-width and half-width forms to their usual width,
 * curly quotes straightened, NFC. Left out: mojibake repair (fix_encoding and its helpers), terminal escapes,
 * line-break and control-character clean-up; the caption rules collapse the whitespace those would touch.
 * ftfy only decodes references ending in ';'; {@link HtmlEntities} also takes HTML's legacy ones without it.
 */
final class TextFixes {

    private TextFixes() {}

    static String fix(String s) {
        String text = s.indexOf('<') < 0 ? HtmlEntities.unescape(s) : s;
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.append(fixChar(cp)));
        return Normalizer.normalize(out, Normalizer.Form.NFC);
    }

    private static String fixChar(int cp) {
        if (cp == 0xFB05) {
            return "ſt"; // ftfy keeps the long s, where NFKC would not
        }
        if (isLigature(cp) || (cp >= 0xFF01 && cp <= 0xFFEF)) {
            return Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC);
        }
        if (cp == 0x3000) {
            return " ";
        }
        if (cp == 0x02BC || (cp >= 0x2018 && cp <= 0x201B)) {
            return "'";
        }
        if (cp >= 0x201C && cp <= 0x201F) {
            return "\"";
        }
        return new String(Character.toChars(cp));
    }

    /** ftfy's LIGATURES: Ĳ ĳ ŉ, the DŽ/LJ/NJ/DZ digraphs and ﬀ-ﬆ. */
    private static boolean isLigature(int cp) {
        return cp == 0x0132 || cp == 0x0133 || cp == 0x0149 || (cp >= 0x01C4 && cp <= 0x01CC)
                || (cp >= 0x01F1 && cp <= 0x01F3) || (cp >= 0xFB00 && cp <= 0xFB06);
    }
}
