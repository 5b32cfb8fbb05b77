package io.perkamo.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Browser tokens, as the API needs them: minting one for a server key, verifying one a client
 * presents (one verifier for every client route, the stream included), and the origins a CORS
 * preflight may be answered for. Implementations verify strictly (HS256 only, typ, kid,
 * signature, times with 30 s leeway, audience, lifetime) and never log a token or a secret.
 */
public interface ClientAccess {

    /**
     * @param server     the server key asking; the token gets at most what it may do
     * @param browserKey the browser key (pk_...) the token is for; it must be of the server key's Space
     * @param ttlSeconds 1..1800 when given (capped at the browser key's maximum, also the default)
     * @param stream     {@code purpose: "stream"}: a token that may only open the stream
     */
    MintResult mint(ApiCaller server, String browserKey, String userId, OptionalInt ttlSeconds, boolean stream);

    Verification verify(String token);

    /** Whether some live browser key allows this origin (a preflight carries no token). */
    boolean anyKeyAllowsOrigin(String origin);

    sealed interface MintResult permits Minted, MintRefused {
    }

    /** @param expiresIn seconds from now to {@code expiresAt} */
    record Minted(String token, Instant expiresAt, int expiresIn, List<String> scopes) implements MintResult {
        public Minted {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(expiresAt, "expiresAt");
            scopes = List.copyOf(scopes);
        }

        @Override
        public String toString() {
            return "Minted[expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
        }
    }

    record MintRefused(MintRefusal reason, String message) implements MintResult {
    }

    enum MintRefusal {
        /** Not a live browser key. */
        UNKNOWN_BROWSER_KEY,
        /** A browser key of another Space than the server key's. */
        OTHER_SPACE,
        /** Neither key grants what the token would need. */
        NO_SCOPE
    }

    sealed interface Verification permits Verified, Refused {
    }

    record Verified(ClientCaller caller) implements Verification {
    }

    /** @param message one sentence; never the token */
    record Refused(TokenRefusal reason, String message) implements Verification {
    }

    enum TokenRefusal {
        MALFORMED, ALGORITHM_NOT_ALLOWED, WRONG_TYPE, UNKNOWN_KID, BAD_SIGNATURE, MISSING_CLAIM, WRONG_AUDIENCE,
        EXPIRED, NOT_YET_VALID, LIFETIME_TOO_LONG
    }

    /** No browser tokens on this server: minting answers 501, every token is refused. */
    ClientAccess NONE = new ClientAccess() {
        @Override
        public MintResult mint(ApiCaller server, String browserKey, String userId, OptionalInt ttlSeconds,
                               boolean stream) {
            throw new ApiError(501, "not_implemented", "browser tokens are not enabled on this server");
        }

        @Override
        public Verification verify(String token) {
            return new Refused(TokenRefusal.UNKNOWN_KID, "browser tokens are not enabled on this server");
        }

        @Override
        public boolean anyKeyAllowsOrigin(String origin) {
            return false;
        }
    };
}
