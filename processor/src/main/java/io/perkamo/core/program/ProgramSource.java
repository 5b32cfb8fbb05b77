package io.perkamo.core.program;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import io.perkamo.schemas.Json;

/**
 * Where the parts of a program text are: the line of each path a {@link ProgramProblem} names
 * ({@code rules[2].award[0].amount}), so an editor can show a problem at its line. Reads the
 * text as {@link Programs#parse(String)} does (JSON when it starts with '{', else YAML), token by
 * token; a text that does not parse still maps what came before the error, and the error's line.
 */
public final class ProgramSource {
    private final Map<String, Integer> lines;
    private final OptionalInt syntaxErrorLine;

    private ProgramSource(Map<String, Integer> lines, OptionalInt syntaxErrorLine) {
        this.lines = Map.copyOf(lines);
        this.syntaxErrorLine = syntaxErrorLine;
    }

    public static ProgramSource of(String text) {
        Map<String, Integer> lines = new HashMap<>();
        lines.put("", 1);
        if (text == null || text.isBlank()) {
            return new ProgramSource(lines, OptionalInt.empty());
        }
        boolean json = text.stripLeading().startsWith("{");
        try (JsonParser p = (json ? Json.MAPPER : Programs.YAML).getFactory().createParser(text)) {
            walk(p, lines);
            return new ProgramSource(lines, OptionalInt.empty());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return new ProgramSource(lines, at == null || at.getLineNr() < 1 ? OptionalInt.empty()
                    : OptionalInt.of(at.getLineNr()));
        } catch (IOException e) {
            return new ProgramSource(lines, OptionalInt.empty());
        }
    }

    /**
     * The line of {@code path}, or of the nearest enclosing part that is in the text (a missing
     * field is shown at its object); a problem without a path is at the syntax error's line, or 1.
     */
    public int lineOf(String path) {
        if ((path == null || path.isEmpty()) && syntaxErrorLine.isPresent()) {
            return syntaxErrorLine.getAsInt();
        }
        String p = path == null ? "" : path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            p = parent(p);
        }
    }

    /** The line of {@code problem}: its path's, or for a syntax problem the error's. */
    public int lineOf(ProgramProblem problem) {
        if (ProgramProblem.INVALID_SYNTAX.equals(problem.code()) && syntaxErrorLine.isPresent()) {
            return syntaxErrorLine.getAsInt();
        }
        return lineOf(problem.path());
    }

    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }

    /** One open object or array: its path, and the next element's index for an array. */
    private static final class Frame {
        final String path;
        final boolean array;
        int index;
        String field;

        Frame(String path, boolean array) {
            this.path = path;
            this.array = array;
        }

        /** The path of the value the parser is at inside this frame. */
        String child() {
            if (array) {
                return path + "[" + index + "]";
            }
            return path.isEmpty() ? field : path + "." + field;
        }
    }

    private static void walk(JsonParser p, Map<String, Integer> lines) throws IOException {
        Deque<Frame> stack = new ArrayDeque<>();
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            int line = p.currentTokenLocation().getLineNr();
            Frame top = stack.peek();
            if (t == JsonToken.FIELD_NAME) {
                top.field = p.currentName();
                lines.putIfAbsent(top.child(), line);
                continue;
            }
            if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                stack.pop();
                Frame parent = stack.peek();
                if (parent != null && parent.array) {
                    parent.index++;
                }
                continue;
            }
            String here = top == null ? "" : top.child();
            if (top != null && top.array) {
                lines.putIfAbsent(here, line);
            }
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                stack.push(new Frame(here, t == JsonToken.START_ARRAY));
            } else if (top != null && top.array) {
                top.index++;
            }
        }
    }
}
