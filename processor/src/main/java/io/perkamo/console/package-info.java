/**
 * The operator console at {@code /console}: server-rendered pages and fragments over the same
 * control-plane and admin operations as the API and CLI. No business rule lives in a template
 * or in JavaScript.
 *
 * <p>May depend on control, topics, core and schemas; wired in node.
 */
package io.perkamo.console;
