package dev.iffleet.core.text;

import static dev.iffleet.core.text.CaptionCleaner.clean;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The first half of {@code _clean_caption}'s rules, up to the bad-punctuation rule. Every expected value is the
 * output of diffusers' {@code _text_preprocessing(text, clean_caption=True)} on Python 3.11 with bs4 4.11.2
 * (ftfy absent, which only matters for {@link CaptionCleanerRulesTest#approximatesFtfy}).
 */
class CaptionCleanerTest {

    @Test
    void unquotesUrlEncodingLowerCasesAndStrips() {
        assertEquals("a red cat, sitting", clean("a+red%20cat%2C+sitting"));
        assertEquals("✓ done 100%", clean("%E2%9C%93 done 100%"));
        assertEquals("a red cat", clean("  A Red CAT \t "));
    }

    @Test
    void keepsThePersonToken() {
        assertEquals("person riding a horse", clean("<person> riding a horse"));
    }

    @Test
    void removesUrlsAndDomains() {
        // the first pass leaves "cat photo . here"; the second removes the lone dot
        assertEquals("cat photo here", clean("cat photo https://example.com/cat.jpg here"));
        assertEquals("visit today", clean("visit shop.example.net/page today"));
        assertEquals("see now", clean("see www.cats.org now"));
        assertEquals("mail me at bob please", clean("mail me at bob@mail.com please"));
        assertEquals("big dog", clean("HTTP://EXAMPLE.COM/A big dog"));
    }

    @Test
    void keepsOnlyTheTextOfHtml() {
        assertEquals("bold and cat", clean("<b>bold</b> and <i class='x'>cat</i>"));
        assertEquals("a dog", clean("<script>var a = 1;</script>a dog"));
        assertEquals("a dog", clean("a <!-- hidden --> dog"));
        assertEquals("fish < chips > peas", clean("fish &lt; chips &gt; peas"));
        assertEquals("a <not closed", clean("a <not closed"));
    }

    @Test
    void removesHandles() {
        assertEquals("photo by of a cat", clean("photo by @john_doe123 of a cat"));
    }

    @Test
    void removesCjkIdeographsAndCompatibilitySigns() {
        assertEquals("a cat sitting", clean("a cat 猫 sitting 山田"));
        assertEquals("enclosed and units", clean("enclosed ㈱ and ㎏ units"));
    }

    @Test
    void unifiesDashesAndQuotes() {
        assertEquals("a cat - the best - ever - really", clean("a cat — the best – ever ― really"));
        assertEquals("hello\" \"world\" 'it's' \"x", clean("«hello» “world” ‘it’s’ ´x´"));
    }

    @Test
    void removesQuotAndAmpLeftAfterHtml() {
        assertEquals("say hi now", clean("say &amp;quot;hi&amp;quot; now"));
        assertEquals("rock ; roll", clean("rock &amp;amp; roll"));
        assertEquals("x lt;b gt; y", clean("x &amp;lt;b&amp;gt; y"));
    }

    @Test
    void removesIpAddressesAndArticleIds() {
        assertEquals("server room", clean("server 192.168.0.1 room"));
        // "1:23 " at the very end, which only the HTML step can leave there
        assertEquals("news", clean("news 1:23 <b></b>"));
    }

    @Test
    void replacesLiteralBackslashN() {
        assertEquals("line one line two", clean("line one\\nline two"));
    }

    @Test
    void removesHashNumbersAndLongNumbers() {
        assertEquals("item is here", clean("item #123 is here"));
        assertEquals("ticket and 1234 x", clean("ticket #123456 and #1234 x"));
        assertEquals("code end 12345", clean("code 1234567 end 12345"));
    }

    @Test
    void removesFileNames() {
        assertEquals("see and now", clean("see image_01.png and doc.pdf now"));
    }

    @Test
    void collapsesRepeatedQuotesAndDots() {
        assertEquals("\"ausverkauft\" now", clean("\"\"\"ausverkauft\"\"\" now"));
        assertEquals("wait what", clean("wait... what.."));
    }

    @Test
    void refusesNull() {
        assertThrows(NullPointerException.class, () -> clean(null));
    }
}
