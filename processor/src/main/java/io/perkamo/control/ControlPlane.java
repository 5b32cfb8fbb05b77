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
    private final Optional<KeyCrypto> crypto;
    private final SpacesView spaces = new SpacesView();
    private final KeysView keys = new KeysView();
    private final ProgramsView programs = new ProgramsView();
    private final WebhooksView webhooks = new WebhooksView();
    private final ControlView view;
    private final ControlLog controlLog;
    private final Optional<KeyResolver<ApiKeyRecord>> resolver;
    private final Optional<KeyCrypto> webhookCrypto;
    private final Optional<DecryptedSecrets<WebhookEndpoint>> webhookSecrets;

    private ControlPlane(String bootstrap, Optional<MasterKey> key, Admin admin) {
        this.bootstrap = bootstrap;
        this.crypto = key.map(k -> new KeyCrypto(k, SecretKind.API_KEY));
        this.admin = admin;
        this.view = new ControlView(bootstrap, admin, List.of(spaces, keys, programs, webhooks));
        this.controlLog = new ControlLog(bootstrap, view, CATCH_UP_TIMEOUT);
        this.resolver = crypto.map(c -> new KeyResolver<>(c, keys::byLookupHash));
        resolver.ifPresent(r -> keys.onRecord(r::forget));
        this.webhookCrypto = key.map(k -> new KeyCrypto(k, SecretKind.WEBHOOK_SECRET));
        this.webhookSecrets = webhookCrypto.map(DecryptedSecrets::new);
        webhookSecrets.ifPresent(d -> webhooks.onRecord(d::forget));
    }

    /**
     * Connects (failing within ~10 s with the address when no broker answers), ensures the
     * control topics, and returns once the view has read everything already written.
     */
    public static ControlPlane start(String bootstrapServers, MasterKey key) {
        return start(bootstrapServers, Optional.of(Objects.requireNonNull(key, "key")));
    }

    /**
     * A view without the master key, for tools that only handle Spaces and programs:
     * {@link #resolve} and key management refuse to work on it.
     */
    public static ControlPlane startWithoutMasterKey(String bootstrapServers) {
        return start(bootstrapServers, Optional.empty());
    }

    private static ControlPlane start(String bootstrap, Optional<MasterKey> crypto) {
        Admin admin = KafkaClients.admin(bootstrap, "perkamo-control-admin");
        ControlPlane cp = null;
        try {
            KafkaClients.checkReachable(admin, bootstrap, KafkaClients.CONNECT_TIMEOUT);
            TopicAdmin.ensureControlTopics(admin);
            cp = new ControlPlane(bootstrap, crypto, admin);
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
     * The live key a request presents, with its Space: looked up by hash, then compared in
     * constant time with the decrypted stored key (see {@link KeyResolver}). Empty for unknown,
     * revoked or orphaned keys and for a key whose prefix is not its Space's; refused on a view
     * without the master key.
     */
    public Optional<ResolvedKey> resolve(String presentedKey) {
        return resolver.orElseThrow(ControlPlane::noMasterKey)
                .resolve(presentedKey, k -> !k.revoked() && space(k.space())
                        .filter(s -> presentedKey.startsWith(k.kind().prefix(s.environment()))).isPresent())
                .flatMap(k -> space(k.space()).map(s -> new ResolvedKey(s, k)));
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
        return crypto.orElseThrow(ControlPlane::noMasterKey);
    }

    KeyCrypto requireWebhookCrypto() {
        return webhookCrypto.orElseThrow(ControlPlane::noMasterKey);
    }

    private static IllegalStateException noMasterKey() {
        return new IllegalStateException("this ControlPlane was started without the master key");
    }
}
