package io.perkamo.control.keys;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a public browser key (pk_...) may do, kept on the server: the origins allowed to use it
 * (exact {@code https://shop.example}, or any port with {@code http://localhost:*}), the events
 * its tokens may send ({@code *} = any) and the longest lifetime of its tokens.
 */
public record BrowserPolicy(List<String> allowedOrigins, List<String> allowedEvents, int maxTtlSeconds) {
    public static final int MAX_TOKEN_TTL_SECONDS = 1800;
    public static final int DEFAULT_MAX_TTL_SECONDS = 900;
    public static final String ANY_EVENT = "*";
    /** A test Space's browser keys until a policy is set: local pages on any port, every event. */
    public static final BrowserPolicy TEST_DEFAULT = new BrowserPolicy(
            List.of("http://localhost:*", "http://127.0.0.1:*"), List.of(ANY_EVENT), DEFAULT_MAX_TTL_SECONDS);
    /** A live Space's browser keys until a policy is set: no origin (apps without one, e.g. mobile, still work). */
    public static final BrowserPolicy LIVE_DEFAULT = new BrowserPolicy(List.of(), List.of(ANY_EVENT),
            DEFAULT_MAX_TTL_SECONDS);

    public BrowserPolicy {
        allowedOrigins = allowedOrigins.stream().map(String::trim).toList();
        allowedEvents = allowedEvents.stream().map(String::trim).toList();
        for (String o : allowedOrigins) {
            if (Origin.parse(o, true).isEmpty()) {
                throw new IllegalArgumentException("Invalid origin '" + o + "': use scheme://host or scheme://host:port"
                        + " (http or https, no path), or scheme://host:* for any port");
            }
        }
        for (String e : allowedEvents) {
            if (e.isEmpty() || e.length() > 128 || e.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("Invalid event '" + e + "': use an event key or *");
            }
        }
        if (maxTtlSeconds < 1 || maxTtlSeconds > MAX_TOKEN_TTL_SECONDS) {
            throw new IllegalArgumentException("the maximum token TTL must be 1.." + MAX_TOKEN_TTL_SECONDS
                    + " seconds, got " + maxTtlSeconds);
        }
    }

    public boolean allowsEvent(String event) {
        return allowedEvents.contains(ANY_EVENT) || allowedEvents.contains(event);
    }

    /** Whether an {@code Origin} header value is allowed; a malformed one never is. */
    public boolean allowsOrigin(String origin) {
        Optional<Origin> presented = Origin.parse(origin, false);
        if (presented.isEmpty()) {
            return false;
        }
        for (String pattern : allowedOrigins) {
            if (Origin.parse(pattern, true).filter(p -> p.matches(presented.get())).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** scheme://host[:port]; port -1 in a pattern is {@code :*} (any port). */
    private record Origin(String scheme, String host, int port) {
        static Optional<Origin> parse(String text, boolean pattern) {
            if (text == null) {
                return Optional.empty();
            }
            String t = text.trim().toLowerCase(Locale.ROOT);
            int sep = t.indexOf("://");
            if (sep < 0) {
                return Optional.empty();
            }
            String scheme = t.substring(0, sep);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return Optional.empty();
            }
            String rest = t.substring(sep + 3);
            if (rest.isEmpty() || rest.contains("/") || rest.contains("?") || rest.contains("#") || rest.contains("@")) {
                return Optional.empty();
            }
            String host = rest;
            int port = scheme.equals("https") ? 443 : 80;
            int colon = rest.lastIndexOf(':');
            if (colon >= 0 && !rest.endsWith("]")) {
                host = rest.substring(0, colon);
                String p = rest.substring(colon + 1);
                if (pattern && p.equals("*")) {
                    port = -1;
                } else if (p.matches("[0-9]{1,5}") && Integer.parseInt(p) <= 65535) {
                    port = Integer.parseInt(p);
                } else {
                    return Optional.empty();
                }
            }
            if (host.isEmpty() || !host.matches("[a-z0-9.\\-\\[\\]:]+")) {
                return Optional.empty();
            }
            return Optional.of(new Origin(scheme, host, port));
        }

        boolean matches(Origin presented) {
            return scheme.equals(presented.scheme) && host.equals(presented.host)
                    && (port == -1 || port == presented.port);
        }
    }
}
