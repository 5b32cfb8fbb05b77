package io.perkamo.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.ApiKeyRecord.Kind;
import io.perkamo.control.keys.BrowserPolicy;

class ControlJsonTest {

    @Test
    void shouldRoundTripASpace() {
        Space s = new Space("acme", "Acme Inc", Environment.LIVE, 12, Instant.parse("2025-01-02T03:04:05.678Z"),
                new SpaceSettings(true));

        assertThat(ControlJson.space(ControlJson.space(s))).isEqualTo(s);
    }

    @Test
    void shouldRoundTripASpacesOwnRateLimitsAndLeaveTheOthersAtTheDefault() {
        Space s = new Space("acme", "Acme Inc", Environment.TEST, 6, Instant.parse("2025-01-02T03:04:05Z"),
                new SpaceSettings(false, new SpaceRateLimits(java.util.OptionalInt.of(1200),
                        java.util.OptionalInt.empty(), java.util.OptionalInt.of(30))));

        byte[] json = ControlJson.space(s);

        assertThat(ControlJson.space(json)).isEqualTo(s);
        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"rate_limits\":{\"server_key\":1200,\"browser_user\":30}");
        assertThat(new String(ControlJson.space(s.withSettings(SpaceSettings.DEFAULTS)), StandardCharsets.UTF_8))
                .doesNotContain("rate_limits");
    }

    @Test
    void shouldDefaultMissingSettings() {
        byte[] json = """
                {"slug":"acme","name":"Acme","environment":"test","partitions":6,
                 "created_at":"2025-01-01T00:00:00Z","future_field":1}""".getBytes(StandardCharsets.UTF_8);

        assertThat(ControlJson.space(json).settings().requireSignatures()).isFalse();
        assertThat(ControlJson.space(json).settings().rateLimits()).isEqualTo(SpaceRateLimits.NONE);
    }

    @Test
    void shouldRoundTripKeysWithAndWithoutPolicy() {
        ApiKeyRecord server = new ApiKeyRecord("key_a", "acme", Kind.SERVER, "sk_test_abcd…", "00ff", "Y2lwaGVy",
                Set.of("events:write", "admin:config"), Instant.parse("2025-01-01T00:00:00Z"), Optional.empty(),
                Optional.empty());
        ApiKeyRecord browser = new ApiKeyRecord("key_b", "acme", Kind.BROWSER, "pk_test_abcd…", "11ee", "Y2lwaGVy",
                Set.of("events:write"), Instant.parse("2025-01-01T00:00:00Z"),
                Optional.of(Instant.parse("2025-02-01T00:00:00Z")),
                Optional.of(new BrowserPolicy(List.of("https://shop.example"), List.of("page.viewed"), 600)));

        assertThat(ControlJson.key(ControlJson.key(server))).isEqualTo(server);
        assertThat(ControlJson.key(ControlJson.key(browser))).isEqualTo(browser);
        assertThat(new String(ControlJson.key(browser), StandardCharsets.UTF_8))
                .contains("\"lookup_hash\":\"11ee\"", "\"revoked_at\":\"2025-02-01T00:00:00Z\"",
                        "\"max_ttl_seconds\":600");
    }

    @Test
    void shouldRoundTripRotationSigningAndTokenSecretFields() {
        ApiKeyRecord signing = new ApiKeyRecord("kid_a", "acme", Kind.SIGNING, "sig_test_abc…", "22dd", "Y2lwaGVy",
                Set.of("profile:read"), Instant.parse("2025-01-01T00:00:00Z"), Optional.empty(), Optional.empty(),
                Optional.of(Instant.parse("2025-03-01T00:00:00Z")), Optional.of("key_b"), Optional.empty());
        ApiKeyRecord browser = new ApiKeyRecord("key_b", "acme", Kind.BROWSER, "pk_test_abcd…", "11ee", "Y2lwaGVy",
                Set.of("events:write"), Instant.parse("2025-01-01T00:00:00Z"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(new io.perkamo.control.keys.SealedValue("key_b", "c2VhbGVk")));

        assertThat(ControlJson.key(ControlJson.key(signing))).isEqualTo(signing);
        assertThat(ControlJson.key(ControlJson.key(browser))).isEqualTo(browser);
    }

    @Test
    void shouldReadTheCreationDefaultOfOlderRecordsAsNoPolicySet() {
        byte[] old = """
                {"id":"key_b","space":"acme","kind":"browser","prefix":"pk_test_abcd…","lookup_hash":"11ee",
                 "ciphertext":"Y2lwaGVy","scopes":["events:write","profile:read"],"created_at":"2025-01-01T00:00:00Z",
                 "browser_policy":{"allowed_origins":[],"allowed_events":["*"],"token_ttl_seconds":900}}"""
                .getBytes(StandardCharsets.UTF_8);

        ApiKeyRecord read = ControlJson.key(old);

        assertThat(read.browserPolicy()).isEmpty();
        assertThat(read.effectivePolicy(Environment.TEST).allowedOrigins())
                .containsExactly("http://localhost:*", "http://127.0.0.1:*");
        assertThat(read.tokenSecret()).isEmpty();
        assertThat(read.expiresAt()).isEmpty();
    }

    @Test
    void shouldRoundTripAProgramVersionAndKeepItImmutable() {
        ObjectNode program = ControlJson.MAPPER.createObjectNode();
        program.putObject("wallets").put("points", 0);
        ProgramVersion pv = new ProgramVersion("acme", 3, Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2025-01-01T00:00:01Z"), program);
        program.put("changed", true);
        pv.program().put("changed", true);

        ProgramVersion back = ControlJson.program(ControlJson.program(pv));

        assertThat(back).isEqualTo(pv);
        assertThat(back.program().has("changed")).isFalse();
    }

    @Test
    void shouldPadProgramKeysSoTheySortByVersion() {
        assertThat(ControlJson.programKey("acme", 2)).isEqualTo("acme:0000000000000000002");
        assertThat(ControlJson.programKey("acme", 10).compareTo(ControlJson.programKey("acme", 9))).isPositive();
        assertThat(ControlJson.programKey("acme", Long.MAX_VALUE)).hasSize("acme:".length() + 19);
    }
}
