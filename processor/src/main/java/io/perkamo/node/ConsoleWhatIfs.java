package io.perkamo.node;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;

import io.perkamo.api.Simulator;
import io.perkamo.console.Console;

/**
 * The console's what-if over the same {@link Simulator} as {@code POST /v1/admin/simulate} (this
 * node's {@link ReplaySimulator}: its bounds, and one simulation at a time for both).
 */
final class ConsoleWhatIfs implements Console.WhatIfs {
    private final Simulator simulator;

    ConsoleWhatIfs(Simulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public Console.WhatIfRun simulate(String space, JsonNode program, Optional<Instant> effectiveAt) {
        Simulator.Result result = simulator.simulate(space, program, effectiveAt, OptionalLong.empty());
        if (result instanceof Simulator.Summary summary) {
            return new Console.Simulated(summary.summary());
        }
        if (result instanceof Simulator.InvalidProgram invalid) {
            return new Console.NotSimulated(invalid.problems().isEmpty() ? "The draft program is invalid."
                    : "The draft program is invalid: " + invalid.problems().get(0).message());
        }
        if (result instanceof Simulator.TooLarge tooLarge) {
            return new Console.NotSimulated("The Space's events topic holds more than " + tooLarge.limit()
                    + " records, the most a what-if reads on this server; run perkamo replay --program for a"
                    + " larger one.");
        }
        if (result instanceof Simulator.TooSlow tooSlow) {
            return new Console.NotSimulated("The what-if did not finish within " + tooSlow.limitMillis() / 1000
                    + " s; run perkamo replay --program for a larger one.");
        }
        return new Console.NotSimulated("Another what-if is running on this instance; try again shortly.");
    }
}
