package io.perkamo.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Plain-text tables: columns padded to their widest cell, two spaces apart, no trailing blanks. */
final class Tables {

    private Tables() {
    }

    /** Prints {@code header} (none when empty) and {@code rows}, each line starting with {@code indent}. */
    static void print(PrintWriter out, List<String> header, List<List<String>> rows, String indent) {
        List<List<String>> all = new ArrayList<>();
        if (!header.isEmpty()) {
            all.add(header);
        }
        all.addAll(rows);
        int columns = all.get(0).size();
        int[] width = new int[columns];
        for (List<String> row : all) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row.get(i) : String.format("%-" + (width[i] + 2) + "s", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
