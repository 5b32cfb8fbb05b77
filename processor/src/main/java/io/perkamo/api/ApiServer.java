package io.perkamo.api;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.util.JavalinBindException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The Perkamo v1 HTTP API (SPEC section 2), wire-compatible with the official SDKs, plus
 * {@code /health/live}, {@code /health/ready} and {@code /metrics}. It reaches the rest of the
 * system only through the interfaces it is given.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("perkamo.access");
    private static final int RESULT_COPY_BUFFER_BYTES = 4096;
    private static final String CLIENT_PREFIX = "/v1/client/";

    /**
     * @param port          0 for any free port
     * @param clusterSecret shared by the instances of one deployment; protects the internal
     *                      read route (empty disables it)
     * @param ingestTimeout how long a request waits for the processor's decision
     * @param maxBodyBytes  larger bodies get 413 {@code payload_too_large}
     * @param clock         server time, for signature windows and default {@code occurred_at}
     */
    public record Config(int port, String clusterSecret, Duration ingestTimeout, long maxBodyBytes, Clock clock) {
        public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

        public Config {
            Objects.requireNonNull(clusterSecret, "clusterSecret");
            Objects.requireNonNull(ingestTimeout, "ingestTimeout");
            Objects.requireNonNull(clock, "clock");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (ingestTimeout.isNegative() || ingestTimeout.isZero()) {
                throw new IllegalArgumentException("ingestTimeout must be positive");
            }
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive");
            }
        }
    }

    private final Config config;
    private final PrometheusMeterRegistry registry;
    private final Readiness readiness;
    private final IngestHandlers ingest;
    private final ReadHandlers reads;
    private final AdminHandlers admin;
    private final AccessHandlers access;
    private final KeyHandlers keyAdmin;
    private final Cors cors;
    private final WebhookHandlers webhooks;
    private final RateLimitHandlers rateLimits;
    private final DocsHandlers docs = new DocsHandlers();
    /** "GET /v1/customer/{user_id}": every route as registered (for the reference's test). */
    private final java.util.Set<String> registered = new java.util.concurrent.ConcurrentSkipListSet<>();
    private final Guard guard;
    private SimulateHandler simulate;
    private UsageHandlers usage;
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();
    private final List<Extension> extensions = new ArrayList<>();
    private Javalin app;

    /** Routes of another part served by this same server (the console), added by node's wiring. */
    @FunctionalInterface
    public interface Extension {
        /** @param named wraps a handler so the access log and metrics name its route template */
        void install(JavalinConfig config, BiFunction<String, Handler, Handler> named);
    }

    /** Without browser tokens and key management (their routes answer 501). */
    public ApiServer(Config config, KeyDirectory keys, InputValidator validator, IngestGateway gateway,
                     ProfileQuery profiles, ProgramConfig programs, Readiness readiness,
                     PrometheusMeterRegistry registry) {
        this(config, keys, validator, gateway, profiles, programs, Optional.empty(), readiness, registry,
                ClientAccess.NONE, KeyAdmin.NONE);
    }

    /** Without webhooks (their routes answer 501). */
    public ApiServer(Config config, KeyDirectory keys, InputValidator validator, IngestGateway gateway,
                     ProfileQuery profiles, ProgramConfig programs, Readiness readiness,
                     PrometheusMeterRegistry registry, ClientAccess clientAccess, KeyAdmin keyAdmin) {
        this(config, keys, validator, gateway, profiles, programs, Optional.empty(), readiness, registry,
                clientAccess, keyAdmin);
    }

    /** Without browser tokens and key management (their routes answer 501). */
    public ApiServer(Config config, KeyDirectory keys, InputValidator validator, IngestGateway gateway,
                     ProfileQuery profiles, ProgramConfig programs, Optional<WebhookConfig> webhooks,
                     Readiness readiness, PrometheusMeterRegistry registry) {
        this(config, keys, validator, gateway, profiles, programs, webhooks, readiness, registry, ClientAccess.NONE,
                KeyAdmin.NONE);
    }

    /**
     * @param webhooks     endpoints and deliveries; without them the webhook routes answer 501
     * @param clientAccess browser tokens and the client routes
     * @param keyAdmin     key management
     */
    public ApiServer(Config config, KeyDirectory keys, InputValidator validator, IngestGateway gateway,
                     ProfileQuery profiles, ProgramConfig programs, Optional<WebhookConfig> webhooks,
                     Readiness readiness, PrometheusMeterRegistry registry, ClientAccess clientAccess,
                     KeyAdmin keyAdmin) {
        this(config, keys, validator, gateway, profiles, programs, webhooks, readiness, registry, clientAccess,
                keyAdmin, RateLimitConfig.FIXED_DEFAULTS);
    }

    /** @param rateLimits the Spaces' rate limits (and their admin routes) */
    public ApiServer(Config config, KeyDirectory keys, InputValidator validator, IngestGateway gateway,
                     ProfileQuery profiles, ProgramConfig programs, Optional<WebhookConfig> webhooks,
                     Readiness readiness, PrometheusMeterRegistry registry, ClientAccess clientAccess,
                     KeyAdmin keyAdmin, RateLimitConfig rateLimits) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.guard = new Guard(Objects.requireNonNull(keys, "keys"), config.clock(), config.maxBodyBytes(),
                new RateLimiter(Objects.requireNonNull(rateLimits, "rateLimits"), config.clock()));
        this.rateLimits = new RateLimitHandlers(guard, rateLimits);
        this.ingest = new IngestHandlers(guard, Objects.requireNonNull(validator, "validator"),
                Objects.requireNonNull(gateway, "gateway"), config.ingestTimeout(), config.clock());
        this.reads = new ReadHandlers(guard, Objects.requireNonNull(profiles, "profiles"),
                Objects.requireNonNull(programs, "programs"), config.clusterSecret(), config.ingestTimeout());
        this.webhooks = new WebhookHandlers(guard, Objects.requireNonNull(webhooks, "webhooks"));
        this.admin = new AdminHandlers(guard, programs, this.webhooks);
        this.cors = new Cors(Objects.requireNonNull(clientAccess, "clientAccess"));
        this.access = new AccessHandlers(guard, new ClientAuth(clientAccess, guard, cors), clientAccess, ingest,
                reads);
        this.keyAdmin = new KeyHandlers(guard, Objects.requireNonNull(keyAdmin, "keyAdmin"), config.clock());
    }

    /** The what-if behind POST /v1/admin/simulate (before {@link #start}); without one it answers 501. */
    public synchronized ApiServer simulator(Simulator simulator) {
        this.simulate = new SimulateHandler(guard, Objects.requireNonNull(simulator, "simulator"));
        return this;
    }

    /** The usage meters behind GET /v1/usage (before {@link #start}); without them it answers 501. */
    public synchronized ApiServer usage(UsageQuery meters) {
        this.usage = new UsageHandlers(guard, Optional.of(Objects.requireNonNull(meters, "meters")), config.clock());
        return this;
    }

    /** Adds routes before {@link #start}; their paths must not overlap the API's. */
    public synchronized ApiServer extend(Extension extension) {
        if (app != null) {
            throw new IllegalStateException("already started");
        }
        extensions.add(Objects.requireNonNull(extension, "extension"));
        return this;
    }

    /** Binds the port and serves; fails with the port named when it is taken. */
    public synchronized ApiServer start() {
        if (app != null) {
            throw new IllegalStateException("already started");
        }
        Javalin created = Javalin.create(this::configure);
        try {
            created.start(config.port());
        } catch (JavalinBindException e) {
            created.stop();
            throw new IllegalStateException("port " + config.port() + " (HTTP API) is already in use: stop whatever"
                    + " listens on it or choose another port", e);
        }
        app = created;
        LOG.info("HTTP API listening on port {}", created.port());
        return this;
    }

    /** The routes as registered, "METHOD /path/{param}" (once started). */
    java.util.Set<String> routes() {
        return java.util.Set.copyOf(registered);
    }

    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("not started");
        }
        return app.port();
    }

    @Override
    public synchronized void close() {
        if (app != null) {
            app.stop();
            app = null;
            LOG.info("HTTP API stopped");
        }
    }

    private void configure(JavalinConfig cfg) {
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.http.prefer405over404 = true;
        cfg.http.maxRequestSize = config.maxBodyBytes();
        // Javalin copies every result to the response through a new buffer of this size (default:
        // Jetty's 32 KiB output buffer): 60% of a profile read's garbage, for answers of ~1 KiB
        cfg.http.responseBufferSize = RESULT_COPY_BUFFER_BYTES;
        cfg.http.defaultContentType = Responses.JSON;
        cfg.router.ignoreTrailingSlashes = false;
        cfg.jetty.modifyHttpConfiguration(http -> {
            http.setSendServerVersion(false);
            // user ids may contain '/', sent as %2F
            http.setUriCompliance(UriCompliance.DEFAULT.with("perkamo",
                    UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        });
        cfg.jetty.modifyServletContextHandler(h -> {
            h.getServletHandler().setDecodeAmbiguousURIs(true);
            h.setErrorHandler(new JsonErrorHandler());
        });
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        cfg.requestLogger.http(this::logRequest);
        cfg.events.handlerAdded(h -> {
            if (h.getHttpMethod().isHttpMethod()) {
                registered.add(h.getHttpMethod().name() + " " + h.getPath().replace('<', '{').replace('>', '}'));
            }
        });

        var routes = cfg.routes;
        routes.before(ctx -> {
            ctx.attribute(Responses.REQUEST_ID_ATTRIBUTE, RequestIds.next());
            ctx.header(RequestIds.HEADER, Responses.requestId(ctx));
        });

        routes.post("/v1/identify", route("/v1/identify", ingest::identify));
        routes.post("/v1/events", route("/v1/events", ingest::event));
        routes.post("/v1/events:batch", route("/v1/events:batch", ingest::batch));
        routes.get("/v1/customer/<user_id>", route("/v1/customer/{user_id}", ctx -> reads.profile(ctx, "/v1/customer/")));
        routes.get("/v1/profile/<user_id>", route("/v1/profile/{user_id}", ctx -> reads.profile(ctx, "/v1/profile/")));
        routes.get("/v1/program", route("/v1/program", reads::program));
        routes.post("/v1/admin/config/{module}", route("/v1/admin/config/{module}", admin::update));
        routes.get("/v1/admin/config/{module}", route("/v1/admin/config/{module}", admin::get));
        SimulateHandler simulating = simulate;
        routes.post("/v1/admin/simulate", route("/v1/admin/simulate",
                simulating == null ? ApiServer::notImplemented : simulating::simulate));
        routes.post("/v1/rewards/redeem", route("/v1/rewards/redeem", ingest::redeem));
        routes.get("/v1/admin/webhooks/deliveries", route("/v1/admin/webhooks/deliveries", webhooks::deliveries));
        routes.post("/v1/admin/webhooks/deliveries/{delivery_id}/resend",
                route("/v1/admin/webhooks/deliveries/{delivery_id}/resend", webhooks::resend));
        routes.get(ReadHandlers.INTERNAL_PREFIX + "{space}/<user_id>",
                route("/internal/v1/profile/{space}/{user_id}", reads::internalProfile));

        routes.get("/v1/admin/keys", route("/v1/admin/keys", keyAdmin::list));
        routes.post("/v1/admin/keys", route("/v1/admin/keys", keyAdmin::create));
        routes.post("/v1/admin/keys/{id}/revoke", route("/v1/admin/keys/{id}/revoke", keyAdmin::revoke));
        routes.post("/v1/admin/keys/{id}/rotate", route("/v1/admin/keys/{id}/rotate", keyAdmin::rotate));
        routes.post("/v1/admin/keys/{id}/policy", route("/v1/admin/keys/{id}/policy", keyAdmin::policy));
        routes.get("/v1/admin/rate-limits", route("/v1/admin/rate-limits", rateLimits::get));
        routes.post("/v1/admin/rate-limits", route("/v1/admin/rate-limits", rateLimits::update));
        routes.post("/v1/browser-tokens", route("/v1/browser-tokens", access::mint));
        routes.get("/v1/client/customer", route("/v1/client/customer", access::customer));
        routes.post("/v1/client/events", route("/v1/client/events", access::event));
        routes.addHttpHandler(HandlerType.OPTIONS, "/v1/client/<rest>", route("/v1/client/*", cors::preflight));

        UsageHandlers metering = usage;
        routes.get("/v1/usage", route("/v1/usage", metering == null ? ApiServer::notImplemented : metering::usage));
        // later issues: the client stream
        routes.get("/v1/client/stream", route("/v1/client/stream", ApiServer::notImplemented));

        routes.get("/openapi.json", route("/openapi.json", docs::openapi));
        routes.get("/docs", route("/docs", docs::page));
        routes.get("/docs/{file}", route("/docs/{file}", docs::asset));
        routes.get("/health/live", route("/health/live", ctx -> Responses.json(ctx, 200, Json.object().put("status", "up"))));
        routes.get("/health/ready", route("/health/ready", this::ready));
        routes.get("/metrics", route("/metrics", ctx -> {
            ctx.header(RequestIds.HEADER, Responses.requestId(ctx));
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8");
            ctx.result(registry.scrape());
        }));

        extensions.forEach(e -> e.install(cfg, ApiServer::route));

        routes.exception(ApiError.class, (e, ctx) -> {
            if (ctx.path().startsWith(CLIENT_PREFIX)) {
                cors.forError(ctx);
            }
            Responses.error(ctx, e);
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> Responses.error(ctx, fromJavalin(e)));
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.warn("unexpected failure, request {}", Responses.requestId(ctx), e);
            Responses.error(ctx, new ApiError(500, "internal_error", "internal error; the request id names it"));
        });
        routes.error(404, ctx -> jsonIfEmpty(ctx, 404, "not_found", "no such route"));
        routes.error(405, ctx -> jsonIfEmpty(ctx, 405, "method_not_allowed", "this route does not accept " + ctx.method()));
    }

    private static Handler route(String template, Handler handler) {
        return ctx -> {
            ctx.attribute(Responses.ROUTE_ATTRIBUTE, template);
            handler.handle(ctx);
        };
    }

    private static void notImplemented(Context ctx) {
        throw new ApiError(501, "not_implemented", "this endpoint is not implemented by this server yet");
    }

    private void ready(Context ctx) {
        boolean ok;
        String detail;
        try {
            ok = readiness.ready();
            detail = readiness.detail();
        } catch (RuntimeException e) {
            ok = false;
            detail = "readiness check failed: " + e.getClass().getSimpleName();
        }
        if (ok) {
            Responses.json(ctx, 200, Json.object().put("status", "ready").put("detail", detail));
        } else {
            ApiError e = new ApiError(503, "not_ready", "this instance is not ready to serve",
                    Json.object().put("status", "not_ready").put("detail", detail), Map.of());
            Responses.error(ctx, e);
        }
    }

    private static void jsonIfEmpty(Context ctx, int status, String code, String message) {
        String type = ctx.res().getContentType();
        if (type != null && type.startsWith("text/html")) {
            return; // an extension's page (the console) answered this itself
        }
        String current = ctx.result();
        if (current == null || current.isEmpty() || !current.startsWith("{")) {
            Responses.error(ctx, new ApiError(status, code, message));
        }
    }

    private ApiError fromJavalin(HttpResponseException e) {
        int status = e.getStatus();
        return switch (status) {
            case 404 -> new ApiError(404, "not_found", "no such route");
            case 405 -> new ApiError(405, "method_not_allowed", "this route does not accept this method");
            case 413 -> Guard.tooLarge(config.maxBodyBytes());
            case 400 -> new ApiError(400, "bad_request", e.getMessage() == null ? "bad request" : e.getMessage());
            default -> new ApiError(status, "http_" + status, e.getMessage() == null ? "error" : e.getMessage());
        };
    }

    private record TimerKey(String method, String route, int status) {
    }

    private void logRequest(Context ctx, Float millis) {
        String route = ctx.attribute(Responses.ROUTE_ATTRIBUTE);
        String method = ctx.req().getMethod();
        int status = ctx.statusCode();
        long nanos = (long) (millis * 1_000_000L);
        // one Timer per method, route and status: looked up here, not built and registered per request
        TimerKey key = new TimerKey(method, route == null ? "unmatched" : route, status);
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> Timer.builder("http.server.requests")
                    .description("HTTP requests of the Perkamo API")
                    .tag("method", k.method())
                    .tag("route", k.route())
                    .tag("status", Integer.toString(k.status()))
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
        if (ACCESS.isInfoEnabled()) {
            String shown = route != null ? route : truncate(ctx.req().getRequestURI());
            ACCESS.info("{} {} {} {}ms {}", method, shown, status, tenths(millis), Responses.requestId(ctx));
        }
    }

    /** {@code %.1f} without a Formatter: 27.46 -> "27.5". */
    static String tenths(float millis) {
        long t = Math.round(Math.max(0, millis) * 10.0);
        return (t / 10) + "." + (t % 10);
    }

    private static String truncate(String path) {
        return path.length() > 200 ? path.substring(0, 200) + "..." : path;
    }
}
