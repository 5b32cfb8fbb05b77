package io.perkamo.replay;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** RFC 4180 rows: a field with a comma, quote or line break is quoted, quotes doubled. */
final class Csv {
    private Csv() {
    }

    static void row(Writer out, List<?> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(field(String.valueOf(fields.get(i))));
        }
        out.write("\r\n");
    }

    static String field(String s) {
        boolean quote = false;
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
