/**
 * The Perkamo contract: the Avro schemas (generated into {@code io.perkamo.schemas.avro}) and
 * what producers and the engine share around them. Subpackages: {@code input} (JSON and Avro
 * inputs to validated {@code Input} values, and the JSON shapes of outcomes and profiles),
 * {@code wire} (Confluent wire-format serdes), {@code registry} (schema-registry clients).
 * This module knows nothing of Kafka Streams; kafka-clients is here only for the
 * Serializer and Deserializer interfaces. {@link io.perkamo.schemas.AvroTrust} must be
 * installed before generated classes are built outside this module's serdes and mappers.
 */
package io.perkamo.schemas;
