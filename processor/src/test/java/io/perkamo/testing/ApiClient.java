package io.perkamo.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Real HTTP (java.net.http) to a running instance, the way a curl user calls it: the API key in
 * {@code x-perkamo-api-key}, JSON bodies, answers read as JSON. Unsigned; the SDK's signed calls
 * are {@code api.TestApi}'s.
 */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;
    private final Optional<String> key;

    private ApiClient(String baseUrl, Optional<String> key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    /** Calls with the key. */
    public static ApiClient of(String baseUrl, String key) {
        return new ApiClient(baseUrl, Optional.of(key));
    }

    /** Calls without a key (health, metrics, the schema registry). */
    public static ApiClient of(String baseUrl) {
        return new ApiClient(baseUrl, Optional.empty());
    }

    public ApiClient withKey(String otherKey) {
        return of(baseUrl, otherKey);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    /** A request to the path with the key (if any) and a timeout; add the method and headers. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT);
        key.ifPresent(k -> request.header("x-perkamo-api-key", k));
        return request;
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a JSON body; the answer whatever its status. */
    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(request(path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** GETs the path; the answer whatever its status. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    /** POSTs a JSON body, asserts the status (the body is the failure's description), returns the JSON answer. */
    public JsonNode post(String path, String body, int status) throws IOException, InterruptedException {
        return json(expect(post(path, body), status));
    }

    /** GETs the path, asserts the status (the body is the failure's description), returns the JSON answer. */
    public JsonNode get(String path, int status) throws IOException, InterruptedException {
        return json(expect(get(path), status));
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response;
    }

    public static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }
}
