package dev.iffleet.core.text;

import static dev.iffleet.core.text.CaptionCleaner.clean;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The second half of {@code _clean_caption}'s rules, from bad punctuation on, and the double pass. Expected
 * values are the Python reference's (see {@link CaptionCleanerTest}), except in {@link #approximatesFtfy}.
 */
class CaptionCleanerRulesTest {

    @Test
    void replacesBadPunctuationAndLoneDots() {
        assertEquals("sale hot deal now ok", clean("***sale*** #hot {deal} | now ~ ok"));
        assertEquals("a cat on a mat", clean("a cat . on a mat"));
        assertEquals("£100 deal off", clean("£100 deal ½ off"));
    }

    @Test
    void splitsWordsJoinedByMoreThanThreeDashesOrUnderscores() {
        assertEquals("this is my cute cat", clean("this-is-my-cute-cat"));
        assertEquals("snake case file name here", clean("snake_case_file_name_here"));
        assertEquals("well-known red-eyed cat", clean("well-known red-eyed cat"));
    }

    @Test
    void decodesReferencesLeftAfterHtml() {
        // html.unescape runs after lower-casing: one pass leaves "dash A", the second lower-cases it
        assertEquals("dash a", clean("&#8212; dash &#x41; &#150;"));
    }

    @Test
    void removesProductCodes() {
        assertEquals("model bag", clean("model jc6640 bag"));
        assertEquals("item blue", clean("item jc6640vc blue"));
        assertEquals("part red", clean("part 6640vc231 red"));
        assertEquals("code x", clean("code j2d1a2a3 x"));
    }

    @Test
    void removesShopBoilerplate() {
        assertEquals("red dress", clean("worldwide free shipping red dress"));
        assertEquals("wallpaper", clean("free download free wallpaper"));
        assertEquals("now", clean("click for details now"));
        assertEquals("", clean("click on here"));
        assertEquals("cute of cats", clean("cute png images of cats"));
        assertEquals("of the book", clean("page 12 of the book"));
    }

    @Test
    void removesSizes() {
        assertEquals("wallpaper hd", clean("wallpaper 1920x1080 hd"));
        assertEquals("print and card", clean("5×7 print and 2.5х3.5 card"));
    }

    @Test
    void spacesPunctuation() {
        assertEquals("title: subtitle", clean("title : subtitle"));
        assertEquals("cats, dogs. birds fish", clean("cats,dogs.birds/fish"));
        assertEquals("a b c d", clean("a   b\tc\u00a0d"));
    }

    @Test
    void trimsQuotesAndPunctuationAtTheEnds() {
        assertEquals("a cat on a mat", clean("\"a cat on a mat\""));
        assertEquals("a cat", clean("'a cat'"));
        assertEquals("a cat", clean("-a cat"));
        assertEquals("a cat", clean("a cat+"));
        assertEquals("", clean(".hidden"));
    }

    @Test
    void runsTwiceAsThePipelineDoes() {
        String caption = "cat photo https://example.com/cat.jpg here";
        assertEquals("cat photo . here", CaptionCleaner.cleanOnce(caption));
        assertEquals("cat photo here", clean(caption));
        assertEquals("dash A", CaptionCleaner.cleanOnce("&#8212; dash &#x41; &#150;"));
    }

    @Test
    void approximatesFtfy() {
        // ftfy: NFC, ligatures spelled out, full-width letters narrowed (the reference without ftfy keeps them)
        assertEquals("caf\u00e9 au lait", clean("cafe\u0301 au lait"));
        assertEquals("fish cat", clean("ﬁsh ｃａｔ"));
        assertEquals("it's \"so\"", clean("it\u02bcs \u201eso\u201f"));
    }
}
