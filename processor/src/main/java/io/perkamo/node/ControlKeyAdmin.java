package io.perkamo.node;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.perkamo.api.KeyAdmin;
import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.ControlPlaneException;
import io.perkamo.control.CreatedKey;
import io.perkamo.control.Environment;
import io.perkamo.control.UnknownKeyException;
import io.perkamo.control.keys.BrowserPolicy;

/** The admin API's key management, by the control plane's {@link ApiKeys}; keys of other Spaces are not found. */
final class ControlKeyAdmin implements KeyAdmin {
    private final ControlPlane control;
    private final ApiKeys keys;

    ControlKeyAdmin(ControlPlane control) {
        this.control = control;
        this.keys = new ApiKeys(control);
    }

    @Override
    public List<KeyInfo> list(String space) {
        Environment env = environment(space);
        return control.keys(space).stream().map(k -> info(k, env)).toList();
    }

    @Override
    public Result create(String space, String kind, Set<String> scopes, Optional<String> browserKeyId) {
        Optional<ApiKeyRecord.Kind> k = ApiKeyRecord.Kind.parse(kind);
        if (k.isEmpty()) {
            return new Refused(Reason.INVALID, "kind is server, browser or signing");
        }
        return run(() -> {
            CreatedKey created;
            if (k.get() == ApiKeyRecord.Kind.SIGNING) {
                String browser = browserKeyId.orElseThrow(() -> new IllegalArgumentException(
                        "a signing key names its browser key: browser_key_id"));
                ownKey(space, browser);
                created = keys.createSigningKey(browser, scopes);
            } else {
                created = keys.create(space, k.get(), scopes);
            }
            return new Done(info(created.record(), environment(space)), Optional.of(created.plaintext()),
                    Optional.empty());
        });
    }

    @Override
    public Result revoke(String space, String keyId) {
        return run(() -> {
            ownKey(space, keyId);
            keys.revoke(keyId);
            return done(space, keyId);
        });
    }

    @Override
    public Result rotate(String space, String keyId, Instant oldValidUntil) {
        return run(() -> {
            ownKey(space, keyId);
            ApiKeys.Rotated r = keys.rotate(keyId, oldValidUntil);
            Environment env = environment(space);
            return new Done(info(r.created().record(), env), Optional.of(r.created().plaintext()),
                    Optional.of(info(r.old(), env)));
        });
    }

    @Override
    public Result setPolicy(String space, String keyId, Optional<Policy> policy) {
        return run(() -> {
            ownKey(space, keyId);
            keys.setBrowserPolicy(keyId, policy.map(p -> new BrowserPolicy(p.allowedOrigins(), p.allowedEvents(),
                    p.maxTtlSeconds())));
            return done(space, keyId);
        });
    }

    private interface Operation {
        Result run();
    }

    private static Result run(Operation op) {
        try {
            return op.run();
        } catch (UnknownKeyException e) {
            return new Refused(Reason.NOT_FOUND, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Refused(Reason.INVALID, e.getMessage());
        } catch (ControlPlaneException e) {
            return new Refused(Reason.NOT_LIVE, e.getMessage());
        }
    }

    /** A key of another Space is answered as unknown: Spaces do not see each other's keys. */
    private void ownKey(String space, String keyId) {
        if (control.key(keyId).filter(k -> k.space().equals(space)).isEmpty()) {
            throw new UnknownKeyException(keyId);
        }
    }

    private Done done(String space, String keyId) {
        return new Done(info(control.key(keyId).orElseThrow(() -> new UnknownKeyException(keyId)), environment(space)),
                Optional.empty(), Optional.empty());
    }

    private Environment environment(String space) {
        return control.space(space).map(s -> s.environment()).orElse(Environment.LIVE);
    }

    private KeyInfo info(ApiKeyRecord k, Environment env) {
        Optional<Policy> policy = k.kind() == ApiKeyRecord.Kind.BROWSER
                ? Optional.of(k.effectivePolicy(env)).map(p -> new Policy(p.allowedOrigins(), p.allowedEvents(),
                        p.maxTtlSeconds()))
                : Optional.empty();
        return new KeyInfo(k.id(), k.kind().id(), k.prefix(), k.scopes(), k.createdAt(), control.lastUsed(k.id()),
                k.expiresAt(), k.revokedAt(), k.status(Instant.now()), k.browserKeyId(), policy,
                k.browserPolicy().isEmpty());
    }
}
