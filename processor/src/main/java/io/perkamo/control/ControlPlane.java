package io.perkamo.control;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.perkamo.control.keys.DecryptedSecrets;
import io.perkamo.control.keys.KeyCrypto;
import io.perkamo.control.keys.KeyResolver;
import io.perkamo.control.keys.MasterKey;
import io.perkamo.control.keys.SealedValue;
import io.perkamo.control.keys.SecretKind;
import io.perkamo.topics.KafkaClients;
import io.perkamo.topics.TopicAdmin;

/**
 * Every instance's live, in-memory view of the control topics (Spaces, API keys, program
 * versions), and what the admin writers ({@link SpaceAdmin}, {@link ApiKeys},
 * {@link ProgramStore}) write through. The parts: the read model ({@link ControlView} with one
 * {@link TopicView} per topic), the log writer ({@link ControlLog}: a write is visible here
 * when it returns) and, with the master key, key resolution ({@link KeyResolver}).
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
    /** How long an operation waits for the view to catch up with the control topics. */
    public static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrap;
    private final Admin admin;
    private final Optional<Cryptos> crypto;
    private final SpacesView spaces = new SpacesView();
    private final KeysView keys = new KeysView();
    private final ProgramsView programs = new ProgramsView();
    private final KeyUsageView usageView = new KeyUsageView();
    private final WebhooksView webhooks = new WebhooksView();
    private final ControlView view;
    private final ControlLog controlLog;
    private final KeyUsage usage;
    private final Optional<KeyResolver<ApiKeyRecord>> resolver;
    private final Optional<DecryptedSecrets<SealedValue>> tokenSecrets;
    private final Optional<DecryptedSecrets<ApiKeyRecord>> signingSecrets;
    private final Optional<KeyCrypto> webhookCrypto;
    private final Optional<DecryptedSecrets<WebhookEndpoint>> webhookSecrets;

    /** The cryptography of each kind of secret on the control topics, all from one master key. */
    record Cryptos(KeyCrypto apiKeys, KeyCrypto tokenSecrets, KeyCrypto signingKeys, KeyCrypto webhookSecrets) {
        static Cryptos of(MasterKey key) {
            return new Cryptos(new KeyCrypto(key, SecretKind.API_KEY), new KeyCrypto(key, SecretKind.BROWSER_TOKEN),
                    new KeyCrypto(key, SecretKind.SIGNING_KEY), new KeyCrypto(key, SecretKind.WEBHOOK_SECRET));
        }
    }

    private ControlPlane(String bootstrap, Optional<Cryptos> crypto, Admin admin, Duration usageFlush) {
        this.bootstrap = bootstrap;
        this.crypto = crypto;
        this.admin = admin;
        this.view = new ControlView(bootstrap, admin, List.of(spaces, keys, programs, usageView, webhooks));
        this.controlLog = new ControlLog(bootstrap, view, CATCH_UP_TIMEOUT);
        this.usage = new KeyUsage(controlLog, usageView, usageFlush);
        this.resolver = crypto.map(c -> new KeyResolver<>(c.apiKeys(), keys::byLookupHash));
        this.tokenSecrets = crypto.map(c -> new DecryptedSecrets<>(c.tokenSecrets()));
        this.signingSecrets = crypto.map(c -> new DecryptedSecrets<>(c.signingKeys()));
        resolver.ifPresent(r -> keys.onRecord(r::forget));
        tokenSecrets.ifPresent(d -> keys.onRecord(d::forget));
        signingSecrets.ifPresent(d -> keys.onRecord(d::forget));
        this.webhookCrypto = crypto.map(Cryptos::webhookSecrets);
        this.webhookSecrets = webhookCrypto.map(DecryptedSecrets::new);
        webhookSecrets.ifPresent(d -> webhooks.onRecord(d::forget));
    }

    /**
     * Connects (failing within ~10 s with the address when no broker answers), ensures the
     * control topics, and returns once the view has read everything already written.
     */
    public static ControlPlane start(String bootstrapServers, MasterKey key) {
        return start(bootstrapServers, Optional.of(Cryptos.of(Objects.requireNonNull(key, "key"))),
                KeyUsage.FLUSH_EVERY);
    }

    /**
     * A view without the master key, for tools that only handle Spaces and programs:
     * {@link #resolve} and key management refuse to work on it.
     */
    public static ControlPlane startWithoutMasterKey(String bootstrapServers) {
        return start(bootstrapServers, Optional.empty(), KeyUsage.FLUSH_EVERY);
    }

    static ControlPlane start(String bootstrap, Optional<Cryptos> crypto, Duration usageFlush) {
        Admin admin = KafkaClients.admin(bootstrap, "perkamo-control-admin");
        ControlPlane cp = null;
        try {
            KafkaClients.checkReachable(admin, bootstrap, KafkaClients.CONNECT_TIMEOUT);
            TopicAdmin.ensureControlTopics(admin);
            cp = new ControlPlane(bootstrap, crypto, admin, usageFlush);
            cp.view.start();
            cp.awaitCaughtUp(CATCH_UP_TIMEOUT);
            log.info("Control plane view ready: {} Spaces, {} keys", cp.spaces.size(), cp.keys.size());
            return cp;
        } catch (RuntimeException e) {
            if (cp != null) {
                cp.close();
            } else {
                admin.close(Duration.ofSeconds(1));
            }
            throw e;
        }
    }

    // ---- reads

    /** Reads up to the end offsets the control topics have at the time of the call. */
    public void awaitCaughtUp(Duration timeout) {
        view.awaitCaughtUp(timeout);
    }

    public List<Space> spaces() {
        return spaces.all();
    }

    public Optional<Space> space(String slug) {
        return spaces.get(slug);
    }

    public Optional<ApiKeyRecord> key(String keyId) {
        return keys.get(keyId);
    }

    public Optional<ApiKeyRecord> keyByLookupHash(String hash) {
        return keys.byLookupHash(hash);
    }

    /** The Space's keys, revoked ones included, oldest first. */
    public List<ApiKeyRecord> keys(String slug) {
        return keys.ofSpace(slug);
    }

    /**
     * The live server or browser key a request presents, with its Space: looked up by hash, then
     * compared in constant time with the decrypted stored key (see {@link KeyResolver}). Empty
     * for unknown, revoked, expired or orphaned keys, for signing keys (never API keys) and for
     * a key whose prefix is not its Space's; refused on a view without the master key. A use
     * is noted for "last used" (see {@link KeyUsage}).
     */
    public Optional<ResolvedKey> resolve(String presentedKey) {
        Instant now = Instant.now();
        Optional<ResolvedKey> found = resolver.orElseThrow(ControlPlane::noMasterKey)
                .resolve(presentedKey, k -> k.kind() != ApiKeyRecord.Kind.SIGNING && k.live(now) && space(k.space())
                        .filter(s -> presentedKey.startsWith(k.kind().prefix(s.environment()))).isPresent())
                .flatMap(k -> space(k.space()).map(s -> new ResolvedKey(s, k)));
        found.ifPresent(r -> usage.touch(r.key().id(), now));
        return found;
    }

    /** When the key was last used, approximately (see {@link KeyUsage}); empty when never seen. */
    public Optional<Instant> lastUsed(String keyId) {
        return usage.lastUsed(keyId);
    }

    /** Notes a use of a key other than by {@link #resolve} (a token's browser or signing key). */
    void touch(String keyId, Instant at) {
        usage.touch(keyId, at);
    }

    /** Writes the unflushed key uses now (tests; the instance does it every minute). */
    void flushKeyUsage() {
        usage.flush();
    }

    /**
     * The secret a browser key's server-minted tokens are signed with: its stored one, else
     * (a key created before keys carried one) one derived from the master key and the key id.
     */
    String tokenSecret(ApiKeyRecord browserKey) {
        Cryptos c = crypto.orElseThrow(ControlPlane::noMasterKey);
        return browserKey.tokenSecret()
                .map(sealed -> tokenSecrets.get().plaintext(sealed)
                        .orElseThrow(() -> new ControlPlaneException("The token secret of key " + browserKey.id()
                                + " cannot be decrypted with this master key")))
                .orElseGet(() -> c.tokenSecrets().derivedSecret(browserKey.id()));
    }

    /** A signing key's secret; empty when this master key cannot decrypt it. */
    Optional<String> signingSecret(ApiKeyRecord signingKey) {
        return signingSecrets.orElseThrow(ControlPlane::noMasterKey).plaintext(signingKey);
    }

    /** The signing keys of a browser key, dead ones included. */
    List<ApiKeyRecord> signingKeysOf(ApiKeyRecord browserKey) {
        return keys.ofSpace(browserKey.space()).stream()
                .filter(k -> k.kind() == ApiKeyRecord.Kind.SIGNING && k.browserKeyId().equals(Optional.of(browserKey.id())))
                .toList();
    }

    /** Every version of the Space's program, ascending. */
    public List<ProgramVersion> programs(String slug) {
        return programs.versions(slug);
    }

    /**
     * The version in force at {@code at}: among versions whose effective time is not after
     * {@code at}, the one with the latest effective time (the higher version on a tie).
     */
    public Optional<ProgramVersion> activeProgram(String slug, Instant at) {
        return programs.active(slug, at);
    }

    /** The Space's webhook endpoints, oldest first. */
    public List<WebhookEndpoint> webhooks(String slug) {
        return webhooks.ofSpace(slug);
    }

    /** Every Space's webhook endpoints, oldest first. */
    public List<WebhookEndpoint> webhooks() {
        return webhooks.all();
    }

    public Optional<WebhookEndpoint> webhook(String id) {
        return webhooks.get(id);
    }

    /**
     * The endpoint's signing secret ({@code whsec_...}), decrypted once per stored record; empty
     * when this master key cannot open it. Refused on a view without the master key.
     */
    public Optional<String> webhookSecret(WebhookEndpoint endpoint) {
        return webhookSecrets.orElseThrow(ControlPlane::noMasterKey).plaintext(endpoint);
    }

    /** Runs on the view's thread after each batch of records that changed something. */
    public void onChange(Runnable listener) {
        view.onChange(listener);
    }

    @Override
    public void close() {
        usage.close();
        view.close();
        controlLog.close();
        admin.close(Duration.ofSeconds(2));
    }

    // ---- for the writers of this package

    Admin admin() {
        return admin;
    }

    ControlLog log() {
        return controlLog;
    }

    KeyCrypto requireCrypto() {
        return crypto.orElseThrow(ControlPlane::noMasterKey).apiKeys();
    }

    Cryptos requireCryptos() {
        return crypto.orElseThrow(ControlPlane::noMasterKey);
    }

    KeyCrypto requireWebhookCrypto() {
        return webhookCrypto.orElseThrow(ControlPlane::noMasterKey);
    }

    private static IllegalStateException noMasterKey() {
        return new IllegalStateException("this ControlPlane was started without the master key");
    }
}
