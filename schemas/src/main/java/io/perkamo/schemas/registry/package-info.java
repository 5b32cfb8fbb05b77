/**
 * Talking to a schema registry: the Confluent REST subset Perkamo needs (register, schema by
 * id, subjects, subject versions, compatibility against the latest version). One interface,
 * {@link io.perkamo.schemas.registry.SchemaRegistryClient}, with an HTTP implementation that
 * works against Confluent, Apicurio (ccompat), Karapace and Redpanda, and an in-memory
 * reference implementation for tests and for the local registry endpoint. Only AVRO schemas
 * are understood; errors carry the registry's HTTP status and Confluent error code.
 */
package io.perkamo.schemas.registry;
