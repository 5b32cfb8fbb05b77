package io.perkamo.control.keys;

import java.util.List;

/**
 * What a public browser key (pk_...) may do, kept on the server: the origins allowed to use
 * it, the events it may send ({@code *} = any) and the lifetime of its browser tokens.
 */
public record BrowserPolicy(List<String> allowedOrigins, List<String> allowedEvents, int tokenTtlSeconds) {
    public static final int MAX_TOKEN_TTL_SECONDS = 1800;
    public static final BrowserPolicy DEFAULTS = new BrowserPolicy(List.of(), List.of("*"), 900);

    public BrowserPolicy {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedEvents = List.copyOf(allowedEvents);
        if (tokenTtlSeconds < 1 || tokenTtlSeconds > MAX_TOKEN_TTL_SECONDS) {
            throw new IllegalArgumentException("tokenTtlSeconds must be 1.." + MAX_TOKEN_TTL_SECONDS
                    + ", got " + tokenTtlSeconds);
        }
    }

    public boolean allowsEvent(String event) {
        return allowedEvents.contains("*") || allowedEvents.contains(event);
    }
}
