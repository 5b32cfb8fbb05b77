/**
 * The Kafka Streams application: the topology as a pure function of its settings
 * ({@link io.perkamo.stream.PerkamoTopology#build}), small processors with one job each (route,
 * fold), the stores, the lifecycle ({@link io.perkamo.stream.PerkamoStreams}) and interactive
 * queries of the profile store.
 *
 * <p>Belongs here: anything that runs inside Kafka Streams. The fold itself is core's, the
 * topics are {@code topics}'; this package adapts them to Streams. May depend on control,
 * topics, core and schemas; never on api, node, local, cli or another feature package.
 */
package io.perkamo.stream;
