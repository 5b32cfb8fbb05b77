package io.perkamo.core.program;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ProgramSourceTest {
    private static final String YAML = String.join("\n",
            "wallets:",                                   // 1
            "  - {key: points, name: Points}",            // 2
            "levels:",                                    // 3
            "  wallet: points",                           // 4
            "  thresholds:",                              // 5
            "    - {level: 1, name: Bronze, at: 0}",      // 6
            "rules:",                                     // 7
            "  - key: purchase",                          // 8
            "    event: purchase.completed",              // 9
            "    award:",                                 // 10
            "      - {wallet: pointz, amount: 10}",       // 11
            "  - key: welcome",                           // 12
            "    event: user.registered",                 // 13
            "");

    @Test
    void shouldPlaceEachPathAtItsLine() {
        ProgramSource source = ProgramSource.of(YAML);

        assertThat(source.lineOf("wallets")).isEqualTo(1);
        assertThat(source.lineOf("wallets[0]")).isEqualTo(2);
        assertThat(source.lineOf("levels.thresholds[0].at")).isEqualTo(6);
        assertThat(source.lineOf("rules[0].award[0].wallet")).isEqualTo(11);
        assertThat(source.lineOf("rules[1].event")).isEqualTo(13);
    }

    @Test
    void shouldPlaceAMissingFieldAtItsObject() {
        ProgramSource source = ProgramSource.of(YAML);

        assertThat(source.lineOf("rules[1].award")).isEqualTo(12);
        assertThat(source.lineOf("")).isEqualTo(1);
    }

    @Test
    void shouldPlaceTheProblemsOfAParsedProgramAtTheirLines() {
        List<ProgramProblem> problems = ((ProgramParse.Invalid) Programs.parse(YAML)).problems();

        assertThat(problems).extracting(p -> ProgramSource.of(YAML).lineOf(p)).contains(11);
    }

    @Test
    void shouldPlaceASyntaxErrorAtTheErrorsLine() {
        String broken = "wallets:\n  - {key: points, name: Points}\nrules: [\n  - key: x\n";
        ProgramProblem problem = ((ProgramParse.Invalid) Programs.parse(broken)).problems().get(0);

        assertThat(problem.code()).isEqualTo(ProgramProblem.INVALID_SYNTAX);
        assertThat(ProgramSource.of(broken).lineOf(problem)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void shouldReadJsonProgramsToo() {
        String json = "{\n  \"wallets\": [\n    {\"key\": \"points\", \"name\": \"Points\"}\n  ],\n  \"rules\": []\n}";

        assertThat(ProgramSource.of(json).lineOf("wallets[0].name")).isEqualTo(3);
        assertThat(ProgramSource.of(json).lineOf("rules")).isEqualTo(5);
    }
}
