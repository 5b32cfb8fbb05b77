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
                .matches("ID +KIND +PREFIX +SCOPES +CREATED +LAST-USED +EXPIRES +STATUS +REVOKED");
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
        assertThat(row).matches(id.group(1) + " +browser +pk_live_\\S+ +\\S+ +\\S+Z +- +- +revoked +\\d{4}-\\d\\d-\\d\\dT\\S+Z");
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
        assertThat(badKind.err()).contains("use server, browser or signing");
        assertThat(badScope.err()).contains("Unknown scope 'everything'");
        assertThat(unknownKey.err()).contains("Key 'key_0000000000000000' does not exist");
    }

    @Test
    void shouldRotateAKeyKeepingTheOldOneUntilTheChosenTime() {
        CliRun created = keys("create", "--space", slug, "--bootstrap-servers", BOOTSTRAP);
        Matcher id = ID.matcher(created.out());
        assertThat(id.find()).isTrue();

        CliRun rotated = keys("rotate", id.group(1), "--old-valid-until", "2099-01-01T00:00:00Z",
                "--bootstrap-servers", BOOTSTRAP);

        assertThat(rotated.exitCode()).as(rotated.err()).isZero();
        assertThat(KEY.matcher(rotated.out()).find()).isTrue();
        assertThat(rotated.out()).contains("cannot be shown again")
                .contains("The old key " + id.group(1)).contains("keeps working until 2099-01-01T00:00:00Z");
        String row = keys("list", "--space", slug, "--bootstrap-servers", BOOTSTRAP).out().lines()
                .filter(l -> l.startsWith(id.group(1))).findFirst().orElseThrow();
        assertThat(row).contains("2099-01-01T00:00:00Z", "expiring");
    }

    @Test
    void shouldSetShowAndResetABrowserKeysPolicy() {
        CliRun created = keys("create", "--space", slug, "--kind", "browser", "--bootstrap-servers", BOOTSTRAP);
        Matcher id = ID.matcher(created.out());
        assertThat(id.find()).isTrue();
        String listedBefore = keys("list", "--space", slug, "--bootstrap-servers", BOOTSTRAP).out();
        assertThat(listedBefore.lines().filter(l -> l.contains(id.group(1)) && l.contains("default (live)")))
                .hasSize(1).allMatch(l -> l.contains("none"));

        CliRun set = keys("policy", id.group(1), "--allowed-origins", "https://shop.example,http://localhost:*",
                "--allowed-events", "page.viewed", "--max-ttl", "10m", "--bootstrap-servers", BOOTSTRAP);

        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.out()).contains("origins  https://shop.example,http://localhost:*", "events   page.viewed",
                "max TTL  600 s");
        assertThat(keys("list", "--space", slug, "--bootstrap-servers", BOOTSTRAP).out().lines()
                .filter(l -> l.contains(id.group(1)) && l.contains("page.viewed"))).hasSize(1)
                .allMatch(l -> l.contains("600 s") && l.contains("set"));
        CliRun bad = keys("policy", id.group(1), "--allowed-origins", "https://shop.example/path",
                "--bootstrap-servers", BOOTSTRAP);
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("Invalid origin");
        CliRun reset = keys("policy", id.group(1), "--reset", "--bootstrap-servers", BOOTSTRAP);
        assertThat(reset.out()).contains("the live default").contains("origins  none");
    }

    @Test
    void shouldCreateASigningKeyForABrowserKey() {
        CliRun browser = keys("create", "--space", slug, "--kind", "browser", "--bootstrap-servers", BOOTSTRAP);
        Matcher id = ID.matcher(browser.out());
        assertThat(id.find()).isTrue();

        CliRun signing = keys("create", "--space", slug, "--kind", "signing", "--browser-key", id.group(1),
                "--bootstrap-servers", BOOTSTRAP);

        assertThat(signing.exitCode()).as(signing.err()).isZero();
        assertThat(signing.out()).containsPattern("(?m)^ +sig_live_[0-9A-Za-z]{43}$")
                .containsPattern("kid kid_[0-9A-Za-z]{16}").contains("policy of browser key " + id.group(1));
        CliRun noBrowser = keys("create", "--space", slug, "--kind", "signing", "--bootstrap-servers", BOOTSTRAP);
        assertThat(noBrowser.err()).contains("--browser-key");
    }
}
