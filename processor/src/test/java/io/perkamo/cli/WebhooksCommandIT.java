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

class WebhooksCommandIT {
    private static final Pattern SECRET = Pattern.compile("(?m)^ +(whsec_[A-Za-z0-9+/=]{44})$");
    private static final Pattern ID = Pattern.compile("(we_[0-9A-Za-z]{16})");
    private static final String BOOTSTRAP = TestKafka.bootstrapServers();
    private static Map<String, String> env;
    private static String slug;

    @BeforeAll
    static void createSpace() {
        byte[] master = new byte[32];
        new java.security.SecureRandom().nextBytes(master);
        env = Map.of("PERKAMO_MASTER_KEY", Base64.getEncoder().encodeToString(master));
        slug = TestKafka.uniqueSlug("cli-hooks");
        CliRun.createSpace(slug, "live", 1, BOOTSTRAP);
    }

    private static CliRun webhooks(String... args) {
        return CliRun.of(new CommandLine(new WebhooksCommand(env)), args);
    }

    @Test
    void shouldPrintANewEndpointsIdAndSecretOnceAndListItWithout() {
        // when an endpoint is added
        CliRun added = webhooks("add", "--space", slug, "--url", "https://crm.example/perkamo", "--events",
                "purchase.completed,reward.redeemed", "--bootstrap-servers", BOOTSTRAP);

        // then its id and secret are printed
        assertThat(added.exitCode()).as(added.err()).isZero();
        Matcher secret = SECRET.matcher(added.out());
        assertThat(secret.find()).as(added.out()).isTrue();
        Matcher id = ID.matcher(added.out());
        assertThat(id.find()).isTrue();
        assertThat(added.out()).contains("cannot be shown again");

        // and the list shows it, never its secret
        CliRun listed = webhooks("list", "--space", slug, "--bootstrap-servers", BOOTSTRAP);
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains(id.group(1), "https://crm.example/perkamo",
                "purchase.completed,reward.redeemed").doesNotContain(secret.group(1));
        assertThat(listed.out().lines().findFirst().orElseThrow()).matches("ID +URL +EVENTS +ENABLED +CREATED");

        // and a rotation prints another secret; disable, enable and remove change the list
        CliRun rotated = webhooks("rotate-secret", id.group(1), "--bootstrap-servers", BOOTSTRAP);
        Matcher again = SECRET.matcher(rotated.out());
        assertThat(again.find()).as(rotated.out() + rotated.err()).isTrue();
        assertThat(again.group(1)).isNotEqualTo(secret.group(1));
        assertThat(webhooks("disable", id.group(1), "--bootstrap-servers", BOOTSTRAP).exitCode()).isZero();
        assertThat(webhooks("list", "--space", slug, "--bootstrap-servers", BOOTSTRAP).out()).contains(" no ");
        assertThat(webhooks("enable", id.group(1), "--bootstrap-servers", BOOTSTRAP).exitCode()).isZero();
        assertThat(webhooks("deliveries", "--space", slug, "--bootstrap-servers", BOOTSTRAP).out())
                .contains("No deliveries");
        assertThat(webhooks("remove", id.group(1), "--bootstrap-servers", BOOTSTRAP).exitCode()).isZero();
        assertThat(webhooks("list", "--space", slug, "--bootstrap-servers", BOOTSTRAP).out())
                .contains("No webhook endpoints");
    }

    @Test
    void shouldRefuseALoopbackUrlForALiveSpaceInOneLine() {
        CliRun refused = webhooks("add", "--space", slug, "--url", "http://127.0.0.1:8080/x", "--bootstrap-servers",
                BOOTSTRAP);

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err().strip()).startsWith("perkamo: Invalid webhook url:").contains("only test Spaces");
    }

    @Test
    void shouldSayWhenThereIsNothingToResend() {
        CliRun refused = webhooks("resend", "--space", slug, "dlv_unknown", "--bootstrap-servers", BOOTSTRAP);

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("No delivery dlv_unknown");
    }
}
