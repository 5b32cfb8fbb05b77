/**
 * CEL conditions (dev.cel). Bounded: expressions up to 4096 code points, parse depth 64,
 * comprehensions up to 1000 iterations; runtime errors are values, never exceptions.
 */
package io.perkamo.core.cel;
