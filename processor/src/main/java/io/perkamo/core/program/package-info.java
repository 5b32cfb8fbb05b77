/**
 * The program model (SPEC section 3): parsing and validation that lists every problem,
 * compiled versions, and the history that picks the version in force at an event time.
 */
package io.perkamo.core.program;
