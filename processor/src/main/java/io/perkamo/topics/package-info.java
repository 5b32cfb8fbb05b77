/**
 * The Kafka contract's topics in one place ({@link io.perkamo.topics.Topics}): names, key and
 * value serdes (by the deployment's {@link io.perkamo.topics.WireFormats}), configuration,
 * headers, partitioning and how an events record is decoded; plus the Kafka client helpers
 * every reader and writer shares (client configurations, topic creation and readiness).
 *
 * <p>Depends on schemas only (and kafka-clients). Everything that reads or writes a topic
 * (stream, api's ingest, control, replay, webhooks, usage, local) goes through here; core
 * never does.
 */
package io.perkamo.topics;
