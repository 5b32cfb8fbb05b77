/**
 * The {@code perkamo} command line (picocli): {@code run} and {@code broker} (local mode and
 * instances), and the control-plane commands {@code spaces}, {@code keys}, {@code program}.
 *
 * <p>Shared parts: {@link io.perkamo.cli.CommandGroup} (a command of subcommands, carrying the
 * environment: tests pass their own), the {@link io.perkamo.cli.ControlOptions} mixin
 * ({@code --bootstrap-servers}, the master key from PERKAMO_MASTER_KEY or
 * $PERKAMO_HOME/master.key, output streams), {@link io.perkamo.cli.CliSupport} (expected
 * failures become one {@code perkamo: ...} line and exit code 1; environment, home and master
 * key) and {@link io.perkamo.cli.Tables}. A new command ({@code replay}, {@code export},
 * {@code webhooks}, {@code usage}, {@code keys policy|rotate}, {@code program diff}) is a
 * class with {@code @Mixin ControlOptions}, its body in {@code control.execute(...)}, added to
 * its group's {@code subcommands}; it calls the same operations as the API and console and
 * holds no business rule.
 *
 * <p>The outermost layer: may depend on node, local, control, topics, core and schemas;
 * nothing depends on it.
 */
package io.perkamo.cli;
