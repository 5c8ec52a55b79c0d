package dev.iffleet.gateway.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * SSRF guard for webhook URLs: http(s) only, and every address the host resolves to must be public — not
 * loopback, private (RFC 1918, fc00::/7, 100.64/10), link-local (169.254/16 with the cloud metadata address,
 * fe80::/10), unspecified or multicast — unless the operator allow-listed the host name or a CIDR holding it.
 * Checked at submission and again right before each POST; DNS could still change between that check and the
 * connection (a narrow TOCTOU window that only a resolver pinned to the checked address would close).
 */
public final class WebhookUrls {

    private WebhookUrls() {}

    /** Checks a URL with no allow-list (as at submission when the operator allows nothing). */
    public static URI check(String url) {
        return check(url, List.of());
    }

    /**
     * @param allowHosts host names (exact, any case) or CIDR blocks ({@code 10.0.0.0/8}, {@code ::1/128})
     * @return the parsed URI
     * @throws UnsafeWebhookUrlException saying why the URL is refused
     */
    public static URI check(String url, List<String> allowHosts) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new UnsafeWebhookUrlException("webhook is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new UnsafeWebhookUrlException("webhook must be an http or https URL");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new UnsafeWebhookUrlException("webhook URL has no host");
        }
        if (uri.getUserInfo() != null) {
            throw new UnsafeWebhookUrlException("webhook URL must not carry credentials");
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (allowHosts.stream().anyMatch(a -> !a.contains("/") && a.equalsIgnoreCase(bare))) {
            return uri;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw new UnsafeWebhookUrlException("webhook host " + bare + " does not resolve");
        }
        for (InetAddress a : addresses) {
            boolean allowed = allowHosts.stream().anyMatch(c -> c.contains("/") && inCidr(a, c)
                    || !c.contains("/") && c.equals(a.getHostAddress()));
            if (!allowed && internal(a)) {
                throw new UnsafeWebhookUrlException("webhook host " + bare + " resolves to an internal address");
            }
        }
        return uri;
    }

    /** Whether an address is not routable on the public internet. */
    static boolean internal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // fc00::/7 unique local
            }
            boolean v4Mapped = true;
            for (int i = 0; i < 10; i++) {
                v4Mapped &= b[i] == 0;
            }
            if (v4Mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return internal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            return false;
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || first == 127 || (first == 100 && second >= 64 && second < 128) || first >= 240;
    }

    static boolean inCidr(InetAddress a, String cidr) {
        String[] parts = cidr.trim().split("/", 2);
        try {
            byte[] net = InetAddress.getByName(parts[0]).getAddress();
            byte[] addr = a.getAddress();
            if (net.length != addr.length) {
                return false;
            }
            int bits = Integer.parseInt(parts[1]);
            for (int i = 0; i < addr.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((addr[i] & mask) != (net[i] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    /** A webhook URL the gateway refuses to call. */
    public static final class UnsafeWebhookUrlException extends IllegalArgumentException {
        public UnsafeWebhookUrlException(String message) {
            super(message);
        }
    }
}
