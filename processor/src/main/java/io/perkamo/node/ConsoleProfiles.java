package io.perkamo.node;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import io.perkamo.api.ProfileQuery;
import io.perkamo.console.Console;
import io.perkamo.schemas.Json;
import io.perkamo.schemas.input.ProfileJson;

/**
 * The console's customer lookup over the same {@link ProfileQuery} as {@code GET /v1/customer}:
 * this instance's store when it owns the profile, else the owner's internal profile route (as
 * the API forwards a read), with the deployment's cluster secret.
 */
final class ConsoleProfiles implements Console.Profiles {
    /** The header the API's internal profile route checks (see api's ReadHandlers). */
    private static final String CLUSTER_SECRET_HEADER = "x-perkamo-cluster-secret";
    private final ProfileQuery profiles;
    private final String clusterSecret;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    ConsoleProfiles(ProfileQuery profiles, String clusterSecret, Duration timeout) {
        this.profiles = profiles;
        this.clusterSecret = clusterSecret;
        this.timeout = timeout;
    }

    @Override
    public Console.ProfileRead read(String space, String userId) {
        ProfileQuery.Lookup lookup = profiles.lookup(space, userId);
        if (lookup instanceof ProfileQuery.Local local) {
            return local.profile().<Console.ProfileRead>map(ConsoleProfiles::found).orElseGet(Console.NotFound::new);
        }
        if (lookup instanceof ProfileQuery.Remote remote) {
            return forward(remote.hostPort(), space, userId);
        }
        return new Console.Unavailable(((ProfileQuery.Unavailable) lookup).reason());
    }

    private Console.ProfileRead forward(String hostPort, String space, String userId) {
        URI uri = URI.create("http://" + hostPort + "/internal/v1/profile/" + encode(space) + "/" + encode(userId));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header(CLUSTER_SECRET_HEADER, clusterSecret)
                .header("accept", "application/json").GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return switch (response.statusCode()) {
                case 200 -> found(response.body());
                case 404 -> new Console.NotFound();
                default -> new Console.Unavailable("the instance holding this profile answered "
                        + response.statusCode());
            };
        } catch (IOException e) {
            return new Console.Unavailable("the instance holding this profile (" + hostPort + ") did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Console.Unavailable("interrupted");
        }
    }

    private static Console.ProfileRead found(byte[] json) {
        return new Console.Found(ProfileJson.fromJson(Json.read(json).orElseThrow(() ->
                new IllegalStateException("a stored profile that is not JSON"))));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

}
