package io.perkamo.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reduced fault injection (scripts/chaos runs the full one): its own broker process, one
 * `perkamo run` process SIGKILLed and restarted 3 times while 20,000 inputs with retries are
 * produced; afterwards the profiles, outcomes and API must agree with the reference model.
 * No timing is asserted.
 */
class ChaosIT {
    @TempDir
    Path work;

    @Test
    void shouldApplyEveryInputExactlyOnceAcrossProcessorKills() throws Exception {
        // given
        ChaosRunner.Config config = new ChaosRunner.Config(20_000, 200, 1, 500, 3, false, false,
                Duration.ofSeconds(20), Duration.ofSeconds(6), work, 11, 20, Duration.ofSeconds(120));
        // when
        ChaosRunner.Report report = new ChaosRunner(config).run();
        // then
        assertThat(report.kills()).isGreaterThanOrEqualTo(3);
        assertThat(report.inputs()).isGreaterThanOrEqualTo(20_000);
        assertThat(report.lost()).as("inputs without an outcome").isZero();
        assertThat(report.extraOutcomes()).as("outcomes beyond one per input").isZero();
        assertThat(report.appliedTwice()).as("transactions applied twice").isZero();
        assertThat(report.profileMismatches()).as("profiles that differ from the reference model").isZero();
        assertThat(report.negativeProfileRecords()).as("committed profile records with a negative balance").isZero();
        assertThat(report.apiMismatches()).as("API answers that differ from the reference model").isZero();
        assertThat(report.dlq()).isZero();
    }
}
