package io.perkamo.node;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.api.ProgramConfig;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.ProgramPublisher;
import io.perkamo.core.program.ProgramDiff;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.ProgramProblem;
import io.perkamo.core.program.Programs;

/**
 * Program uploads: the module replaces its part of the active program and the control plane's
 * {@link ProgramPublisher} does the rest (strict validation, removals and back-dating
 * confirmed, publication), as it does for the CLI and the console.
 */
final class ControlProgramConfig implements ProgramConfig {
    private final ControlPlane control;
    private final ProgramPublisher publisher;
    private final Clock clock;

    ControlProgramConfig(ControlPlane control, Clock clock) {
        this.control = control;
        this.publisher = new ProgramPublisher(control);
        this.clock = clock;
    }

    /**
     * The version in force, without {@code webhooks}: versions published before endpoints had a
     * place of their own may carry one (with whatever was put there), and no read answers it.
     */
    @Override
    public Optional<ObjectNode> active(String space) {
        return control.activeProgram(space, clock.instant()).map(v -> {
            ObjectNode program = v.program().deepCopy();
            program.remove("webhooks");
            return program;
        });
    }

    @Override
    public ConfigResult update(String space, String module, JsonNode body, PublishOptions options) {
        Optional<ObjectNode> program = merged(space, module, body);
        if (program.isEmpty()) {
            // the core says plainly what a program must be
            return invalid(((ProgramParse.Invalid) Programs.parse(body)).problems());
        }
        ProgramPublisher.Result result = publisher.publish(new ProgramPublisher.Request(space, program.get(),
                options.effectiveAt(), options.allowRemovals(), options.allowBackdating()), clock.instant());
        if (result instanceof ProgramPublisher.Published p) {
            return new Published(p.version().version(), p.version().effectiveAt(), changes(p.changes()));
        }
        if (result instanceof ProgramPublisher.Invalid i) {
            return invalid(i.problems());
        }
        if (result instanceof ProgramPublisher.RemovalsNotConfirmed r) {
            return new RemovalsNotConfirmed(changes(r.removals()), changes(r.changes()));
        }
        ProgramPublisher.BackdatingNotConfirmed b = (ProgramPublisher.BackdatingNotConfirmed) result;
        return new BackdatingNotConfirmed(b.requested(), b.activeEffectiveAt());
    }

    private static Invalid invalid(List<ProgramProblem> problems) {
        return new Invalid(problems.stream().map(p -> new ConfigProblem(p.path(), p.code(), p.message())).toList());
    }

    @Override
    public Optional<JsonNode> get(String space, String module) {
        return active(space).map(p -> "program".equals(module) ? p : p.get(module));
    }

    private static List<ConfigChange> changes(List<ProgramDiff.Change> changes) {
        return changes.stream().map(c -> new ConfigChange(c.kind().wire(), c.key(), c.action().wire(), c.line()))
                .toList();
    }

    /** The program to validate; empty when a whole program was sent as something other than an object. */
    private Optional<ObjectNode> merged(String space, String module, JsonNode body) {
        if ("program".equals(module)) {
            return body.isObject() ? Optional.of(((ObjectNode) body).deepCopy()) : Optional.empty();
        }
        ObjectNode program = active(space).orElseGet(JsonNodeFactory.instance::objectNode);
        // a module may be sent bare ([...]) or wrapped ({"rules": [...]})
        JsonNode part = body.isObject() && body.has(module) && body.size() == 1 ? body.get(module) : body;
        program.set(module, part);
        return Optional.of(program);
    }
}
