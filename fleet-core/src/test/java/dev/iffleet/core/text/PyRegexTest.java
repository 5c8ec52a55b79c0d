package dev.iffleet.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.regex.MatchResult;
import org.junit.jupiter.api.Test;

/** Each expectation is what Python 3.11's {@code re.finditer} returns for the same pattern and text. */
class PyRegexTest {

    @Test
    void wordIsAnyLetterOrNumber() {
        assertEquals(List.of("é½_x²"), find("\\w+", "é½_x²"));
    }

    @Test
    void boundaryFollowsUnicodeWords() {
        assertEquals(List.of("cat"), find("\\bcat\\b", "écat cat"));
        assertEquals(List.of("34"), find("\\b\\d+", "x²12 34"));
    }

    @Test
    void spaceIsPythonsIsspace() {
        assertEquals(List.of("\u001c", "\u00a0"), find("\\s+", "a\u001cb\u00a0c\u200bd"));
        assertEquals(List.of("a", "b"), find("[\\S]+", "a\u001cb"));
    }

    @Test
    void digitIsAnyDecimalDigitButNoOtherNumber() {
        assertEquals(List.of("٣4"), find("\\d+", "٣4²"));
        assertEquals(List.of("x", "²"), find("\\D", "x4²"));
    }

    @Test
    void dollarAlsoMatchesBeforeAFinalNewlineOnly() {
        assertEquals(List.of("a"), find("a$", "a\n"));
        assertEquals(List.of(), find("a$", "a\u2028"));
    }

    private static List<String> find(String python, String text) {
        return PyRegex.compile(python).matcher(text).results().map(MatchResult::group).toList();
    }
}
