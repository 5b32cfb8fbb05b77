package io.perkamo.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.ProgramStore;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.schemas.Json;
import io.perkamo.testing.ApiClient;
import io.perkamo.testing.RunningNode;
import io.perkamo.testing.TestKafka;
import io.perkamo.topics.Topics;

/**
 * Endpoints managed over {@code /v1/admin/config/webhooks}: a secret is answered once and never
 * read again (not by GET, not by {@code GET /v1/program}, not in plain text on the control topic),
 * removals need confirming, URLs are checked, and live Spaces may not point at this machine.
 */
class WebhookAdminIT {
    @RegisterExtension
    static final RunningNode node = RunningNode.builder().space("hooks-admin", 3)
            .programYaml("wallets: [{key: points, name: Points}]").build();

    @Test
    void shouldAnswerANewEndpointsSecretOnceAndNeverInAnyRead() throws Exception {
        // when an endpoint is added over the admin API
        JsonNode added = node.api().post("/v1/admin/config/webhooks",
                "{\"webhooks\": [{\"url\": \"https://shop.example/hooks\", \"events\": [\"purchase.completed\"]}]}", 200);

        // then the answer has its id and secret, whsec_ and the base64 of 32 bytes
        JsonNode endpoint = added.path("webhooks").get(0);
        String id = endpoint.path("id").asText();
        String secret = endpoint.path("secret").asText();
        assertThat(id).startsWith("we_");
        assertThat(secret).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(added.path("changes").get(0).path("action").asText()).isEqualTo("added");
        // and no read shows the secret again
        JsonNode listed = node.api().get("/v1/admin/config/webhooks", 200);
        assertThat(listed.path("webhooks").get(0).path("id").asText()).isEqualTo(id);
        assertThat(listed.path("webhooks").get(0).path("events").get(0).asText()).isEqualTo("purchase.completed");
        assertThat(listed.toString()).doesNotContain(secret).doesNotContain("secret");
        assertThat(node.api().get("/v1/program", 200).toString()).doesNotContain(secret).doesNotContain("webhooks");
        // nor the control topic, which holds it sealed
        assertThat(controlRecords()).noneMatch(v -> v.contains(secret.substring(6)));
        assertThat(controlRecords()).anyMatch(v -> v.contains(id) && v.contains("ciphertext"));

        // when the list is sent back with a new secret asked for
        JsonNode rotated = node.api().post("/v1/admin/config/webhooks", "{\"webhooks\": [{\"id\": \"" + id
                + "\", \"url\": \"https://shop.example/hooks\", \"rotate_secret\": true}]}", 200);

        // then there is a new secret, and every type now (events left out)
        String newSecret = rotated.path("webhooks").get(0).path("secret").asText();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(secret);
        assertThat(rotated.path("webhooks").get(0).path("events").get(0).asText()).isEqualTo("*");
        assertThat(node.control().webhookSecret(node.control().webhook(id).orElseThrow())).contains(newSecret);
    }

    @Test
    void shouldRemoveEndpointsLeftOutOnlyWhenConfirmed() throws Exception {
        // given two endpoints
        String slug = TestKafka.uniqueSlug("hooks-removal");
        ApiClient api = spaceWithKey(slug, "test");
        JsonNode added = api.post("/v1/admin/config/webhooks", "[{\"url\": \"http://localhost:9/a\"},"
                + " {\"url\": \"http://localhost:9/b\", \"enabled\": false}]", 200);
        assertThat(added.path("webhooks")).hasSize(2);
        String keep = added.path("webhooks").get(0).path("id").asText();

        // when a list without the second one is sent
        HttpResponse<String> refused = api.post("/v1/admin/config/webhooks", "{\"webhooks\": [{\"id\": \"" + keep
                + "\", \"url\": \"http://localhost:9/a\"}]}");

        // then it is refused, saying what would go
        assertThat(refused.statusCode()).isEqualTo(409);
        JsonNode body = ApiClient.json(refused);
        assertThat(body.path("code").asText()).isEqualTo("removals_not_confirmed");
        assertThat(body.path("removals")).hasSize(1);
        assertThat(node.control().webhooks(slug)).hasSize(2);

        // and with allow_removals it goes
        JsonNode done = api.post("/v1/admin/config/webhooks", "{\"allow_removals\": true, \"webhooks\": [{\"id\": \""
                + keep + "\", \"url\": \"http://localhost:9/a\"}]}", 200);
        assertThat(done.path("webhooks")).hasSize(1);
        assertThat(node.control().webhooks(slug)).extracting(e -> e.id()).containsExactly(keep);
    }

