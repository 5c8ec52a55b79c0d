package dev.iffleet.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expectations are Python 3.11's {@code urllib.parse.unquote_plus} and {@code str.strip} on the same input. */
class PyStringsTest {

    @Test
    void unquotePlusDecodesUtf8EscapesAndPlus() {
        assertEquals("é +", PyStrings.unquotePlus("%c3%a9+%2B"));
        assertEquals("éé", PyStrings.unquotePlus("é%C3%A9"));
    }

    @Test
    void unquotePlusLeavesBrokenEscapesAndReplacesBadUtf8() {
        assertEquals("a b%zz%4", PyStrings.unquotePlus("a+b%zz%4"));
        assertEquals("100%", PyStrings.unquotePlus("100%"));
        assertEquals("\ufffd x", PyStrings.unquotePlus("%E2%82 x"));
    }

    @Test
    void stripUsesPythonsWhitespace() {
        assertEquals("a", PyStrings.strip("\u001c a \u00a0"));
        assertEquals("\u200b a", PyStrings.strip("\u200b a"));
    }
}
