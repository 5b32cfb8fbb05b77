package io.perkamo.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;

import io.perkamo.control.ApiKeyRecord;
import io.perkamo.control.ApiKeys;
import io.perkamo.control.ProgramStore;
import io.perkamo.control.SpaceAdmin;
import io.perkamo.control.WebhookEndpoint;
import io.perkamo.control.keys.BrowserPolicy;
import io.perkamo.testing.ApiClient;
import io.perkamo.testing.Browser;
import io.perkamo.testing.Eventually;
import io.perkamo.testing.RunningNode;
import io.perkamo.testing.TestKafka;

/**
 * The console in a real browser (headless Debian chromium) on a whole instance: an operator signs
 * in, creates a Space and a key, edits a program with a mistake, fixes it, dry-runs an event,
 * applies it, watches events sent through the API arrive in the live log, reads the customer's
 * explanation and signs out; plus the security rules over plain HTTP. Screenshots go to
 * target/screenshots/console-*.png.
 */
class ConsoleIT {
    private static final String TOKEN = "console-it-operator-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BROKEN_PROGRAM = String.join("\n",
            "wallets:",
            "  - {key: points, name: Points}",
            "  - {key: xp, name: Experience}",
            "rules:",
            "  - key: purchase_points",
            "    event: purchase.completed",
            "    label: Purchase",
            "    when: \"context.currency == 'CZK'\"",
            "    award:",
            "      - {wallet: pointz, amount: \"{{amount}} / 100\"}",
            "      - {wallet: xp, amount: 10}",
            "");
    private static final String PROGRAM = BROKEN_PROGRAM.replace("pointz", "points");

    @RegisterExtension
    static final RunningNode node = RunningNode.builder().operatorToken(TOKEN).space("console-hooks", 1)
            .programYaml("wallets:\n  - {key: points, name: Points}\n").build();

    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start(1280, 900);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void shouldTakeAnOperatorFromSignInThroughAProgramToALiveCustomer() throws Exception {
        ChromeDriver d = browser.driver();
        String base = node.baseUrl();

        // given a console nobody signed in to: it asks for the token, typed and sent with the keyboard
        d.get(base + "/console/spaces");
        assertThat(d.getCurrentUrl()).contains("/console/sign-in");
        browser.screenshot("console-01-sign-in");
        d.findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
        waitFor(d, "#space-create");
        assertThat(d.getCurrentUrl()).endsWith("/console/spaces");
        assertLabelled(d);

        // when the operator creates a Space
        String space = TestKafka.uniqueSlug("console");
        d.findElement(By.id("slug")).sendKeys(space);
        d.findElement(By.id("name")).sendKeys("Console shop");
        d.findElement(By.cssSelector("#space-create ~ form button[type=submit]")).click();
        assertThat(waitFor(d, ".notice-ok").getText()).contains("Space " + space + " created");
        assertThat(d.findElement(By.cssSelector("main table")).getText()).contains(space).contains("test");
        browser.screenshot("console-02-space-created");
        node.node().awaitReady(Duration.ofSeconds(90)); // the processor takes the new Space's topics

        // and a server key: its secret is shown once
        d.get(base + "/console/spaces/" + space + "/keys");
        d.findElement(By.cssSelector("form[action$='/keys'] button[type=submit]")).click();
        String secret = waitFor(d, "#new-secret").getText();
        assertThat(secret).startsWith("sk_test_");
        assertLabelled(d);
        browser.screenshot("console-03-key-created");

        // then no page shows it again
        for (String page : List.of("/keys", "/program", "/customers", "/live", "/webhooks", "/usage")) {
            d.get(base + "/console/spaces/" + space + page);
            assertThat(d.getPageSource()).as(page).doesNotContain(secret);
        }
        d.get(base + "/console/spaces");
        assertThat(d.getPageSource()).doesNotContain(secret);

        // when the operator checks a program with one mistake: the problem is shown at its line
        d.get(base + "/console/spaces/" + space + "/program");
        setProgram(d, BROKEN_PROGRAM);
        d.findElement(By.id("check-button")).click();
        WebElement problem = waitFor(d, "#check-panel .problems li");
        assertThat(problem.getText()).contains("line 10").contains("rules[0].award[0].wallet").contains("pointz");
        assertThat(d.findElements(By.cssSelector(".gutter span.bad"))).extracting(WebElement::getText)
                .containsExactly("10");
        scrollTo(d, "#check-panel");
        browser.screenshot("console-04-program-problem");

        // and fixes it: no problem left, and the check lists what the first version adds
        setProgram(d, PROGRAM);
        d.findElement(By.id("check-button")).click();
        Eventually.await(WAIT, () -> textOf(d, "check-panel").contains("No problems found"), "the check passing");
        assertThat(d.findElement(By.id("check-panel")).getText()).contains("rule `purchase_points` added");

        // and dry-runs a purchase through it: the delta and every effect, nothing written
        setField(d, "sample-user", "dry-run-alice");
        setField(d, "sample-event", "purchase.completed");
        setField(d, "sample-context", "{\"amount\": 12900, \"currency\": \"CZK\"}");
        d.findElement(By.id("dry-run-button")).click();
        Eventually.await(WAIT, () -> textOf(d, "dry-run-panel").contains("Why"), "the dry run's answer");
        String dryRun = d.findElement(By.id("dry-run-panel")).getText();
        assertThat(dryRun).contains("applied").contains("+129 points").contains("+10 xp")
                .contains("Rule `purchase_points` applied.").contains("Nothing was written");
        scrollTo(d, "#dry-run-panel");
        browser.screenshot("console-05-dry-run");
        assertThat(node.control().programs(space)).isEmpty();

        // and applies it
        d.findElement(By.id("apply-button")).click();
        assertThat(waitFor(d, "#apply-panel .notice-ok").getText()).contains("Version 1 published");
        assertThat(node.control().programs(space)).hasSize(1);
        browser.screenshot("console-06-applied");

        // when events come through the API while the live log is open: they arrive in it
        d.get(base + "/console/spaces/" + space + "/live");
        waitFor(d, "#live-status[data-state=live]");
        ApiClient api = ApiClient.of(base, secret);
        String customer = "alice-" + space;
        api.post("/v1/events", "{\"user_id\":\"" + customer + "\",\"event\":\"purchase.completed\","
                + "\"transaction_id\":\"order-1\",\"context\":{\"amount\":12900,\"currency\":\"CZK\"}}", 200);
        api.post("/v1/events", "{\"user_id\":\"" + customer + "\",\"event\":\"purchase.completed\","
                + "\"transaction_id\":\"order-2\",\"context\":{\"amount\":5000,\"currency\":\"EUR\"}}", 200);
        Eventually.await(WAIT, () -> d.findElements(By.cssSelector("#live-rows tr.live-row")).size() == 2,
                "two outcomes in the live log");
        String live = d.findElement(By.id("live-rows")).getText();
        assertThat(live).contains(customer).contains("order-1").contains("order-2").contains("+129 points")
                .contains("did not apply: its condition was false");
        browser.screenshot("console-07-live-log");

        // and the operator looks the customer up: the profile and why each delta happened
        d.findElement(By.linkText(customer)).click();
        waitFor(d, "#profile-title");
        String page = d.findElement(By.id("main")).getText();
        assertThat(page).contains(customer).contains("points 129 129").contains("xp 10 10"); // balance, earned
        List<String> history = d.findElements(By.cssSelector(".history-item")).stream().map(WebElement::getText).toList();
        assertThat(history).hasSize(2);
        assertThat(history.get(0)).contains("order-2").contains("no change")
                .contains("Rule `purchase_points` did not apply: its condition was false.");
        assertThat(history.get(1)).contains("order-1").contains("+129 points").contains("Rule `purchase_points` applied.");
        assertLabelled(d);
        browser.screenshot("console-08-customer");

        // when the operator tries a draft that doubles the points over the Space's real history before applying it
        d.get(base + "/console/spaces/" + space + "/program");
        setProgram(d, PROGRAM.replace("{{amount}} / 100", "{{amount}} / 50"));
        d.findElement(By.id("what-if-button")).click();
        waitFor(d, "#what-if-movers");
        // then the totals per wallet, the levels and the customer who moves, live against draft; nothing published
        assertThat(d.findElement(By.id("what-if-wallets")).getText()).contains("points 129 → 258 0 → 0 129 → 258 +129")
                .contains("xp 10 → 10");
        assertThat(d.findElement(By.id("what-if-levels")).getText()).contains("Level 0 1 1");
        assertThat(d.findElement(By.id("what-if-redemptions")).getText()).contains("0 redemptions, 0 decided otherwise");
        assertThat(d.findElement(By.id("what-if-movers")).getText()).contains(customer)
                .contains("129 points, 10 xp · level 0").contains("258 points, 10 xp · level 0");
        assertThat(textOf(d, "what-if-panel")).contains("1 customer ends differently").contains("2 inputs")
                .contains("in force from the beginning; live v1");
        assertThat(node.control().programs(space)).hasSize(1);
        assertLabelled(d);
        scrollTo(d, "#what-if-panel");
        browser.screenshot("console-09-what-if");

        // the same pages at a phone's width: nothing wider than the screen
        d.manage().window().setSize(new Dimension(390, 844));
        assertThat(pageOverflow(d)).as("customer page at 390 px: " + tooWide(d)).isLessThanOrEqualTo(0L);
        browser.screenshot("console-10-customer-390");
        d.get(base + "/console/spaces/" + space + "/program");
        assertThat(pageOverflow(d)).as("program page at 390 px: " + tooWide(d)).isLessThanOrEqualTo(0L);
        browser.screenshot("console-11-program-390");
        d.get(base + "/console/spaces/" + space + "/keys");
        assertThat(pageOverflow(d)).as("keys page at 390 px: " + tooWide(d)).isLessThanOrEqualTo(0L);
        d.manage().window().setSize(new Dimension(1280, 900));

        // when the operator signs out: the console is closed again
        d.findElement(By.cssSelector("form.signout button")).click();
        assertThat(waitFor(d, ".notice-ok").getText()).contains("Signed out");
        browser.screenshot("console-12-signed-out");
        d.get(base + "/console/spaces/" + space + "/program");
        assertThat(d.getCurrentUrl()).contains("/console/sign-in");
    }

    // ---- security, over plain HTTP

    @Test
    void shouldSendEveryConsolePageToSignInAndAnswerEveryCallWith401WithoutASession() throws Exception {
        String space = anySpace();
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        for (String path : Console.signedInPaths(space)) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(path).isEqualTo(303);
            assertThat(page.headers().firstValue("location").orElse("")).as(path).startsWith("/console/sign-in?next=");
            assertThat(page.body()).as(path).doesNotContain(space);

            HttpResponse<String> call = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                    .header("hx-request", "true").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(call.statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> stream = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/console/spaces/"
                + space + "/live/stream")).header("accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stream.statusCode()).isEqualTo(401);
        for (String path : List.of("/console/spaces", "/console/spaces/" + space + "/keys",
                "/console/spaces/" + space + "/keys/key_x/revoke", "/console/spaces/" + space + "/program/check",
                "/console/spaces/" + space + "/program/dry-run", "/console/spaces/" + space + "/program/apply",
                "/console/spaces/" + space + "/program/what-if", "/console/spaces/" + space + "/keys/key_x/rotate",
                "/console/spaces/" + space + "/keys/key_x/policy", "/console/spaces/" + space + "/keys/key_x/signing",
                "/console/sign-out")) {
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("slug=nope")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void shouldRefuseAFormPostWithoutTheSessionsCsrfToken() throws Exception {
        Operator op = signIn();
        String slug = TestKafka.uniqueSlug("csrf");

        HttpResponse<String> without = op.post("/console/spaces", "slug=" + slug + "&environment=test");
        HttpResponse<String> wrong = op.post("/console/spaces", "slug=" + slug + "&environment=test&_csrf=forged");
        HttpResponse<String> foreign = op.send(op.form("/console/spaces", "slug=" + slug + "&environment=test&_csrf="
                + op.csrf).header("origin", "http://evil.example"));

        assertThat(without.statusCode()).isEqualTo(403);
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(without.body()).contains("security token");
        assertThat(node.control().space(slug)).isEmpty();
        // and the same form with the token works
        HttpResponse<String> with = op.post("/console/spaces", "slug=" + slug + "&environment=test&_csrf=" + op.csrf);
        assertThat(with.statusCode()).isEqualTo(303);
        assertThat(node.control().space(slug)).isPresent();
    }

    @Test
    void shouldSetAnHttpOnlySameSiteSessionCookieWithAnExpiry() throws Exception {
        Operator op = signIn();

        assertThat(op.setCookie).startsWith(Web.SESSION_COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/console").contains("Max-Age=" + Sessions.TTL.toSeconds());
    }

    @Test
    void shouldRefuseAWrongTokenAndASignInFormFromElsewhere() throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String form = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/console/sign-in")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String csrf = csrfOf(form);

        HttpResponse<String> wrong = http.send(post("/console/sign-in", "token=not-the-token-at-all&_csrf=" + csrf),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> forged = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(post("/console/sign-in", "token=" + TOKEN + "&_csrf=" + csrf), HttpResponse.BodyHandlers.ofString());

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().allValues("set-cookie")).noneMatch(c -> c.startsWith(Web.SESSION_COOKIE + "="));
        assertThat(forged.statusCode()).isEqualTo(403);
    }

    @Test
    void shouldEndTheSessionAtSignOut() throws Exception {
        Operator op = signIn();
        assertThat(op.get("/console/spaces").statusCode()).isEqualTo(200);

        HttpResponse<String> out = op.post("/console/sign-out", "_csrf=" + op.csrf);

        assertThat(out.statusCode()).isEqualTo(303);
        HttpResponse<String> after = op.sendWithCookie(HttpRequest.newBuilder(URI.create(node.baseUrl()
                + "/console/spaces")), op.sessionCookie);
        assertThat(after.statusCode()).isEqualTo(303);
        assertThat(after.headers().firstValue("location").orElse("")).startsWith("/console/sign-in");
    }

    @Test
    void shouldListWebhookEndpointsAndDeliveriesAndResendAFinishedDelivery() throws Exception {
        // given an endpoint the operator adds for a receiver of the test's own, and an event delivered to it
        AtomicInteger received = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            Operator op = signIn();
            String path = "/console/spaces/" + node.space() + "/webhooks";
            HttpResponse<String> added = op.post(path, "url=" + URLEncoder.encode(url, StandardCharsets.UTF_8)
                    + "&events=&_csrf=" + op.csrf);
            assertThat(added.statusCode()).isEqualTo(200);
            Matcher secret = Pattern.compile("id=\"new-secret\"[^>]*>(whsec_[^<]+)<").matcher(added.body());
            assertThat(secret.find()).as("the endpoint's secret, shown once").isTrue();
            WebhookEndpoint endpoint = node.control().webhooks(node.space()).stream().findFirst().orElseThrow();
            assertThat(endpoint.url()).isEqualTo(url);
            node.api().post("/v1/events", "{\"user_id\":\"hook-ann\",\"event\":\"order.placed\","
                    + "\"transaction_id\":\"hook-1\"}", 200);

            // when the operator opens the Space's webhooks: the endpoint (never its secret) and the delivery
            String page = Eventually.untilPresent(WAIT, () -> {
                try {
                    return Optional.of(op.get(path).body()).filter(b -> b.contains("badge-succeeded"));
                } catch (Exception e) {
                    return Optional.empty();
                }
            }).orElseThrow(() -> new AssertionError("no succeeded delivery on the webhooks page"));
            assertThat(page).contains(endpoint.id()).contains(url).doesNotContain(secret.group(1));
            Matcher delivery = Pattern.compile("deliveries/(dlv_[0-9a-f]+)/resend").matcher(page);
            assertThat(delivery.find()).as("a resend button").isTrue();
            assertThat(received.get()).isEqualTo(1);

            // and resends it: the receiver gets it again
            HttpResponse<String> resent = op.post(path + "/deliveries/" + delivery.group(1) + "/resend", "_csrf=" + op.csrf);
            assertThat(resent.statusCode()).isEqualTo(303);
            assertThat(resent.headers().firstValue("location").orElse("")).endsWith("?resent=" + delivery.group(1));
            Eventually.await(WAIT, () -> received.get() == 2, "the resent delivery arriving");

            // then an unknown delivery is refused, and so is a resend without the CSRF token
            assertThat(op.post(path + "/deliveries/dlv_0000/resend", "_csrf=" + op.csrf).statusCode()).isEqualTo(404);
            assertThat(op.post(path + "/deliveries/" + delivery.group(1) + "/resend", "").statusCode()).isEqualTo(403);

            // and the page in the browser (a session of its own, dropped after, so the other test starts signed out)
            ChromeDriver d = browser.driver();
            try {
                d.get(node.baseUrl() + path);
                d.findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
                assertThat(waitFor(d, "#deliveries").getText()).contains(delivery.group(1));
                assertLabelled(d);
                browser.screenshot("console-13-webhooks");
            } finally {
                d.manage().deleteAllCookies();
            }
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void shouldManageBrowserKeyPoliciesSigningKeysAndRotationAndShowWhenAKeyWasLastUsed() throws Exception {
        // given the Space's server key, just used through the API
        String space = node.space();
        // (a read: an outcome in this Space would race the webhooks test's sender taking its partition)
        node.api().get("/v1/customer/keys-ann");
        String serverKey = node.control().keys(space).stream().filter(k -> k.kind() == ApiKeyRecord.Kind.SERVER)
                .filter(k -> node.serverKey().startsWith(k.prefix().replace("\u2026", ""))).findFirst().orElseThrow().id();
        ChromeDriver d = browser.driver();
        try {
            d.get(node.baseUrl() + "/console/spaces/" + space + "/keys");
            d.findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
            // then its row says when it was last used
            assertThat(waitFor(d, "#key-" + serverKey + " .last-used").getText()).endsWith("UTC");

            // when the operator creates a browser key: its secret once, and its policy form with the test default
            d.findElement(By.cssSelector("input[name=kind][value=browser]")).click();
            d.findElement(By.cssSelector("form[action$='/keys'] button[type=submit]")).click();
            String browserSecret = waitFor(d, "#new-secret").getText();
            assertThat(browserSecret).startsWith("pk_test_");
            String browserKey = node.control().keys(space).stream().filter(k -> k.kind() == ApiKeyRecord.Kind.BROWSER
                    && browserSecret.startsWith(k.prefix().replace("\u2026", ""))).findFirst().orElseThrow().id();
            assertThat(d.findElement(By.id("origins-" + browserKey)).getAttribute("value"))
                    .isEqualTo("http://localhost:*\nhttp://127.0.0.1:*");
            assertLabelled(d);

            // and sets its policy: origins, events and the token lifetime
            setField(d, "origins-" + browserKey, "https://shop.example\nhttp://localhost:*");
            setField(d, "events-" + browserKey, "purchase.completed, page.viewed");
            setField(d, "ttl-" + browserKey, "600");
            d.findElement(By.id("policy-save-" + browserKey)).click();
            assertThat(waitFor(d, ".notice-ok").getText()).contains("Policy of " + browserKey + " saved");
            BrowserPolicy set = new BrowserPolicy(List.of("https://shop.example", "http://localhost:*"),
                    List.of("purchase.completed", "page.viewed"), 600);
            assertThat(node.control().key(browserKey).orElseThrow().browserPolicy()).contains(set);
            assertThat(d.findElement(By.id("policy-" + browserKey)).getText()).contains("set");

            // and a signing key for it: its secret once
            d.findElement(By.id("signing-" + browserKey)).click();
            String signingSecret = waitFor(d, "#new-secret").getText();
            assertThat(signingSecret).startsWith("sig_test_");
            assertThat(node.control().keys(space)).anySatisfy(k -> {
                assertThat(k.kind()).isEqualTo(ApiKeyRecord.Kind.SIGNING);
                assertThat(k.browserKeyId()).contains(browserKey);
            });
            assertThat(d.findElement(By.id("policy-" + browserKey)).getText()).contains("Signing keys: kid_");

            // when the operator rotates the browser key, the old one valid for two more hours
            String until = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusHours(2)
                    .truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
            d.findElement(By.cssSelector("#key-" + browserKey + " details.rotate summary")).click();
            setField(d, "until-" + browserKey, until);
            d.findElement(By.id("rotate-" + browserKey)).click();
            String rotatedSecret = waitFor(d, "#new-secret").getText();
            // then a successor with the same policy, shown once, and the old key works until then
            assertThat(rotatedSecret).startsWith("pk_test_").isNotEqualTo(browserSecret);
            assertThat(waitFor(d, ".notice-ok").getText()).contains("Key " + browserKey + " rotated to")
                    .contains("keeps working until");
            ApiKeyRecord old = node.control().key(browserKey).orElseThrow();
            assertThat(old.expiresAt()).contains(java.time.LocalDateTime.parse(until)
                    .toInstant(java.time.ZoneOffset.UTC));
            ApiKeyRecord successor = node.control().keys(space).stream().filter(k -> k.kind() == ApiKeyRecord.Kind.BROWSER
                    && rotatedSecret.startsWith(k.prefix().replace("\u2026", ""))).findFirst().orElseThrow();
            assertThat(successor.browserPolicy()).contains(set);
            assertThat(d.findElement(By.id("key-" + browserKey)).getText()).contains("works until");
            assertLabelled(d);
            browser.screenshot("console-14-keys-rotated");

            // and no page shows any of the secrets again, at a phone's width too
            d.get(node.baseUrl() + "/console/spaces/" + space + "/keys");
            assertThat(d.getPageSource()).doesNotContain(browserSecret).doesNotContain(signingSecret)
                    .doesNotContain(rotatedSecret);
            scrollTo(d, "#policies-title");
            browser.screenshot("console-15-key-policies");
            d.manage().window().setSize(new Dimension(390, 844));
            assertThat(pageOverflow(d)).as("keys page at 390 px: " + tooWide(d)).isLessThanOrEqualTo(0L);
            browser.screenshot("console-16-keys-390");
        } finally {
            d.manage().window().setSize(new Dimension(1280, 900));
            d.manage().deleteAllCookies();
        }
    }

    @Test
    void shouldChartASpacesUsagePerDayAsGetV1UsageCountsIt() throws Exception {
        // given a Space of its own with a rule and a reward, so no other test's inputs count in it
        String space = TestKafka.uniqueSlug("usage");
        new SpaceAdmin(node.control()).create(space, "test", Optional.empty(), 1);
        String key = new ApiKeys(node.control()).create(space, ApiKeyRecord.Kind.SERVER, Set.of()).plaintext();
        new ProgramStore(node.control()).publish(space, (ObjectNode) new YAMLMapper().readTree(USAGE_PROGRAM),
                Instant.EPOCH);
        node.node().awaitReady(Duration.ofSeconds(90));
        ApiClient api = ApiClient.of(node.baseUrl(), key);
        ChromeDriver d = browser.driver();
        String path = node.baseUrl() + "/console/spaces/" + space + "/usage";
        try {
            // when nothing was counted yet: the page says so in a sentence
            d.get(path);
            d.findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
            waitFor(d, "#usage-from");
            // (the meters may still be taking the new Space's partitions: the page says so until they have)
            Eventually.await(WAIT, () -> {
                d.navigate().refresh();
                return !d.findElements(By.id("usage-empty")).isEmpty();
            }, "the empty usage page");
            assertThat(d.findElement(By.id("usage-empty")).getText()).contains("No input");
            assertThat(d.findElements(By.cssSelector("svg.chart"))).isEmpty();
            assertLabelled(d);

            // when a known mix arrives through the API: an applied event, the same again, one redemption
            int resent = ingest(api, "/v1/events", "{\"user_id\":\"ann\",\"event\":\"points.granted\","
                    + "\"transaction_id\":\"u-1\",\"context\":{\"amount\":100}}");
            assertThat(api.post("/v1/events", "{\"user_id\":\"ann\",\"event\":\"points.granted\","
                    + "\"transaction_id\":\"u-1\",\"context\":{\"amount\":100}}", 200).path("duplicate").asBoolean())
                    .isTrue();
            resent += ingest(api, "/v1/rewards/redeem", "{\"user_id\":\"ann\",\"reward\":\"snack\","
                    + "\"transaction_id\":\"r-1\"}");
            int duplicates = 1 + resent; // an input sent again after a 503 is one more duplicate

            // then today's row of the last 30 days shows them, and yesterday shows zeros
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            String row = "#usage-day-" + today;
            Eventually.await(WAIT, () -> {
                d.navigate().refresh();
                return !d.findElements(By.cssSelector(row)).isEmpty()
                        && cells(d, row).subList(0, 14).equals(expectedToday(duplicates));
            }, "today's usage on the page");
            assertThat(d.findElements(By.cssSelector("#usage-table tbody tr"))).hasSize(UsagePages.DEFAULT_DAYS);
            assertThat(cells(d, "#usage-day-" + today.minusDays(1))).containsOnly("0");
            assertThat(d.findElement(By.id("usage-from")).getAttribute("value"))
                    .isEqualTo(today.minusDays(UsagePages.DEFAULT_DAYS - 1).toString());
            // and the page agrees with GET /v1/usage, field by field
            JsonNode day = api.get("/v1/usage", 200).path("days").get(0);
            assertThat(cells(d, row).subList(0, 4)).containsExactly(day.path("inputs").asText(),
                    day.path("inputs_api").asText(), day.path("inputs_kafka").asText(), day.path("applied").asText());

            // and each chart is an SVG image named with its totals
            WebElement inputs = d.findElement(By.id("chart-inputs"));
            assertThat(inputs.getAttribute("role")).isEqualTo("img");
            String range = today.minusDays(UsagePages.DEFAULT_DAYS - 1) + " to " + today + " (30 days, UTC)";
            assertThat(inputs.getAttribute("aria-label")).isEqualTo("Inputs by result per day, " + range
                    + ": applied 1, duplicates " + duplicates + ", conflicts 0, rejected 0, DLQ 0");
            assertThat(inputs.findElements(By.cssSelector("rect"))).hasSize(2); // today's applied and duplicates
            assertThat(d.findElement(By.id("chart-redemptions")).getAttribute("aria-label"))
                    .endsWith(": redeemed 1, rejected 0");
            assertThat(d.findElement(By.id("chart-customers")).getAttribute("aria-label"))
                    .endsWith(": active customers at most 1 a day");
            assertThat(d.findElement(By.id("chart-webhooks")).getAttribute("aria-label"))
                    .endsWith(": delivered 0, failed 0");
            assertLabelled(d);
            browser.screenshot("console-17-usage");
            ((JavascriptExecutor) d).executeScript("document.getElementById('usage-table-title').scrollIntoView();");
            browser.screenshot("console-18-usage-table");

            // and at a phone's width nothing is wider than the screen
            d.manage().window().setSize(new Dimension(390, 844));
            assertThat(pageOverflow(d)).as("usage page at 390 px: " + tooWide(d)).isLessThanOrEqualTo(0L);
            ((JavascriptExecutor) d).executeScript("window.scrollTo(0, 0);");
            browser.screenshot("console-19-usage-390");
            scrollTo(d, "#chart-customers");
            browser.screenshot("console-20-usage-390-charts");
            d.manage().window().setSize(new Dimension(1280, 900));

            // when the operator asks for a range that ends before it starts, with the keyboard: a clear error
            setField(d, "usage-from", today.toString());
            setField(d, "usage-to", today.minusDays(3).toString());
            d.findElement(By.id("usage-show")).sendKeys(Keys.ENTER);
            assertThat(waitFor(d, ".notice-error").getText()).contains("is after the last");
            assertThat(d.findElement(By.id("usage-from")).getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(d.findElements(By.cssSelector("svg.chart"))).isEmpty();
            // and one longer than a year, or one of other days without activity
            d.get(path + "?from=" + today.minusDays(366) + "&to=" + today);
            assertThat(waitFor(d, ".notice-error").getText()).contains("367 days; at most 366");
            d.get(path + "?from=" + today.minusDays(40) + "&to=" + today.minusDays(31));
            assertThat(waitFor(d, "#usage-empty").getText()).contains("No input");
            // and a single day is a chart of one bar
            d.get(path + "?from=" + today + "&to=" + today);
            assertThat(waitFor(d, "#chart-inputs").getAttribute("aria-label")).contains(today + " to " + today
                    + " (1 day, UTC)");
            assertThat(d.findElements(By.cssSelector("#usage-table tbody tr"))).hasSize(1);
        } finally {
            d.manage().window().setSize(new Dimension(1280, 900));
            d.manage().deleteAllCookies();
        }
    }

    private static final String USAGE_PROGRAM = String.join("\n",
            "wallets:",
            "  - {key: points, name: Points}",
            "rules:",
            "  - {key: grant, event: points.granted, label: Grant, award: [{wallet: points, amount: \"{{amount}}\"}]}",
            "rewards:",
            "  - {key: snack, name: Snack, cost: {wallet: points, amount: 30}}",
            "");

    /** Today's cells: inputs, via API, via Kafka, applied, duplicates, conflicts, rejected, DLQ, redeemed, ... */
    private static List<String> expectedToday(int duplicates) {
        return List.of(Integer.toString(2 + duplicates), Integer.toString(2 + duplicates), "0", "1",
                Integer.toString(duplicates), "0", "0", "0", "1", "0", "1", "0", "0", "0");
    }

    private static List<String> cells(ChromeDriver d, String row) {
        return d.findElements(By.cssSelector(row + " td")).stream().map(WebElement::getText).toList();
    }

    /**
     * Posts an input expecting 200; a 503 processing_timeout (a first input on a loaded machine can
     * outlast the ingest timeout) is sent again. Returns how many times it was sent again.
     */
    private static int ingest(ApiClient api, String path, String body) throws Exception {
        AtomicInteger again = new AtomicInteger();
        HttpResponse<String> r = Eventually.eventually(WAIT, () -> {
            HttpResponse<String> answer = api.post(path, body);
            if (answer.statusCode() == 503) {
                again.incrementAndGet();
            }
            assertThat(answer.statusCode()).as(answer.body()).isNotEqualTo(503);
            return answer;
        });
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
        return again.get();
    }

    // ----

    /** A signed-in operator over HTTP: the session cookie and the page's CSRF token. */
    private static final class Operator {
        final HttpClient http;
        final String csrf;
        final String setCookie;
        final String sessionCookie;

        Operator(HttpClient http, String csrf, String setCookie, String sessionCookie) {
            this.http = http;
            this.csrf = csrf;
            this.setCookie = setCookie;
            this.sessionCookie = sessionCookie;
        }

        HttpRequest.Builder form(String path, String body) {
            return HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        }

        HttpResponse<String> post(String path, String body) throws Exception {
            return send(form(path, body));
        }

        HttpResponse<String> get(String path) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path)));
        }

        HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            return sendWithCookie(request, sessionCookie);
        }

        HttpResponse<String> sendWithCookie(HttpRequest.Builder request, String cookie) throws Exception {
            return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                    .send(request.header("cookie", Web.SESSION_COOKIE + "=" + cookie).build(),
                            HttpResponse.BodyHandlers.ofString());
        }
    }

    private static Operator signIn() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String form = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/console/sign-in")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        HttpResponse<String> signedIn = http.send(post("/console/sign-in", "token="
                + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8) + "&_csrf=" + csrfOf(form)),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String setCookie = signedIn.headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith(Web.SESSION_COOKIE + "=")).findFirst().orElseThrow();
        String session = HttpCookie.parse(setCookie).get(0).getValue();
        String page = http.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/console/spaces"))
                .header("cookie", Web.SESSION_COOKIE + "=" + session).build(), HttpResponse.BodyHandlers.ofString()).body();
        return new Operator(http, csrfOf(page), setCookie, session);
    }

    private static HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String csrfOf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF field in the page").isTrue();
        return m.group(1);
    }

    /** A Space for the route walk: any existing one (the walk never gets past sign-in). */
    private static String anySpace() {
        return node.control().spaces().stream().findFirst().map(s -> s.slug()).orElse("no-space");
    }

    private static WebElement waitFor(ChromeDriver d, String css) throws InterruptedException {
        Optional<WebElement> found = Eventually.untilPresent(WAIT, () -> d.findElements(By.cssSelector(css)).stream()
                .filter(WebElement::isDisplayed).findFirst());
        assertThat(found).as("an element " + css + " on " + d.getCurrentUrl()).isPresent();
        return found.get();
    }

    private static void scrollTo(ChromeDriver d, String css) {
        ((JavascriptExecutor) d).executeScript("document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
                css);
    }

    /** The element's text; empty while htmx swaps it. */
    private static String textOf(ChromeDriver d, String id) {
        try {
            return d.findElements(By.id(id)).stream().findFirst().map(WebElement::getText).orElse("");
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return "";
        }
    }

    private static void setProgram(ChromeDriver d, String text) {
        setField(d, "program-text", text);
    }

    /** Sets a field's text as typing would (an input event follows), without typing it key by key. */
    private static void setField(ChromeDriver d, String id, String text) {
        ((JavascriptExecutor) d).executeScript("var e = document.getElementById(arguments[0]); e.value = arguments[1];"
                + " e.dispatchEvent(new Event('input', {bubbles: true}));", id, text);
    }

    /** Every visible form field has a label (a label[for], a wrapping label or aria-label). */
    private static void assertLabelled(ChromeDriver d) {
        @SuppressWarnings("unchecked")
        List<String> unlabelled = new ArrayList<>((List<String>) ((JavascriptExecutor) d).executeScript(
                "return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))"
                        + ".filter(function (e) { return !(e.labels && e.labels.length) && !e.getAttribute('aria-label'); })"
                        + ".map(function (e) { return e.outerHTML; });"));
        assertThat(unlabelled).as("form fields without a label on " + d.getCurrentUrl()).isEmpty();
    }

    /** The elements reaching past the window's right edge, for a failure message. */
    private static Object tooWide(ChromeDriver d) {
        return ((JavascriptExecutor) d).executeScript("function clipped(e) { for (var p = e.parentElement; p; p = p.parentElement) {"
                + " var o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }"
                + " return false; }"
                + "return Array.from(document.querySelectorAll('body *'))"
                + ".filter(function (e) { return e.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(e); })"
                + ".slice(0, 8).map(function (e) { return e.tagName + '.' + e.className + '#' + e.id"
                + " + ' ' + Math.round(e.getBoundingClientRect().width) + 'px'; }).join(', ');");
    }

    /** How many pixels the page is wider than the window (0 or less: it fits). */
    private static long pageOverflow(ChromeDriver d) {
        return (Long) ((JavascriptExecutor) d).executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth;");
    }
}
