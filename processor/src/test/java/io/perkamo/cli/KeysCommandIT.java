package io.perkamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;

import io.perkamo.testing.TestKafka;

class KeysCommandIT {
    private static final Pattern KEY = Pattern.compile("(?m)^ +((sk|pk)_(test|live)_[0-9A-Za-z]{32})$");
    private static final Pattern ID = Pattern.compile("(key_[0-9A-Za-z]{16})");
    private static final String BOOTSTRAP = TestKafka.bootstrapServers();
    private static Map<String, String> env;
    private static String slug;

    @BeforeAll
    static void createSpace() {
        byte[] master = new byte[32];
        new java.security.SecureRandom().nextBytes(master);
        env = Map.of("PERKAMO_MASTER_KEY", Base64.getEncoder().encodeToString(master));
        slug = TestKafka.uniqueSlug("cli-keys");
        CliRun.createSpace(slug, "live", 1, BOOTSTRAP);
    }

    private static CliRun keys(String... args) {
        return CliRun.of(new CommandLine(new KeysCommand(env)), args);
    }

    @Test
    void shouldShowANewKeyOnceAndNeverInTheList() {
        CliRun created = keys("create", "--space", slug, "--scopes", "events:write,profile:read",
                "--bootstrap-servers", BOOTSTRAP);

        assertThat(created.exitCode()).as(created.err()).isZero();
        Matcher key = KEY.matcher(created.out());
        assertThat(key.find()).isTrue();
        String plaintext = key.group(1);
        assertThat(plaintext).startsWith("sk_live_");
        assertThat(created.out()).contains("cannot be shown again").contains("scopes: events:write,profile:read");
        Matcher id = ID.matcher(created.out());
        assertThat(id.find()).isTrue();

        CliRun listed = keys("list", "--space", slug, "--bootstrap-servers", BOOTSTRAP);

        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains(id.group(1), plaintext.substring(0, 12) + "…", "server",
                "events:write,profile:read");
        assertThat(listed.out()).doesNotContain(plaintext);
        assertThat(listed.out().lines().findFirst().orElseThrow())
                .matches("ID +KIND +PREFIX +SCOPES +CREATED +REVOKED");
    }

    @Test
    void shouldRevokeAKey() {
        CliRun created = keys("create", "--space", slug, "--kind", "browser", "--bootstrap-servers", BOOTSTRAP);
        Matcher id = ID.matcher(created.out());
        assertThat(id.find()).isTrue();
        assertThat(created.out()).contains("pk_live_");

        CliRun revoked = keys("revoke", id.group(1), "--bootstrap-servers", BOOTSTRAP);

        assertThat(revoked.exitCode()).isZero();
        assertThat(revoked.out()).contains("Revoked browser key " + id.group(1));
        CliRun listed = keys("list", "--space", slug, "--bootstrap-servers", BOOTSTRAP);
        String row = listed.out().lines().filter(l -> l.startsWith(id.group(1))).findFirst().orElseThrow();
        assertThat(row).matches(id.group(1) + " +browser +pk_live_\\S+ +\\S+ +\\S+Z +\\d{4}-\\d\\d-\\d\\dT\\S+Z");
    }

    @Test
    void shouldExplainErrorsInOneLine() {
        CliRun unknownSpace = keys("create", "--space", TestKafka.uniqueSlug("nope"), "--bootstrap-servers", BOOTSTRAP);
        CliRun badKind = keys("create", "--space", slug, "--kind", "admin", "--bootstrap-servers", BOOTSTRAP);
        CliRun badScope = keys("create", "--space", slug, "--scopes", "everything", "--bootstrap-servers", BOOTSTRAP);
        CliRun unknownKey = keys("revoke", "key_0000000000000000", "--bootstrap-servers", BOOTSTRAP);

        for (CliRun run : java.util.List.of(unknownSpace, badKind, badScope, unknownKey)) {
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err().lines()).hasSize(1);
            assertThat(run.err()).startsWith("perkamo: ");
        }
        assertThat(unknownSpace.err()).contains("does not exist");
        assertThat(badKind.err()).contains("use server or browser");
        assertThat(badScope.err()).contains("Unknown scope 'everything'");
        assertThat(unknownKey.err()).contains("Key 'key_0000000000000000' does not exist");
    }
}
