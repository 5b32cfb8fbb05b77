/**
 * Pure conversions between the fold's values (core/fold) and the contract's Avro records
 * (schemas/): outcomes, profiles and stored decisions, and the state stores' byte encoding.
 * Shared by the stream, replay and every reader of the state topics, so that all of them
 * write and read exactly the same bytes. No Kafka, no I/O.
 */
package io.perkamo.core.codec;
