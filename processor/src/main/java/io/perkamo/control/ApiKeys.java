package io.perkamo.control;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.control.ApiKeyRecord.Kind;
import io.perkamo.control.keys.BrowserPolicy;
import io.perkamo.control.keys.KeyCrypto;
import io.perkamo.control.keys.SealedValue;
import io.perkamo.control.keys.SecretKind;
import io.perkamo.topics.Topics;

/**
 * Creates, imports and revokes API keys. A key is handed out in plain text once, at
 * creation; the keys topic only holds its lookup hash and its AES-GCM ciphertext (see
 * {@link KeyCrypto}). Writes go through the control log and are visible when a call returns.
 */
public final class ApiKeys {
    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

    public static final String EVENTS_WRITE = "events:write";
    public static final String PROFILE_READ = "profile:read";
    public static final String REWARDS_REDEEM = "rewards:redeem";
    public static final String ADMIN_CONFIG = "admin:config";
    /** The scopes of a server key; a new server key gets all of them unless told otherwise. */
    public static final Set<String> SERVER_SCOPES = Set.of(EVENTS_WRITE, PROFILE_READ, REWARDS_REDEEM, ADMIN_CONFIG);
    /** Client tokens may read their own user's profile, stream its changes, and send events for it. */
    public static final String STREAM_READ = "stream:read";
    /** What a browser or signing key may grant its tokens; a new one gets all of them unless told otherwise. */
    public static final Set<String> BROWSER_SCOPES = Set.of(EVENTS_WRITE, PROFILE_READ, STREAM_READ);
    /** Characters of random base62 in a token or signing secret: ~256 bits. */
    static final int TOKEN_SECRET_LENGTH = 43;

    static final int SECRET_LENGTH = 32;
    static final int ID_LENGTH = 16;
    static final int DISPLAY_PREFIX_LENGTH = 12;
    private static final Pattern EVENT_KEY = Pattern.compile("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$");
    private static final Pattern IMPORTED_SECRET = Pattern.compile("[A-Za-z0-9_-]{8,200}");

    private final ControlPlane cp;

    /** Listing and revoking work on any view; creating, importing and revealing need the master key. */
    public ApiKeys(ControlPlane cp) {
        this.cp = cp;
    }

    /** A new random server or browser key: prefix by kind and environment, then 32 base62 characters. */
    public CreatedKey create(String slug, Kind kind, Set<String> scopes) {
        if (kind == Kind.SIGNING) {
            throw new IllegalArgumentException("A signing key belongs to a browser key: name it (--browser-key)");
        }
        Space space = requireSpace(slug);
        Set<String> granted = grantedScopes(kind, scopes);
        String plaintext = kind.prefix(space.environment()) + KeyCrypto.randomBase62(SECRET_LENGTH);
        String id = SecretKind.API_KEY.idPrefix() + KeyCrypto.randomBase62(ID_LENGTH);
        cp.requireCrypto();
        return store(space, kind, id, plaintext, granted, Optional.empty());
    }

