package io.perkamo.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.javalin.http.Context;

/**
 * Reads: GET /v1/customer/{user_id}, /v1/profile/{user_id} and /v1/program, and the internal
 * route a peer instance forwards a profile read to. A read for a key owned by another instance
 * is forwarded once to its owner; the internal route only answers from local stores, so a read
 * never loops.
 */
final class ReadHandlers {
    static final String CLUSTER_SECRET_HEADER = "x-perkamo-cluster-secret";
    static final String INTERNAL_PREFIX = "/internal/v1/profile/";
    private static final Logger LOG = LoggerFactory.getLogger(ReadHandlers.class);

    private final Guard guard;
    private final ProfileQuery profiles;
    private final ProgramConfig programs;
    private final byte[] clusterSecret;
    private final HttpClient http;
    private final Duration forwardTimeout;

    ReadHandlers(Guard guard, ProfileQuery profiles, ProgramConfig programs, String clusterSecret,
                 Duration forwardTimeout) {
        this.guard = guard;
        this.profiles = profiles;
        this.programs = programs;
        this.clusterSecret = clusterSecret.getBytes(StandardCharsets.UTF_8);
        this.forwardTimeout = forwardTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    void profile(Context ctx, String prefix) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.PROFILE_READ);
        Guard.checkTenant(call.caller(), ctx, null);
        answerProfile(ctx, call.caller().space(), userIdAfter(ctx, prefix));
    }

    /** A user's profile, from this instance or forwarded once to its owner: for server and client routes. */
    void answerProfile(Context ctx, String space, String userId) {
        String requestId = Responses.requestId(ctx);
        ProfileQuery.Lookup lookup = profiles.lookup(space, userId);
        if (lookup instanceof ProfileQuery.Local local) {
            answerLocal(ctx, local.profile());
        } else if (lookup instanceof ProfileQuery.Unavailable unavailable) {
            throw ApiError.unavailable("profile_unavailable",
                    "profiles are not queryable right now (" + unavailable.reason() + "); retry shortly");
        } else {
            String hostPort = ((ProfileQuery.Remote) lookup).hostPort();
            ctx.future(() -> forward(hostPort, space, userId, requestId)
                    .handle((response, failure) -> {
                        relay(ctx, response, failure, hostPort, requestId);
                        return null;
                    }));
        }
    }

    private static void answerLocal(Context ctx, Optional<byte[]> profile) {
        if (profile.isEmpty()) {
            throw ApiError.notFound("customer_not_found", "no profile for this user_id in this Space");
        }
        Responses.json(ctx, 200, profile.get());
    }

    private CompletableFuture<HttpResponse<byte[]>> forward(String hostPort, String space, String userId,
                                                            String requestId) {
        URI uri = URI.create("http://" + hostPort + INTERNAL_PREFIX + PathCodec.encode(space) + "/"
                + PathCodec.encode(userId));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(forwardTimeout)
                .header(CLUSTER_SECRET_HEADER, new String(clusterSecret, StandardCharsets.UTF_8))
                .header(RequestIds.HEADER, requestId)
                .header("accept", "application/json")
                .GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void relay(Context ctx, HttpResponse<byte[]> response, Throwable failure, String hostPort,
                              String requestId) {
        if (failure != null) {
            LOG.warn("forwarding profile read to {} failed, request {}: {}", hostPort, requestId, failure.toString());
            Responses.error(ctx, ApiError.unavailable("profile_unavailable",
                    "the instance owning this profile did not answer; retry shortly"));
            return;
        }
        int status = response.statusCode();
        if (status == 200) {
            try {
                Responses.json(ctx, 200, Json.parse(response.body()));
            } catch (ApiError e) {
                Responses.error(ctx, ApiError.unavailable("profile_unavailable", "the owner's answer was not JSON"));
            }
        } else if (status == 404) {
            Responses.error(ctx, ApiError.notFound("customer_not_found", "no profile for this user_id in this Space"));
        } else {
            LOG.info("owner {} answered {} to a forwarded profile read, request {}", hostPort, status, requestId);
            Responses.error(ctx, ApiError.unavailable("profile_unavailable",
                    "the owner of this profile is moving; retry shortly"));
        }
    }

    /** The internal route: a peer asks this instance, the owner, for a profile. */
    void internalProfile(Context ctx) {
        String presented = ctx.header(CLUSTER_SECRET_HEADER);
        if (clusterSecret.length == 0 || presented == null
                || !MessageDigest.isEqual(clusterSecret, presented.getBytes(StandardCharsets.UTF_8))) {
            throw ApiError.forbidden("forbidden", "internal route: cluster secret missing or wrong");
        }
        String forwardedId = ctx.header(RequestIds.HEADER);
        if (RequestIds.wellFormed(forwardedId)) {
            ctx.attribute(Responses.REQUEST_ID_ATTRIBUTE, forwardedId);
            ctx.header(RequestIds.HEADER, forwardedId);
        }
        String rest = ctx.req().getRequestURI().substring(INTERNAL_PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw ApiError.notFound("not_found", "expected /internal/v1/profile/{space}/{user_id}");
        }
        String space = PathCodec.decode(rest.substring(0, slash))
                .orElseThrow(() -> ApiError.badRequest("invalid_space", "malformed space"));
        String userId = PathCodec.decode(rest.substring(slash + 1))
                .orElseThrow(() -> ApiError.badRequest("invalid_user_id", "malformed user_id encoding"));
        if (profiles.lookup(space, userId) instanceof ProfileQuery.Local local) {
            answerLocal(ctx, local.profile());
        } else {
            throw ApiError.unavailable("not_owner", "this instance does not own the profile (any more)");
        }
    }

    void program(Context ctx) {
        Guard.Call call = guard.authenticate(ctx, ApiCaller.Scopes.PROFILE_READ);
        Guard.checkTenant(call.caller(), ctx, null);
        String space = call.caller().space();
        JsonNode answer = programs.active(space)
                .<JsonNode>map(p -> ProgramView.render(space, p))
                .orElseGet(() -> ProgramView.empty(space));
        Responses.json(ctx, 200, answer);
    }

    /** The user id as sent: the rest of the raw path, percent-decoded (so %2F stays in the id). */
    private static String userIdAfter(Context ctx, String prefix) {
        String raw = ctx.req().getRequestURI();
        String encoded = raw.startsWith(prefix) ? raw.substring(prefix.length()) : "";
        if (encoded.isEmpty()) {
            throw ApiError.notFound("not_found", "expected " + prefix + "{user_id}");
        }
        return PathCodec.decode(encoded)
                .orElseThrow(() -> ApiError.badRequest("invalid_user_id",
                        "the user_id in the path is not valid percent-encoded UTF-8"));
    }
}
