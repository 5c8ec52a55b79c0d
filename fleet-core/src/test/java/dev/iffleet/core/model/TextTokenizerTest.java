package dev.iffleet.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.iffleet.core.queue.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pack's tokenizers against reference ids from the pack recipe's pure-Python tokenizers
 * ({@code models/tiny/tokenizer/expected_ids.json}).
 */
class TextTokenizerTest {

    private static final int MAX_LENGTH = 77;
    private static ModelPack pack;
    private static ModelRuntime runtime;
    private static JsonNode expected;

    @BeforeAll
    static void open() throws IOException {
        pack = TinyPack.load();
        runtime = ModelRuntime.open(pack, RuntimeSettings.cpu());
        expected = Json.MAPPER.readTree(pack.resolve("tokenizer/expected_ids.json").toFile());
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    static Stream<Arguments> referencePrompts() throws IOException {
        JsonNode ids = Json.MAPPER.readTree(TinyPack.dir().resolve("tokenizer/expected_ids.json").toFile());
        List<Arguments> cases = new ArrayList<>();
        for (String tokenizer : List.of("t5", "clip")) {
            ids.get(tokenizer).fieldNames().forEachRemaining(prompt -> cases.add(Arguments.of(tokenizer, prompt)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: \"{1}\"")
    @MethodSource("referencePrompts")
    void idsMatchTheReferenceThenPadWithThePacksPadId(String name, String prompt) {
        long[] reference = referenceIds(name, prompt);
        long padId = pack.tokenizer(name).padId();
        TextTokenizer.Tokens tokens = runtime.tokenizer(name).encode(prompt);

        long[] expectedIds = new long[MAX_LENGTH];
        Arrays.fill(expectedIds, padId);
        System.arraycopy(reference, 0, expectedIds, 0, reference.length);
        long[] expectedMask = new long[MAX_LENGTH];
        Arrays.fill(expectedMask, 0, reference.length, 1L);

        assertArrayEquals(expectedIds, tokens.ids());
        assertArrayEquals(expectedMask, tokens.mask());
        assertFalse(tokens.truncated());
    }

    @ParameterizedTest
    @ValueSource(strings = {"t5", "clip"})
    void longPromptIsTruncatedKeepingTheClosingToken(String name) throws IOException {
        String prompt = String.join(" ", Collections.nCopies(300, "cat"));
        long[] empty = referenceIds(name, "");
        long closing = empty[empty.length - 1];
        long[] raw;
        try (HuggingFaceTokenizer library = HuggingFaceTokenizer.newInstance(
                pack.resolve(pack.tokenizer(name).file()), Map.of("addSpecialTokens", "true"))) {
            raw = library.encode(prompt).getIds();
        }
        assertTrue(raw.length > MAX_LENGTH, "the prompt is longer than " + MAX_LENGTH + " tokens");

        TextTokenizer.Tokens tokens = runtime.tokenizer(name).encode(prompt);

        long[] expectedIds = Arrays.copyOf(raw, MAX_LENGTH);
        expectedIds[MAX_LENGTH - 1] = closing;
        long[] allOnes = new long[MAX_LENGTH];
        Arrays.fill(allOnes, 1L);
        assertArrayEquals(expectedIds, tokens.ids());
        assertArrayEquals(allOnes, tokens.mask());
        assertTrue(tokens.truncated());
    }

    @ParameterizedTest
    @ValueSource(strings = {"t5", "clip"})
    void maxLengthComesFromTheManifest(String name) {
        assertEquals(MAX_LENGTH, runtime.tokenizer(name).maxLength());
    }

    private static long[] referenceIds(String name, String prompt) {
        return StreamSupport.stream(expected.get(name).get(prompt).spliterator(), false)
                .mapToLong(JsonNode::asLong)
                .toArray();
    }
}
