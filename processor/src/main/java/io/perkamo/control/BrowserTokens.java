package io.perkamo.control;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import io.perkamo.control.ApiKeyRecord.Kind;
import io.perkamo.control.keys.BrowserPolicy;
import io.perkamo.control.keys.ClientTokens;
import io.perkamo.control.keys.ClientTokens.Candidate;
import io.perkamo.control.keys.KeyCrypto;

/**
 * Browser tokens of one deployment: minted for a browser key by a server key of its Space,
 * and verified whoever signed them. A token's {@code kid} says which secret signed it:
 * <ul>
 *   <li>{@code key_...}, a browser key's id: the server minted it with that key's token secret;</li>
 *   <li>{@code kid_...}, a signing key's id: an app signed it with that signing key's secret;</li>
 *   <li>{@code pk_...}, the browser key itself (how earlier official bundles signed tokens): an
 *       app signed it with one of that browser key's live signing keys.</li>
 * </ul>
 * Every key on the way must be live (not revoked, not past a rotation's expiry). A token gets
 * the browser key's policy (origins, events, maximum lifetime), and at most the scopes of the
 * browser key, the signing key and the server key that minted it.
 */
public final class BrowserTokens {
    /** What a stream token may do: only stream (it travels in URLs, so it can do nothing else). */
    static final List<String> STREAM_SCOPES = List.of(ApiKeys.STREAM_READ);
    static final List<String> DEFAULT_SCOPES = List.of(ApiKeys.PROFILE_READ, ApiKeys.EVENTS_WRITE);
    private static final String CUSTOMER_READ = "customer:read";

    private final ControlPlane cp;
    private final String issuer;
    private final String audience;
    private final Clock clock;
    private volatile Set<BrowserPolicy> livePolicies = Set.of();

    /**
     * @param issuer   the {@code iss} of minted tokens (the public base URL)
     * @param audience the one accepted and minted {@code aud}: {@code <public base url>/v1/client}
     */
    public BrowserTokens(ControlPlane cp, String issuer, String audience, Clock clock) {
        this.cp = Objects.requireNonNull(cp, "cp");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.clock = Objects.requireNonNull(clock, "clock");
        cp.onChange(this::indexPolicies);
        indexPolicies();
    }

    public String audience() {
        return audience;
    }

    // ---- minting

    public sealed interface MintResult permits Minted, MintRefused {
    }

    /** @param ttlSeconds the token's lifetime ({@code exp - iat}) */
    public record Minted(String token, Instant expiresAt, int ttlSeconds, List<String> scopes) implements MintResult {
        @Override
        public String toString() {
            return "Minted[expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
        }
    }

    public record MintRefused(MintRefusal reason, String message) implements MintResult {
    }

    public enum MintRefusal { UNKNOWN_BROWSER_KEY, OTHER_SPACE, NO_SCOPE }

    /**
     * A token for {@code userId} from the browser key presented (pk_...), asked by a server key.
     *
     * @param ttlSeconds 1..1800 when given; capped at the browser key's maximum, which is also the default
     * @param stream     a stream token ({@code purpose: "stream"}): scope {@code stream:read} only
     */
    public MintResult mint(ResolvedKey server, String presentedBrowserKey, String userId, OptionalInt ttlSeconds,
                           boolean stream) {
        Optional<ResolvedKey> browser = cp.resolve(presentedBrowserKey).filter(r -> r.key().kind() == Kind.BROWSER);
        if (browser.isEmpty()) {
            return new MintRefused(MintRefusal.UNKNOWN_BROWSER_KEY, "browser_key is not a live browser key (pk_...)");
        }
        ApiKeyRecord key = browser.get().key();
        if (!key.space().equals(server.space().slug())) {
            return new MintRefused(MintRefusal.OTHER_SPACE, "browser_key belongs to another Space than this API key");
        }
        List<String> scopes = new ArrayList<>();
        Set<String> byServer = serverGrants(server.key().scopes());
        Set<String> byBrowser = tokenScopesOf(key.scopes());
        for (String s : stream ? STREAM_SCOPES : DEFAULT_SCOPES) {
            if (byServer.contains(s) && byBrowser.contains(s)) {
                scopes.add(s);
            }
        }
        if (scopes.isEmpty()) {
            return new MintRefused(MintRefusal.NO_SCOPE, "neither this API key nor the browser key grants "
                    + String.join(" or ", stream ? STREAM_SCOPES : DEFAULT_SCOPES));
        }
        BrowserPolicy policy = key.effectivePolicy(browser.get().space().environment());
        int ttl = Math.min(ttlSeconds.orElse(policy.maxTtlSeconds()), policy.maxTtlSeconds());
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plusSeconds(ttl);
        String token = ClientTokens.sign(key.id(), cp.tokenSecret(key).getBytes(StandardCharsets.UTF_8),
                new ClientTokens.Claims(issuer, audience, userId, scopes, now, now, expiresAt,
                        "pbt_" + KeyCrypto.randomBase62(24)));
        return new Minted(token, expiresAt, ttl, List.copyOf(scopes));
    }

