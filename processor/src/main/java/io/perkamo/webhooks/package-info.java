/**
 * Webhook delivery (SPEC section 5): a worker that reads the Space's outcomes topics
 * ({@code read_committed}), keeps its progress and the delivery log in Kafka, and POSTs signed
 * Standard Webhooks requests with retries; never a side effect of the fold.
 *
 * <p>May depend on control (endpoints, secrets), topics, core and schemas; wired in node.
 */
package io.perkamo.webhooks;
