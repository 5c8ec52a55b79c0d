package dev.iffleet.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expectations (left) are Python 3.11's {@code html.unescape} of the input (right). */
class HtmlEntitiesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "&     | &amp;", "&     | &amp", "<>    | &lt&gt", "Áá    | &Aacute;&aacute",
    })
    void decodesNamedReferencesWithAndWithoutSemicolon(String expected, String input) {
        assertEquals(expected, HtmlEntities.unescape(input));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "&x | &ampx", "∉ | &notin;", "¬it; | &notit;", "&foo; | &foo;", "a & b | a & b",
    })
    void takesTheLongestKnownPrefix(String expected, String input) {
        assertEquals(expected, HtmlEntities.unescape(input));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', emptyValue = "", value = {
        "A | &#65", "– | &#150;", "\u0081 | &#129;", "\ufffd | &#0;", "\ufffd | &#x110000;", "\ufffd | &#xD800;",
        "\ufffd | &#99999999999999999999;", "'' | &#1;",
    })
    void repairsNumericReferencesAsHtml5Does(String expected, String input) {
        assertEquals(expected, HtmlEntities.unescape(input));
    }
}
