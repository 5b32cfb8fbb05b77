package io.perkamo.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeyRecord.Kind;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.Environment;
import io.perkamo.control.ProgramStore;
import io.perkamo.control.Space;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.control.SpaceExistsException;
import io.perkamo.core.program.Programs;

/**
 * The demo Space of local mode, provisioned idempotently at every start (and safely from
 * several instances): Space {@code demo-test}, a server key, a browser key and the demo
 * program as version 1, each created only when missing.
 */
public final class DemoSpace {
    public static final String SLUG = "demo-test";
    public static final String NAME = "Demo";
    /** Where local mode reads a fixed demo server key from. */
    public static final String DEV_SERVER_KEY_ENV = "PERKAMO_DEV_SERVER_KEY";

    private DemoSpace() {
    }

    /** The demo program (processor/src/main/resources/demo-program.yaml) as JSON. */
    public static ObjectNode program() {
        try (InputStream in = DemoSpace.class.getResourceAsStream("/demo-program.yaml")) {
            return (ObjectNode) Programs.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the demo program is missing from the jar", e);
        }
    }

    /**
     * @param fixedServerKey a fixed server key (from {@value #DEV_SERVER_KEY_ENV}); must start with sk_test_
     * @param demoProgram published as version 1, effective from the epoch, when the Space has no program
     */
    public static DemoInfo provision(ControlPlane cp, Optional<String> fixedServerKey, ObjectNode demoProgram) {
        return provision(cp, SLUG, fixedServerKey, demoProgram);
    }

    /** The same for another slug (tests share one broker and must not fight over demo-test). */
    static DemoInfo provision(ControlPlane cp, String slug, Optional<String> fixedServerKey, ObjectNode demoProgram) {
        fixedServerKey.ifPresent(k -> {
            if (!k.startsWith(Kind.SERVER.prefix(Environment.TEST))) {
                throw new IllegalArgumentException(DEV_SERVER_KEY_ENV + " must start with sk_test_ (the demo Space is"
                        + " a test Space)");
            }
        });
        Space space = ensureSpace(cp, slug);
        ApiKeys keys = new ApiKeys(cp);
        String serverKey = fixedServerKey.map(k -> keys.importKey(slug, Kind.SERVER, k, Set.of()).plaintext())
                .orElseGet(() -> existingOrNew(cp, keys, slug, Kind.SERVER));
        String browserKey = existingOrNew(cp, keys, slug, Kind.BROWSER);
        if (cp.programs(slug).isEmpty()) {
            new ProgramStore(cp).publish(slug, demoProgram, Instant.EPOCH);
        }
        return new DemoInfo(space, serverKey, browserKey);
    }

    private static Space ensureSpace(ControlPlane cp, String slug) {
        cp.awaitCaughtUp(ControlPlane.CATCH_UP_TIMEOUT);
        Optional<Space> existing = cp.space(slug);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            SpaceAdmin admin = new SpaceAdmin(cp);
            return admin.create(slug, Environment.TEST.id(), Optional.of(NAME), admin.defaultPartitions());
        } catch (SpaceExistsException raced) {
            return cp.space(slug).orElseThrow(() -> raced);
        }
    }

    /** The oldest live key of that kind that this master key can decrypt, else a new one. */
    private static String existingOrNew(ControlPlane cp, ApiKeys keys, String slug, Kind kind) {
        for (ApiKeyRecord k : cp.keys(slug)) {
            if (k.kind() == kind && !k.revoked()) {
                Optional<String> plain = keys.reveal(k);
                if (plain.isPresent()) {
                    return plain.get();
                }
            }
        }
        return keys.create(slug, kind, Set.of()).plaintext();
    }
}