    /**
     * A new signing key of a browser key: its id ({@code kid_...}) is the kid of the tokens an app
     * signs with its secret ({@code sig_<env>_...}, shown once); those tokens get the browser key's
     * policy and at most the signing key's scopes.
     */
    public CreatedKey createSigningKey(String browserKeyId, Set<String> scopes) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        ApiKeyRecord browser = requireKey(browserKeyId);
        if (browser.kind() != Kind.BROWSER) {
            throw new IllegalArgumentException("Key " + browserKeyId + " is not a browser key: signing keys belong to"
                    + " a browser key");
        }
        if (!browser.live(Instant.now())) {
            throw new ControlPlaneException("Browser key " + browserKeyId + " is revoked or expired");
        }
        Space space = requireSpace(browser.space());
        Set<String> granted = grantedScopes(Kind.SIGNING, scopes);
        String plaintext = Kind.SIGNING.prefix(space.environment()) + KeyCrypto.randomBase62(TOKEN_SECRET_LENGTH);
        String id = SecretKind.SIGNING_KEY.idPrefix() + KeyCrypto.randomBase62(ID_LENGTH);
        return store(space, Kind.SIGNING, id, plaintext, granted, Optional.of(browser.id()));
    }

    /**
     * Rotates a key: a new one of the same kind, scopes, policy (browser) and browser key
     * (signing), shown once; the old one keeps working until {@code oldValidUntil} (now or earlier:
     * at once), so deployments can switch without downtime.
     */
    public Rotated rotate(String keyId, Instant oldValidUntil) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        ApiKeyRecord old = requireKey(keyId);
        Instant now = now();
        if (!old.live(now)) {
            throw new ControlPlaneException("Key " + keyId + " is " + old.status(now) + ": create a new one instead");
        }
        CreatedKey next = old.kind() == Kind.SIGNING
                ? createSigningKey(old.browserKeyId().orElseThrow(), old.scopes())
                : create(old.space(), old.kind(), old.scopes());
        if (old.browserPolicy().isPresent()) {
            next = new CreatedKey(next.id(), next.plaintext(), setBrowserPolicy(next.id(), old.browserPolicy()));
        }
        Instant until = oldValidUntil.isBefore(now) ? now : oldValidUntil.truncatedTo(ChronoUnit.MILLIS);
        Instant expiry = old.expiresAt().filter(e -> e.isBefore(until)).orElse(until);
        ApiKeyRecord expiring = old.withExpiresAt(expiry);
        cp.log().write(Topics.CONTROL_KEYS, old.id(), ControlJson.key(expiring));
        log.info("Rotated {} key {} of Space {} to {}; the old one works until {}", old.kind().id(), old.id(),
                old.space(), next.id(), expiry);
        return new Rotated(next, expiring);
    }

    /** A rotation: the new key (its plaintext shown once) and the old key's record with its expiry. */
    public record Rotated(CreatedKey created, ApiKeyRecord old) {
    }

    /**
     * Stores a key chosen outside (a fixed development key). Idempotent: when a key with the
     * same lookup hash exists in this Space, it is returned as is.
     */
    public CreatedKey importKey(String slug, Kind kind, String plaintext, Set<String> scopes) {
        KeyCrypto crypto = cp.requireCrypto();
        Space space = requireSpace(slug);
        String prefix = kind.prefix(space.environment());
        if (plaintext == null || !plaintext.startsWith(prefix)
                || !IMPORTED_SECRET.matcher(plaintext.substring(prefix.length())).matches()) {
            throw new IllegalArgumentException("A " + kind.id() + " key of Space '" + slug + "' must be " + prefix
                    + " followed by 8 to 200 characters A-Z, a-z, 0-9, '_' or '-'");
        }
        if (kind == Kind.SIGNING) {
            throw new IllegalArgumentException("Signing keys cannot be imported");
        }
        Set<String> granted = grantedScopes(kind, scopes);
        Optional<ApiKeyRecord> existing = cp.keyByLookupHash(crypto.lookupHash(plaintext));
        if (existing.isPresent()) {
            ApiKeyRecord k = existing.get();
            if (!k.space().equals(slug) || k.kind() != kind) {
                throw new ControlPlaneException("This key is already registered for another Space or kind");
            }
            if (k.revoked()) {
                throw new ControlPlaneException("Key " + k.id() + " was revoked at " + k.revokedAt().get()
                        + ": choose another key");
            }
            return new CreatedKey(k.id(), plaintext, k);
        }
        return store(space, kind, crypto.derivedId(plaintext), plaintext, granted, Optional.empty());
    }

    /** Revokes a key; revoking a revoked key changes nothing. */
    public void revoke(String keyId) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        ApiKeyRecord k = requireKey(keyId);
        if (k.revoked()) {
            return;
        }
        cp.log().write(Topics.CONTROL_KEYS, k.id(), ControlJson.key(k.withRevokedAt(now())));
        log.info("Revoked key {} of Space {}", k.id(), k.space());
    }

    /**
     * Replaces the policy of a browser key; empty goes back to its environment's default (test
     * Spaces: local pages; live Spaces: no origin). Event entries are event keys or {@code *}.
     */
    public ApiKeyRecord setBrowserPolicy(String keyId, Optional<BrowserPolicy> policy) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        ApiKeyRecord k = requireKey(keyId);
        if (k.kind() != Kind.BROWSER) {
            throw new IllegalArgumentException("Key " + keyId + " is not a browser key");
        }
        policy.ifPresent(p -> p.allowedEvents().forEach(e -> {
            if (!e.equals(BrowserPolicy.ANY_EVENT) && !EVENT_KEY.matcher(e).matches()) {
                throw new IllegalArgumentException("Invalid event '" + e + "': use lowercase namespaced event keys"
                        + " (purchase.completed) or *");
            }
        }));
        ApiKeyRecord updated = k.withBrowserPolicy(policy);
        cp.log().write(Topics.CONTROL_KEYS, k.id(), ControlJson.key(updated));
        return updated;
    }

    /** {@link #setBrowserPolicy(String, Optional)} with a policy. */
    public ApiKeyRecord setBrowserPolicy(String keyId, BrowserPolicy policy) {
        return setBrowserPolicy(keyId, Optional.of(policy));
    }

    /** The key in plain text, or empty when it cannot be decrypted with this master key. */
    public Optional<String> reveal(ApiKeyRecord record) {
        return cp.requireCrypto().decrypt(record.ciphertext(), record.id());
    }

    // ----

    static Set<String> grantedScopes(Kind kind, Set<String> requested) {
        Set<String> allowed = kind == Kind.SERVER ? SERVER_SCOPES : BROWSER_SCOPES;
        if (requested.isEmpty()) {
            return new TreeSet<>(allowed);
        }
        Set<String> out = new TreeSet<>();
        for (String s : requested) {
            String scope = "customer:read".equals(s.trim()) ? PROFILE_READ : s.trim();
            if (!allowed.contains(scope)) {
                throw new IllegalArgumentException("Unknown scope '" + s + "' for a " + kind.id() + " key: use "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
            out.add(scope);
        }
        return out;
    }

    /** The first characters of a key and an ellipsis: what lists and logs may show of it. */
    public static String displayPrefix(String plaintext) {
        return plaintext.substring(0, Math.min(DISPLAY_PREFIX_LENGTH, plaintext.length())) + "…";
    }

    private CreatedKey store(Space space, Kind kind, String id, String plaintext, Set<String> scopes,
                             Optional<String> browserKeyId) {
        ControlPlane.Cryptos crypto = cp.requireCryptos();
        KeyCrypto own = kind == Kind.SIGNING ? crypto.signingKeys() : crypto.apiKeys();
        Optional<SealedValue> tokenSecret = kind == Kind.BROWSER
                ? Optional.of(new SealedValue(id, crypto.tokenSecrets()
                        .encrypt(KeyCrypto.randomBase62(TOKEN_SECRET_LENGTH), id)))
                : Optional.empty();
        ApiKeyRecord record = new ApiKeyRecord(id, space.slug(), kind, displayPrefix(plaintext),
                own.lookupHash(plaintext), own.encrypt(plaintext, id), new LinkedHashSet<>(scopes), now(),
                Optional.empty(), Optional.empty(), Optional.empty(), browserKeyId, tokenSecret);
        cp.log().write(Topics.CONTROL_KEYS, id, ControlJson.key(record));
        log.info("Created {} key {} for Space {}", kind.id(), id, space.slug());
        return new CreatedKey(id, plaintext, record);
    }

    private ApiKeyRecord requireKey(String keyId) {
        return cp.key(keyId).orElseThrow(() -> new UnknownKeyException(keyId));
    }

    private Space requireSpace(String slug) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        return cp.space(slug).orElseThrow(() -> new UnknownSpaceException(slug));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
