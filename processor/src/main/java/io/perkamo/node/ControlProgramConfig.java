package io.perkamo.node;

import java.time.Clock;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.api.ProgramConfig;
import io.perkamo.control.ControlPlane;
import io.perkamo.control.ProgramStore;
import io.perkamo.control.ProgramVersion;
import io.perkamo.core.program.ProgramParse;
import io.perkamo.core.program.Programs;

/**
 * Program uploads: the module replaces its part of the active program, the whole is
 * validated by the core (every problem listed), and only a valid program is published as a
 * new version, effective now (a Space's first program: from the beginning).
 */
final class ControlProgramConfig implements ProgramConfig {
    private final ControlPlane control;
    private final ProgramStore store;
    private final Clock clock;

    ControlProgramConfig(ControlPlane control, Clock clock) {
        this.control = control;
        this.store = new ProgramStore(control);
        this.clock = clock;
    }

    @Override
    public Optional<ObjectNode> active(String space) {
        return control.activeProgram(space, clock.instant()).map(ProgramVersion::program);
    }

    @Override
    public ConfigResult update(String space, String module, JsonNode body) {
        ObjectNode program = merged(space, module, body);
        ProgramParse parsed = Programs.parse(program);
        if (parsed instanceof ProgramParse.Invalid invalid) {
            return new Invalid(invalid.problems().stream()
                    .map(p -> new ConfigProblem(p.path(), p.code(), p.message())).toList());
        }
        return new Published(store.publishFromNow(space, program, clock.instant()).version());
    }

    @Override
    public Optional<JsonNode> get(String space, String module) {
        return active(space).map(p -> "program".equals(module) ? p : p.get(module));
    }

    private ObjectNode merged(String space, String module, JsonNode body) {
        if ("program".equals(module)) {
            return body.isObject() ? ((ObjectNode) body).deepCopy() : JsonNodeFactory.instance.objectNode();
        }
        ObjectNode program = active(space).orElseGet(JsonNodeFactory.instance::objectNode);
        // a module may be sent bare ([...]) or wrapped ({"rules": [...]})
        JsonNode part = body.isObject() && body.has(module) && body.size() == 1 ? body.get(module) : body;
        program.set(module, part);
        return program;
    }
}
