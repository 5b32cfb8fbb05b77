package io.perkamo.api;

import static io.perkamo.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.testing.Browser;

/** The API reference: /openapi.json names exactly the routes the server registers; /docs renders it. */
class OpenApiIT {
    private static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static Set<String> documented(JsonNode doc) {
        Set<String> routes = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = doc.path("paths").fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            path.getValue().fieldNames().forEachRemaining(m -> routes.add(m.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey()));
        }
        return routes;
    }

    @Test
    void shouldDescribeEveryRegisteredRouteAndNoOther() {
        TestApi.Answer a = api.send("GET", "/openapi.json", null, Map.of());

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("content-type")).startsWith("application/json");
        JsonNode doc = a.json();
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(api.server.routes()).contains("GET /v1/customer/{user_id}", "POST /v1/admin/rate-limits",
                "OPTIONS /v1/client/{rest}");
        assertThat(documented(doc)).containsExactlyInAnyOrderElementsOf(api.server.routes());
    }

    @Test
    void shouldDocumentTheRateLimitHeadersAnd429OnEveryLimitedRoute() {
        JsonNode doc = api.send("GET", "/openapi.json", null, Map.of()).json();

        List<String> limited = List.of("/v1/events", "/v1/customer/{user_id}", "/v1/client/customer", "/v1/admin/keys");
        for (String path : limited) {
            doc.path("paths").path(path).forEach(op -> {
                assertThat(op.path("responses").path("429").path("$ref").asText()).as(path)
                        .isEqualTo("#/components/responses/RateLimited");
            });
        }
        assertThat(doc.path("components").path("responses").path("RateLimited").path("headers").has("retry-after")).isTrue();
        assertThat(doc.path("components").path("headers").path("RateLimitReset").path("description").asText())
                .contains("seconds until the bucket is full again");
    }

    @Test
    void shouldServeSwaggerUiFromTheWebjarAndNothingElseOfIt() {
        TestApi.Answer page = api.send("GET", "/docs", null, Map.of());
        TestApi.Answer bundle = api.send("GET", "/docs/swagger-ui-bundle.js", null, Map.of());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-type")).startsWith("text/html");
        assertThat(page.body()).contains("/docs/swagger-ui-bundle.js", "/openapi.json").doesNotContain("https://");
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.body().length()).isGreaterThan(100_000);
        assertThat(api.send("GET", "/docs/index.html", null, Map.of()).status()).isEqualTo(404);
        assertThat(api.send("GET", "/docs/..%2F..%2Fopenapi.json", null, Map.of()).status()).isEqualTo(404);
    }

    @Test
    void shouldRenderTheRoutesInABrowser() throws Exception {
        try (Browser browser = Browser.start(1280, 1400)) {
            browser.driver().get(api.base() + "/docs");

            List<String> shown = eventually(Duration.ofSeconds(30), () -> {
                List<String> paths = browser.driver().findElements(By.cssSelector(".opblock-summary-path"))
                        .stream().map(WebElement::getText).map(t -> t.replace("\u200b", "")).toList();
                assertThat(paths).contains("/v1/events", "/v1/admin/rate-limits", "/v1/client/customer");
                return paths;
            });

            assertThat(browser.driver().getTitle()).isEqualTo("Perkamo API reference");
            assertThat(shown).hasSize(api.server.routes().size());
            Path shot = browser.screenshot("api-docs");
            assertThat(Files.size(shot)).isGreaterThan(10_000);
        }
    }
}