    // ---- verifying

    /** Who a verified token acts for, and what it may do. */
    public record ClientIdentity(Space space, ApiKeyRecord browserKey, Optional<ApiKeyRecord> signingKey,
                                 BrowserPolicy policy, Set<String> scopes, String userId, Instant expiresAt,
                                 String tokenId, Optional<List<String>> events) {
        public ClientIdentity {
            scopes = Set.copyOf(scopes);
        }

        /** The browser key's policy and, when the token carries one, its own events list. */
        public boolean allowsEvent(String event) {
            return policy.allowsEvent(event) && events.map(e -> e.contains(event)).orElse(true);
        }

        @Override
        public String toString() {
            return "ClientIdentity[space=" + space.slug() + ", browserKey=" + browserKey.id() + ", scopes=" + scopes + "]";
        }
    }

    public sealed interface Verification permits Verified, Refused {
    }

    public record Verified(ClientIdentity identity) implements Verification {
    }

    public record Refused(ClientTokens.Refusal reason, String detail) implements Verification {
    }

    private record Signer(Space space, ApiKeyRecord browserKey, Optional<ApiKeyRecord> signingKey) {
    }

    /** Verifies a token strictly (see {@link ClientTokens#verify}); a verified one counts as a use of its keys. */
    public Verification verify(String token) {
        Instant now = clock.instant();
        ClientTokens.Verification<Signer> v = ClientTokens.verify(token, audience, now, kid -> candidates(kid, now));
        if (v instanceof ClientTokens.Refused<Signer> refused) {
            return new Refused(refused.reason(), refused.detail());
        }
        ClientTokens.Verified<Signer> ok = (ClientTokens.Verified<Signer>) v;
        Signer signer = ok.context();
        Set<String> scopes = new LinkedHashSet<>();
        for (String s : ok.scopes()) {
            scopes.add(CUSTOMER_READ.equals(s) ? ApiKeys.PROFILE_READ : s);
        }
        scopes.retainAll(tokenScopesOf(signer.browserKey().scopes()));
        signer.signingKey().ifPresent(k -> scopes.retainAll(tokenScopesOf(k.scopes())));
        cp.touch(signer.browserKey().id(), now);
        signer.signingKey().ifPresent(k -> cp.touch(k.id(), now));
        return new Verified(new ClientIdentity(signer.space(), signer.browserKey(), signer.signingKey(),
                signer.browserKey().effectivePolicy(signer.space().environment()), scopes, ok.subject(),
                ok.expiresAt(), ok.tokenId(), ok.events()));
    }

