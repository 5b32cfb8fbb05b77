package io.perkamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** One in-process CLI run with its output captured. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Through the root command, as `perkamo ...` runs it. */
    static CliRun perkamo(String... args) {
        return of(PerkamoCli.commandLine(), args);
    }

    /** `perkamo spaces create` as a test's given: the test fails (with the command's stderr) unless it succeeds. */
    static void createSpace(String slug, String environment, int partitions, String bootstrapServers) {
        CliRun created = perkamo("spaces", "create", slug, "--environment", environment, "--partitions",
                String.valueOf(partitions), "--bootstrap-servers", bootstrapServers);
        assertThat(created.exitCode()).as(created.err()).isZero();
    }
}
