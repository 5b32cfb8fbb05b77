package io.perkamo.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.perkamo.schemas.Json;

/**
 * report.html: one self-contained file (styles, chart code and data inline; nothing fetched
 * when it is opened). The page's script draws the charts as SVG from the data: level
 * distribution per lane, credits per day by rule per lane, histogram of per-user differences.
 */
final class HtmlReport {
    private static final String TEMPLATE = "/io/perkamo/replay/report.html";
    private static final String SLOT = "/*DATA*/";

    private HtmlReport() {
    }

    static void write(Path file, ObjectNode data) throws IOException {
        String json;
        try {
            // '<' escaped: the data sits inside a script element
            json = Json.MAPPER.writeValueAsString(data).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Files.writeString(file, template().replace(SLOT, json), StandardCharsets.UTF_8);
    }

    private static String template() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + TEMPLATE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page's data: title, subtitle and the summary cards. */
    static ObjectNode page(String title, String subtitle, Map<String, String> cards) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("title", title);
        data.put("subtitle", subtitle);
        ArrayNode list = data.putArray("cards");
        cards.forEach((label, value) -> list.addObject().put("label", label).put("value", value));
        data.putArray("tables");
        return data;
    }

    /** Grouped bars: one group per level, one bar per lane. */
    static ObjectNode levels(List<String> laneNames, List<Map<Integer, Long>> lanes) {
        java.util.TreeSet<Integer> levels = new java.util.TreeSet<>();
        lanes.forEach(l -> levels.addAll(l.keySet()));
        ObjectNode chart = Json.MAPPER.createObjectNode();
        chart.put("axis", "level");
        ArrayNode labels = chart.putArray("labels");
        levels.forEach(l -> labels.add(String.valueOf(l)));
        ArrayNode series = chart.putArray("series");
        for (int i = 0; i < lanes.size(); i++) {
            ObjectNode s = series.addObject().put("name", laneNames.get(i));
            ArrayNode values = s.putArray("values");
            for (int level : levels) {
                values.add(lanes.get(i).getOrDefault(level, 0L));
            }
        }
        return chart;
    }

    /** Credits of one wallet per day (epoch days), stacked by rule, one chart per lane. */
    static ObjectNode creditsPerDay(String wallet, List<String> laneNames, List<Map<Long, Map<String, Long>>> lanes) {
        java.util.TreeSet<Long> days = new java.util.TreeSet<>();
        java.util.TreeSet<String> rules = new java.util.TreeSet<>();
        for (Map<Long, Map<String, Long>> lane : lanes) {
            lane.forEach((day, byRule) -> {
                days.add(day);
                rules.addAll(byRule.keySet());
            });
        }
        ObjectNode chart = Json.MAPPER.createObjectNode();
        chart.put("wallet", wallet);
        ArrayNode dayList = chart.putArray("days");
        days.forEach(d -> dayList.add(java.time.LocalDate.ofEpochDay(d).toString()));
        ArrayNode ruleList = chart.putArray("rules");
        rules.forEach(ruleList::add);
        ArrayNode laneList = chart.putArray("lanes");
        for (int i = 0; i < lanes.size(); i++) {
            ObjectNode lane = laneList.addObject().put("name", laneNames.get(i));
            ArrayNode values = lane.putArray("values");
            for (String rule : rules) {
                ArrayNode row = values.addArray();
                for (long day : days) {
                    row.add(lanes.get(i).getOrDefault(day, Map.of()).getOrDefault(rule, 0L));
                }
            }
        }
        return chart;
    }

    /** A histogram of nonzero differences, about 20 equal bins over their range. */
    static ObjectNode histogram(String title, String wallet, List<Long> differences) {
        ObjectNode chart = Json.MAPPER.createObjectNode();
        chart.put("title", title);
        chart.put("wallet", wallet);
        ArrayNode bins = chart.putArray("bins");
        List<Long> values = new ArrayList<>();
        for (long d : differences) {
            if (d != 0) {
                values.add(d);
            }
        }
        if (values.isEmpty()) {
            return chart;
        }
        long min = values.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = values.stream().mapToLong(Long::longValue).max().orElseThrow();
        int count = 20;
        long width = Math.max(1, (max - min + count) / count);
        long[] counts = new long[count];
        for (long v : values) {
            counts[(int) Math.min(count - 1, (v - min) / width)]++;
        }
        for (int i = 0; i < count; i++) {
            long from = min + i * width;
            if (from > max) {
                break;
            }
            bins.addObject().put("from", from).put("to", from + width).put("count", counts[i]);
        }
        return chart;
    }

    /** A table; {@code more}: rows left out (they are in users.csv). */
    static void table(ObjectNode data, String title, List<String> columns, List<Boolean> numeric,
                      List<List<Object>> rows, long more) {
        ObjectNode t = ((ArrayNode) data.get("tables")).addObject();
        t.put("title", title);
        ArrayNode cols = t.putArray("columns");
        columns.forEach(cols::add);
        ArrayNode nums = t.putArray("numeric");
        numeric.forEach(nums::add);
        ArrayNode rowList = t.putArray("rows");
        for (List<Object> row : rows) {
            ArrayNode r = rowList.addArray();
            for (Object v : row) {
                if (v instanceof Number n) {
                    r.add(n.longValue());
                } else {
                    r.add(String.valueOf(v));
                }
            }
        }
        t.put("more", more);
    }
}
