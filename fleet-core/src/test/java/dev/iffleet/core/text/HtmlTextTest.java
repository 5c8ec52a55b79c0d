package dev.iffleet.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expectations (left) are {@code BeautifulSoup(input, "html.parser").text} (bs4 4.11.2, Python 3.11). */
class HtmlTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "ab           | <p>a<br/>b</p>",
        "bold and cat | <b>bold</b> and <i class='x>'>cat</i>",
        "end          | </p>end",
    })
    void dropsTagsKeepsText(String expected, String input) {
        assertEquals(expected, HtmlText.text(input));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"a  dog\" | a <!-- hidden --> dog",
        "text       | <!DOCTYPE html>text",
        "ok         | <?php x ?>ok",
        "a b        | a <style>p{}</style>b",
        "a dog      | <script>var a = '<b>';</script>a dog",
    })
    void dropsCommentsDeclarationsInstructionsScriptsAndStyles(String expected, String input) {
        assertEquals(expected, HtmlText.text(input));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "a kept b      | a <![CDATA[kept]]> b",
        "a<b           | a<b",
        "a <not closed | a <not closed",
        "1 < 2         | 1 < 2",
    })
    void keepsCdataAndLoneAngleBrackets(String expected, String input) {
        assertEquals(expected, HtmlText.text(input));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "a & b      | a &amp b",
        "&foo bar   | &foo; bar",
        "x–y        | x&#150;y",
        "x A y      | x &#65 y",
        "a &#xyz; b | a &#xyz; b",
        "ATT        | AT&T",
        "tom j      | tom &j",
        "x &amp     | x &amp",
    })
    void decodesReferencesAsBeautifulSoupDoes(String expected, String input) {
        assertEquals(expected, HtmlText.text(input));
    }
}
