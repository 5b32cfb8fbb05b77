package io.perkamo.stream;

import io.perkamo.schemas.input.Input;

/**
 * A validated input on its way from the router to the fold, with the Space it belongs to and
 * its original bytes (should the fold itself fail, they go to the DLQ untouched).
 */
record RoutedInput(String space, Input input, byte[] original) {
}