    @Test
    void shouldListEveryProblemOfAnUploadAndChangeNothing() throws Exception {
        // when an upload has a bad scheme, a bad event key, an unknown field and no url
        HttpResponse<String> refused = node.api().post("/v1/admin/config/webhooks", "{\"webhooks\": ["
                + "{\"url\": \"ftp://shop.example/x\"}, {\"url\": \"https://shop.example\", \"events\": [\"Bad\"]},"
                + " {\"url\": \"https://shop.example\", \"evnts\": []}, {\"events\": []}]}");

        // then 400 lists each with its path
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        List<String> paths = new ArrayList<>();
        ApiClient.json(refused).path("errors").forEach(e -> paths.add(e.path("path").asText()));
        assertThat(paths).contains("webhooks[2].evnts", "webhooks[3].url");
        // the URL and event problems come from the control plane, once the shapes are right
        HttpResponse<String> semantic = node.api().post("/v1/admin/config/webhooks", "{\"webhooks\": ["
                + "{\"url\": \"ftp://shop.example/x\"}, {\"url\": \"https://shop.example\", \"events\": [\"Bad\"]}]}");
        assertThat(semantic.statusCode()).isEqualTo(400);
        List<String> codes = new ArrayList<>();
        ApiClient.json(semantic).path("errors").forEach(e -> codes.add(e.path("path").asText() + " "
                + e.path("code").asText()));
        assertThat(codes).containsExactly("webhooks[0].url invalid_url", "webhooks[1].events invalid_events");
    }

    @Test
    void shouldRefuseLoopbackPrivateAndMetadataAddressesForALiveSpace() throws Exception {
        // given a live Space
        String slug = TestKafka.uniqueSlug("hooks-live");
        ApiClient api = spaceWithKey(slug, "live");

        // when endpoints on this machine, a private network or the metadata service are added
        for (String url : List.of("http://127.0.0.1:8080/x", "http://localhost/x", "http://10.1.2.3/x",
                "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://192.168.0.10/x",
                "http://100.100.100.200/x", "http://[fd00:ec2::254]/x")) {
            HttpResponse<String> refused = api.post("/v1/admin/config/webhooks", "[{\"url\": \"" + url + "\"}]");

            // then each is refused
            assertThat(refused.statusCode()).as(url).isEqualTo(400);
            assertThat(ApiClient.json(refused).path("code").asText()).isEqualTo("invalid_url");
        }
        // and a public name is fine (checked again against its addresses when sending)
        api.post("/v1/admin/config/webhooks", "[{\"url\": \"https://hooks.shop.example/perkamo\"}]", 200);
    }

    @Test
    void shouldNotShowTheWebhooksOfAProgramPublishedBeforeEndpointsHadAPlaceOfTheirOwn() throws Exception {
        // given a version stored with a webhooks module, as older uploads were
        String slug = TestKafka.uniqueSlug("hooks-old");
        ApiClient api = spaceWithKey(slug, "test");
        ObjectNode old = (ObjectNode) Json.MAPPER.readTree("{\"wallets\": [{\"key\": \"points\", \"name\": \"P\"}],"
                + " \"webhooks\": [{\"url\": \"https://crm.example/hook\", \"secret\": \"whsec_c2VjcmV0\"}]}");
        new ProgramStore(node.control()).publish(slug, old, Instant.EPOCH);

        // when the program is read
        JsonNode program = api.get("/v1/program", 200);
        JsonNode config = api.get("/v1/admin/config/program", 200);

        // then neither read has it
        assertThat(program.has("webhooks")).isFalse();
        assertThat(program.toString()).doesNotContain("whsec_");
        assertThat(config.has("webhooks")).isFalse();
        assertThat(program.path("wallets").get(0).path("key").asText()).isEqualTo("points");
        // and a new program may not carry one: it says where endpoints go
        HttpResponse<String> refused = api.post("/v1/admin/config/program", "{\"wallets\": [{\"key\": \"points\","
                + " \"name\": \"P\"}], \"webhooks\": [{\"url\": \"https://crm.example/hook\"}]}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(refused).path("errors").get(0).path("message").asText())
                .contains("/v1/admin/config/webhooks");
        // and other modules can still be published over the old version
        api.post("/v1/admin/config/rules", "{\"rules\": []}", 200);
    }

    // ----

    private static ApiClient spaceWithKey(String slug, String environment) {
        new SpaceAdmin(node.control()).create(slug, environment, Optional.empty(), 3);
        String key = new ApiKeys(node.control()).create(slug, ApiKeyRecord.Kind.SERVER, Set.of()).plaintext();
        return ApiClient.of(node.baseUrl(), key);
    }

    private static List<String> controlRecords() {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = TestKafka.committedConsumer(new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.CONTROL_WEBHOOKS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                var records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (r.value() != null) {
                        values.add(new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
                if (records.isEmpty() && !values.isEmpty()) {
                    break;
                }
            }
        }
        return values;
    }
}
