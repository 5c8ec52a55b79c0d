package dev.iffleet.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The SSRF guard: internal addresses are refused unless allow-listed; only http(s). */
class WebhookUrlsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1/hook", "http://localhost:8080/hook", "http://10.1.2.3/", "http://172.16.0.1/",
        "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/", "http://[::1]/",
        "http://[fe80::1]/", "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/", "http://224.0.0.1/",
        "http://100.64.0.1/", "http://2130706433/"})
    void refusesInternalAddresses(String url) {
        assertThrows(WebhookUrls.UnsafeWebhookUrlException.class, () -> WebhookUrls.check(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://8.8.8.8/", "file:///etc/passwd", "gopher://8.8.8.8/", "not a url", "http:///path",
        "http://user:pw@8.8.8.8/"})
    void refusesOtherSchemesAndMalformedUrls(String url) {
        assertThrows(WebhookUrls.UnsafeWebhookUrlException.class, () -> WebhookUrls.check(url));
    }

    @Test
    void acceptsAPublicAddress() {
        assertDoesNotThrow(() -> WebhookUrls.check("https://8.8.8.8/hook"));
        assertDoesNotThrow(() -> WebhookUrls.check("http://[2001:4860:4860::8888]/hook"));
    }

    @Test
    void allowListOpensHostsAndCidrs() {
        assertDoesNotThrow(() -> WebhookUrls.check("http://127.0.0.1:9000/hook", List.of("127.0.0.1")));
        assertDoesNotThrow(() -> WebhookUrls.check("http://10.20.30.40/hook", List.of("10.0.0.0/8")));
        assertDoesNotThrow(() -> WebhookUrls.check("http://localhost/hook", List.of("LOCALHOST")));
        assertThrows(WebhookUrls.UnsafeWebhookUrlException.class,
                () -> WebhookUrls.check("http://192.168.0.1/hook", List.of("10.0.0.0/8", "127.0.0.1")));
    }
}
