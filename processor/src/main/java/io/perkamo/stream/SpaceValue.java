package io.perkamo.stream;

/** An output value with the Space whose topic it goes to; the sinks' topic-name extractor reads it. */
record SpaceValue<V>(String space, V value) {
}
