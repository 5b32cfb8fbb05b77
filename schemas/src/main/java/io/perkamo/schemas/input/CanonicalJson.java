package io.perkamo.schemas.input;

import io.perkamo.schemas.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One text per JSON value, for fingerprints: a retry whose payload means the same thing must
 * hash the same, whoever serialized it.
 *
 * <p>Objects have their keys sorted (by UTF-16 code units, as in RFC 8785) at every depth;
 * arrays keep their order; there is no whitespace; strings are escaped minimally (non-ASCII is
 * written as UTF-8, "\/" is just "/"). Numbers are compared by value: 1, 1.0, 1.00 and 1e0 all
 * become {@code 1}, and -0.0 becomes {@code 0}. We chose value over type because a PHP client
 * may send 10.0 one time and 10 the next for the same amount. A value is written in plain
 * decimal (2.50 is {@code 2.5}, 1e3 is {@code 1000}) unless that needs more than 21 padding
 * zeros; then it is its significant digits with an exponent ({@code 1E400}, {@code 15E-31}),
 * so a short literal like 1e999999999 never expands.
 */
public final class CanonicalJson {

    private static final int MAX_PADDING = 21;

    private CanonicalJson() {
    }

    /** The canonical text of a JSON value. Throws IllegalArgumentException for NaN, infinities and non-JSON nodes. */
    public static String write(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = Json.MAPPER.getFactory().createGenerator(out)) {
            write(node, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonNode node, JsonGenerator out) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
                fields.sort(Map.Entry.comparingByKey());
                out.writeStartObject();
                for (Map.Entry<String, JsonNode> field : fields) {
                    out.writeFieldName(field.getKey());
                    write(field.getValue(), out);
                }
                out.writeEndObject();
            }
            case ARRAY -> {
                out.writeStartArray();
                for (JsonNode element : node) {
                    write(element, out);
                }
                out.writeEndArray();
            }
            case STRING -> out.writeString(node.textValue());
            case NUMBER -> out.writeNumber(number(node));
            case BOOLEAN -> out.writeBoolean(node.booleanValue());
            case NULL -> out.writeNull();
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    /** The canonical text of a number that is not an int or a long (those are plain decimal digits). */
    static String number(JsonNode node) {
        if (node.isInt() || node.isLong()) {
            return Long.toString(node.longValue()); // what the BigDecimal path below gives for them, cheaper
        }
        BigDecimal value;
        if (node.isIntegralNumber()) {
            value = new BigDecimal(node.bigIntegerValue());
        } else if (node.isBigDecimal()) {
            value = node.decimalValue();
        } else {
            double d = node.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("not a JSON number: " + d);
            }
            value = BigDecimal.valueOf(d); // the shortest decimal that reads back as this double
        }
        BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        // Plain unless that would pad more than MAX_PADDING zeros: 1e999999999 must not become a gigabyte.
        if (stripped.scale() <= 0) {
            return -stripped.scale() <= MAX_PADDING
                    ? stripped.toBigIntegerExact().toString()
                    : stripped.unscaledValue() + "E" + (-stripped.scale());
        }
        return stripped.scale() - stripped.precision() <= MAX_PADDING
                ? stripped.toPlainString()
                : stripped.unscaledValue() + "E-" + stripped.scale();
    }

    /**
     * A reusable buffer receiving canonical JSON as UTF-8: byte for byte what
     * {@code write(node).getBytes(UTF_8)} gives (escapes as Jackson writes them, a lone surrogate
     * as {@code ?}), without the generator, the sorted entry list and the String in between.
     * Fingerprints take it for every input. Not thread-safe.
     */
    public static final class Utf8 {
        private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
        /** The character after the backslash of a short escape; 'u' for the six-byte form (u00XX); 0 for none. */
        private static final byte[] ESCAPES = new byte[128];

        static {
            for (int c = 0; c < 0x20; c++) {
                ESCAPES[c] = 'u';
            }
            ESCAPES['\b'] = 'b';
            ESCAPES['\t'] = 't';
            ESCAPES['\n'] = 'n';
            ESCAPES['\f'] = 'f';
            ESCAPES['\r'] = 'r';
            ESCAPES['"'] = '"';
            ESCAPES['\\'] = '\\';
        }

        private byte[] bytes = new byte[256];
        private int length;

        public Utf8 reset() {
            length = 0;
            return this;
        }

        /** The buffer; the content is its first {@link #length()} bytes. */
        public byte[] bytes() {
            return bytes;
        }

        public int length() {
            return length;
        }

        /** Appends ASCII text as it is: the caller's own structure (braces, quoted keys, commas). */
        public Utf8 ascii(String text) {
            int n = text.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                bytes[length++] = (byte) text.charAt(i);
            }
            return this;
        }

        /** Appends a JSON string: quoted and escaped as {@link #write} does. */
        public Utf8 string(String value) {
            int n = value.length();
            ensure(n * 6 + 2); // at most 6 bytes per char (the u00XX escape)
            byte[] b = bytes;
            int at = length;
            b[at++] = '"';
            for (int i = 0; i < n; i++) {
                char c = value.charAt(i);
                if (c < 0x80) {
                    byte escape = ESCAPES[c];
                    if (escape == 0) {
                        b[at++] = (byte) c;
                    } else {
                        b[at++] = '\\';
                        b[at++] = escape;
                        if (escape == 'u') {
                            b[at++] = '0';
                            b[at++] = '0';
                            b[at++] = HEX[c >> 4];
                            b[at++] = HEX[c & 0xF];
                        }
                    }
                } else if (c < 0x800) {
                    b[at++] = (byte) (0xC0 | (c >> 6));
                    b[at++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, value.charAt(++i));
                        b[at++] = (byte) (0xF0 | (cp >> 18));
                        b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                        b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                        b[at++] = (byte) (0x80 | (cp & 0x3F));
                    } else {
                        b[at++] = '?'; // what String.getBytes(UTF_8) writes for a lone surrogate
                    }
                } else {
                    b[at++] = (byte) (0xE0 | (c >> 12));
                    b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    b[at++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            b[at++] = '"';
            length = at;
            return this;
        }

        /** Appends the canonical form of a JSON value. Throws IllegalArgumentException as {@link #write} does. */
        public Utf8 value(JsonNode node) {
            switch (node.getNodeType()) {
                case OBJECT -> object(node);
                case ARRAY -> {
                    ascii("[");
                    boolean first = true;
                    for (JsonNode element : node) {
                        if (!first) {
                            ascii(",");
                        }
                        first = false;
                        value(element);
                    }
                    ascii("]");
                }
                case STRING -> string(node.textValue());
                case NUMBER -> {
                    if (node.isInt() || node.isLong()) {
                        digits(node.longValue());
                    } else {
                        ascii(number(node));
                    }
                }
                case BOOLEAN -> ascii(node.booleanValue() ? "true" : "false");
                case NULL -> ascii("null");
                default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
            }
            return this;
        }

        private void object(JsonNode node) {
            int mark = length;
            ascii("{");
            // inputs mostly arrive with sorted keys: write in the given order while checking it,
            // and start over sorted at the first key out of order
            String previous = null;
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String name = field.getKey();
                if (previous != null) {
                    if (previous.compareTo(name) > 0) {
                        length = mark;
                        sortedObject(node);
                        return;
                    }
                    ascii(",");
                }
                previous = name;
                string(name).ascii(":").value(field.getValue());
            }
            ascii("}");
        }

        private void sortedObject(JsonNode node) {
            String[] names = new String[node.size()];
            int i = 0;
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names[i++] = it.next();
            }
            Arrays.sort(names);
            ascii("{");
            for (int k = 0; k < names.length; k++) {
                if (k > 0) {
                    ascii(",");
                }
                string(names[k]).ascii(":").value(node.get(names[k]));
            }
            ascii("}");
        }

        /** Long.toString's digits, without the String. */
        private void digits(long v) {
            if (v == Long.MIN_VALUE) {
                ascii(Long.toString(v));
                return;
            }
            ensure(20);
            if (v < 0) {
                bytes[length++] = '-';
                v = -v;
            }
            int end = length + digitCount(v);
            int at = end;
            do {
                bytes[--at] = (byte) ('0' + (int) (v % 10));
                v /= 10;
            } while (v != 0);
            length = end;
        }

        private static int digitCount(long v) {
            int n = 1;
            while (v >= 10) {
                v /= 10;
                n++;
            }
            return n;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