    private List<Candidate<Signer>> candidates(String kid, Instant now) {
        if (kid.startsWith(io.perkamo.control.keys.SecretKind.SIGNING_KEY.idPrefix())) {
            Optional<ApiKeyRecord> signing = cp.key(kid).filter(k -> k.kind() == Kind.SIGNING && k.live(now));
            if (signing.isEmpty()) {
                return List.of();
            }
            Optional<ApiKeyRecord> browser = signing.get().browserKeyId().flatMap(cp::key)
                    .filter(k -> k.kind() == Kind.BROWSER && k.live(now));
            return browser.map(b -> signedBy(b, signing.get())).orElse(List.of());
        }
        if (kid.startsWith(io.perkamo.control.keys.SecretKind.API_KEY.idPrefix())) {
            Optional<ApiKeyRecord> browser = cp.key(kid).filter(k -> k.kind() == Kind.BROWSER && k.live(now));
            Optional<Space> space = browser.flatMap(b -> cp.space(b.space()));
            if (space.isEmpty()) {
                return List.of();
            }
            return List.of(new Candidate<>(cp.tokenSecret(browser.get()).getBytes(StandardCharsets.UTF_8),
                    new Signer(space.get(), browser.get(), Optional.empty()),
                    browser.get().effectivePolicy(space.get().environment()).maxTtlSeconds()));
        }
        if (kid.startsWith("pk_")) {
            // the legacy form: kid is the browser key itself, signed with one of its signing keys
            Optional<ApiKeyRecord> browser = cp.resolve(kid).map(ResolvedKey::key).filter(k -> k.kind() == Kind.BROWSER);
            if (browser.isEmpty()) {
                return List.of();
            }
            List<Candidate<Signer>> out = new ArrayList<>();
            for (ApiKeyRecord signing : cp.signingKeysOf(browser.get())) {
                if (signing.live(now)) {
                    out.addAll(signedBy(browser.get(), signing));
                }
            }
            return out;
        }
        return List.of();
    }

    private List<Candidate<Signer>> signedBy(ApiKeyRecord browser, ApiKeyRecord signing) {
        Optional<Space> space = cp.space(browser.space());
        Optional<String> secret = cp.signingSecret(signing);
        if (space.isEmpty() || secret.isEmpty()) {
            return List.of();
        }
        return List.of(new Candidate<>(secret.get().getBytes(StandardCharsets.UTF_8),
                new Signer(space.get(), browser, Optional.of(signing)),
                browser.effectivePolicy(space.get().environment()).maxTtlSeconds()));
    }

    // ---- origins

    /**
     * Whether any live browser key of any Space allows the origin: what a CORS preflight, which
     * carries no token, is answered by. The request itself is then held to its own key's policy.
     */
    public boolean anyKeyAllowsOrigin(String origin) {
        for (BrowserPolicy p : livePolicies) {
            if (p.allowsOrigin(origin)) {
                return true;
            }
        }
        return false;
    }

    private void indexPolicies() {
        Instant now = clock.instant();
        Set<BrowserPolicy> policies = new LinkedHashSet<>();
        for (Space s : cp.spaces()) {
            for (ApiKeyRecord k : cp.keys(s.slug())) {
                if (k.kind() == Kind.BROWSER && k.live(now)) {
                    policies.add(k.effectivePolicy(s.environment()));
                }
            }
        }
        livePolicies = Set.copyOf(policies);
    }

    // ---- scopes

    /** What a key's scopes let its tokens do: profile:read also covers stream:read (keys made before it existed). */
    static Set<String> tokenScopesOf(Set<String> keyScopes) {
        Set<String> out = new LinkedHashSet<>(keyScopes);
        if (keyScopes.contains(ApiKeys.PROFILE_READ) || keyScopes.contains(CUSTOMER_READ)) {
            out.add(ApiKeys.PROFILE_READ);
            out.add(ApiKeys.STREAM_READ);
        }
        return out;
    }

    /** What a server key may hand to a token: reading (profile, stream) with profile:read, events with events:write. */
    static Set<String> serverGrants(Set<String> serverScopes) {
        Set<String> out = new LinkedHashSet<>();
        if (serverScopes.contains(ApiKeys.PROFILE_READ) || serverScopes.contains(CUSTOMER_READ)) {
            out.add(ApiKeys.PROFILE_READ);
            out.add(ApiKeys.STREAM_READ);
        }
        if (serverScopes.contains(ApiKeys.EVENTS_WRITE)) {
            out.add(ApiKeys.EVENTS_WRITE);
        }
        return out;
    }
}
