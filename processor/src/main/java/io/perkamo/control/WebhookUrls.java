package io.perkamo.control;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a webhook may be sent. Only http(s) URLs with a host and no credentials. A live Space's
 * endpoints may not reach this machine or its private network: loopback, private, link-local
 * (which holds the cloud metadata service, 169.254.169.254), carrier-grade NAT, unique-local
 * IPv6, multicast and unspecified addresses are refused. An address literal or a name like
 * {@code localhost} is refused when the endpoint is saved; every other name is checked against
 * the addresses it resolves to when a request is sent (a name may resolve elsewhere later: DNS
 * rebinding). A test Space may use any address, so a receiver on localhost works while
 * developing.
 */
public final class WebhookUrls {
    static final int MAX_LENGTH = 2048;

    private WebhookUrls() {
    }

    /** The problem with this URL for an endpoint of a Space of this environment, if any. */
    public static Optional<String> problem(String url, Environment environment) {
        if (url == null || url.isBlank()) {
            return Optional.of("url is required");
        }
        if (url.length() > MAX_LENGTH) {
            return Optional.of("url is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("url must be http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("url has no host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("url may not carry credentials (user:password@); the signature authenticates us");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("url may not have a #fragment");
        }
        if (environment == Environment.LIVE) {
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            if (host.equals("localhost") || host.endsWith(".localhost") || host.equals("metadata.google.internal")) {
                return Optional.of("a live Space's webhooks may not go to " + host + " (only test Spaces may)");
            }
            Optional<InetAddress> literal = literal(host);
            if (literal.isPresent() && refused(literal.get())) {
                return Optional.of("a live Space's webhooks may not go to a loopback, private, link-local or"
                        + " metadata address (" + host + "); only test Spaces may");
            }
        }
        return Optional.empty();
    }

    /**
     * True for addresses a live Space's webhook must never reach: loopback, unspecified,
     * private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 with the metadata
     * service, fe80::/10), carrier-grade NAT (100.64/10, where some clouds put theirs),
     * benchmarking, reserved and multicast ranges, and IPv6 forms that embed such an IPv4 address.
     */
    public static boolean refused(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            return a0 == 0 // this network
                    || (a0 == 100 && (a1 & 0xc0) == 64) // 100.64/10 carrier-grade NAT
                    || (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) // 192.0.0/24 protocol assignments
                    || (a0 == 198 && (a1 == 18 || a1 == 19)) // 198.18/15 benchmarking
                    || a0 >= 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // fc00::/7 unique local
                return true;
            }
            if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) { // ::ffff:a.b.c.d
                return refused(v4(b, 12));
            }
            if (isZero(b, 0, 12)) { // ::a.b.c.d (deprecated IPv4-compatible)
                return refused(v4(b, 12));
            }
            if (first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                    && isZero(b, 4, 12)) { // 64:ff9b::/96 NAT64
                return refused(v4(b, 12));
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x02) { // 2002::/16 6to4
                return refused(v4(b, 2));
            }
        }
        return false;
    }

    /** The address a host name spells literally (a dotted quad or an IPv6 literal), without asking DNS. */
    static Optional<InetAddress> literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            if (h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
                byte[] b = new byte[4];
                String[] parts = h.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int v = Integer.parseInt(parts[i]);
                    if (v > 255) {
                        return Optional.empty();
                    }
                    b[i] = (byte) v;
                }
                return Optional.of(InetAddress.getByAddress(b));
            }
            if (h.contains(":") && h.matches("[0-9a-fA-F:.]+")) {
                // a string with ':' is parsed as an IPv6 literal, never looked up
                return Optional.of(InetAddress.getByName(h));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress v4(byte[] b, int at) {
        try {
            return InetAddress.getByAddress(new byte[] {b[at], b[at + 1], b[at + 2], b[at + 3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
