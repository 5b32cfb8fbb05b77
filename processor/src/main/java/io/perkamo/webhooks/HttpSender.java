package io.perkamo.webhooks;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

import io.perkamo.control.WebhookUrls;

/**
 * POSTs deliveries with Jetty's asynchronous client: no thread waits on a request, redirects
 * are never followed, cookies and authentication challenges are ignored. Live Spaces' requests
 * go through a client whose address resolver drops refused addresses
 * ({@link WebhookUrls#refused}) after DNS answered, so the address checked is the address
 * connected to (a name that resolves to 127.0.0.1 today is refused at send time).
 */
final class HttpSender implements AutoCloseable {
    /** What one attempt gave: an HTTP status, or none when no answer came (error says why). */
    record Answer(int status, long durationMs, String error) {
        boolean succeeded() {
            return status >= 200 && status < 300;
        }

        boolean gone() {
            return status == 410;
        }

        boolean answered() {
            return status > 0;
        }
    }

    static final String ADDRESS_REFUSED = "address_not_allowed";

    private final QueuedThreadPool threads;
    private final ScheduledExecutorScheduler scheduler;
    private final HttpClient testClient;
    private final HttpClient liveClient;
    private final Duration timeout;

    HttpSender(Duration timeout, int maxConnectionsPerDestination) {
        this(timeout, maxConnectionsPerDestination, Optional.empty());
    }

    /** @param dns how names are resolved (tests give their own); DNS by default */
    HttpSender(Duration timeout, int maxConnectionsPerDestination, Optional<SocketAddressResolver> resolver) {
        this.timeout = timeout;
        this.threads = new QueuedThreadPool(8, 2);
        threads.setName("perkamo-webhooks-http");
        threads.setDaemon(true);
        this.scheduler = new ScheduledExecutorScheduler("perkamo-webhooks-http-scheduler", true);
        SocketAddressResolver dns = resolver.orElseGet(
                () -> new SocketAddressResolver.Async(threads, scheduler, timeout.toMillis()));
        this.testClient = client(dns, maxConnectionsPerDestination, "perkamo-webhooks-test");
        this.liveClient = client(new Guarded(dns), maxConnectionsPerDestination, "perkamo-webhooks-live");
        try {
            threads.start();
            scheduler.start();
            testClient.start();
            liveClient.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot start the webhook HTTP client", e);
        }
    }

    private HttpClient client(SocketAddressResolver resolver, int maxConnections, String name) {
        HttpClient c = new HttpClient();
        c.setName(name);
        c.setExecutor(threads);
        c.setScheduler(scheduler);
        c.setSocketAddressResolver(resolver);
        c.setFollowRedirects(false);
        c.setHttpCookieStore(new HttpCookieStore.Empty());
        c.setUserAgentField(null);
        c.setConnectTimeout(timeout.toMillis());
        c.setIdleTimeout(Duration.ofSeconds(30).toMillis());
        c.setMaxConnectionsPerDestination(maxConnections);
        c.setMaxRequestsQueuedPerDestination(Math.max(1024, maxConnections * 4));
        // the protocol handlers (401 challenges, 100-continue ...) must not act on an endpoint's answer
        c.getProtocolHandlers().clear();
        return c;
    }

    /**
     * Sends one attempt; the future completes (never exceptionally) within about the timeout.
     *
     * @param live a live Space's request: refused addresses are not connected to
     */
    CompletableFuture<Answer> post(URI url, boolean live, Map<String, String> headers, byte[] body) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        long start = System.nanoTime();
        Request request;
        try {
            request = (live ? liveClient : testClient).newRequest(url).method(HttpMethod.POST)
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .headers(set(headers))
                    .body(new BytesRequestContent("application/json", body));
            request.send(result -> {
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                int status = result.getResponse() == null ? 0 : result.getResponse().getStatus();
                if (result.isSucceeded() || (status > 0 && !(result.getFailure() instanceof TimeoutException))) {
                    answer.complete(new Answer(status, ms, status >= 300 && status < 400
                            ? "redirect not followed (HTTP " + status + ")" : status >= 300 ? "HTTP " + status : ""));
                } else {
                    answer.complete(new Answer(0, ms, describe(result.getFailure())));
                }
            });
        } catch (RuntimeException e) {
            answer.complete(new Answer(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), describe(e)));
        }
        return answer;
    }

    private String describe(Throwable failure) {
        if (failure == null) {
            return "no answer";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof Refused) {
                break;
            }
            root = root.getCause();
        }
        if (failure instanceof Refused || root instanceof Refused) {
            return ADDRESS_REFUSED + ": " + (root instanceof Refused ? root.getMessage() : failure.getMessage());
        }
        if (failure instanceof TimeoutException || root instanceof TimeoutException) {
            return "timeout: no answer within " + timeout.toMillis() + " ms";
        }
        if (root instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (root instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return (root.getClass().getSimpleName() + message).substring(0,
                Math.min(300, (root.getClass().getSimpleName() + message).length()));
    }

    private static Consumer<HttpFields.Mutable> set(Map<String, String> headers) {
        return fields -> {
            headers.forEach(fields::put);
        };
    }

    @Override
    public void close() {
        for (Object o : new Object[] {liveClient, testClient, scheduler, threads}) {
            try {
                if (o instanceof org.eclipse.jetty.util.component.LifeCycle lc) {
                    lc.stop();
                }
            } catch (Exception e) {
                // closing: nothing to do
            }
        }
    }

    /** A resolution that left no address a live Space may reach. */
    static final class Refused extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** Resolves with DNS, then keeps only the addresses a live Space may reach. */
    private static final class Guarded implements SocketAddressResolver {
        private final SocketAddressResolver dns;

        Guarded(SocketAddressResolver dns) {
            this.dns = dns;
        }

        @Override
        public void resolve(String host, int port, Map<String, Object> context,
                            Promise<List<InetSocketAddress>> promise) {
            dns.resolve(host, port, context, new Promise<>() {
                @Override
                public void succeeded(List<InetSocketAddress> addresses) {
                    List<InetSocketAddress> allowed = addresses.stream()
                            .filter(a -> a.getAddress() != null && !WebhookUrls.refused(a.getAddress())).toList();
                    if (allowed.isEmpty()) {
                        promise.failed(new Refused(host + " resolves to " + addresses.stream()
                                .map(a -> a.getAddress() == null ? "?" : a.getAddress().getHostAddress()).toList()
                                + ", a loopback, private, link-local or metadata address"));
                    } else {
                        promise.succeeded(allowed);
                    }
                }

                @Override
                public void failed(Throwable x) {
                    promise.failed(x);
                }
            });
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
