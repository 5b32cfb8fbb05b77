/**
 * Zero-setup local mode: an in-JVM KRaft broker, a Confluent-compatible schema-registry
 * endpoint backed by a compacted topic, the data directory ({@code PERKAMO_HOME}) and the demo
 * Space that {@code perkamo run} provisions.
 *
 * <p>Used by cli (and tests); may depend on control, topics, core and schemas. Nothing but cli
 * depends on it: a deployment against a real cluster runs without this package.
 */
package io.perkamo.local;
