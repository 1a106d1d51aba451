package local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON (RFC 8259) as plain values: {@code Map}, {@code List}, {@code String}, {@code Long},
 * {@code Double}, {@code Boolean}, {@code null}. This is what the hooks and the state files use.
 *
 * <p>Why not Jackson here: a hook lives about 50 ms, and its first Jackson parser alone costs 6 of
 * them (the streaming parser's static set-up starts {@code BigInteger} and the fork-join pool;
 * building an {@code ObjectMapper} costs far more). Hook input and state files are small documents
 * Wyren knows, so a strict reader of this size does; everything else (transcripts, Claude Code's
 * settings, {@code --json} output) still uses Jackson ({@link Json}). The suite checks this reader
 * against Jackson on a corpus.
 */
public final class JsonValues {

    /** Deeper nesting than this is not a document Wyren wrote or reads. */
    static final int MAX_DEPTH = 64;

    /**
     * The document's characters: indexing an array is one bytecode, {@code String.charAt} a few
     * calls, and hooks parse their state files interpreted (a 4 KB file took ~2 ms through charAt).
     */
    private final char[] text;
    private int pos;

    private JsonValues(String text) {
        this.text = text.toCharArray();
    }

    /** Parses one JSON value; anything but exactly one well-formed value is an {@link IOException}. */
    public static Object parse(String json) throws IOException {
        JsonValues reader = new JsonValues(json);
        reader.skipBlanks();
        Object value = reader.value(0);
        reader.skipBlanks();
        if (reader.pos != reader.text.length) {
            throw reader.error("more than one JSON value");
        }
        return value;
    }

    /** Parses a JSON object, or fails. */
    public static Map<String, Object> parseObject(String json) throws IOException {
        if (parse(json) instanceof Map<?, ?> map) {
            return cast(map);
        }
        throw new IOException("not a JSON object");
    }

    private Object value(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw error("JSON nested too deeply");
        }
        if (pos >= text.length) {
            throw error("unexpected end of JSON");
        }
        char c = text[pos];
        switch (c) {
            case '{' -> {
                return object(depth);
            }
            case '[' -> {
                return array(depth);
            }
            case '"' -> {
                return string();
            }
            case 't' -> {
                return literal("true", Boolean.TRUE);
            }
            case 'f' -> {
                return literal("false", Boolean.FALSE);
            }
            case 'n' -> {
                return literal("null", null);
            }
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    return number();
                }
                throw error("unexpected character");
            }
        }
    }

    private Map<String, Object> object(int depth) throws IOException {
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipBlanks();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipBlanks();
            if (peek() != '"') {
                throw error("expected a field name");
            }
            String name = string();
            skipBlanks();
            expect(':');
            skipBlanks();
            map.put(name, value(depth + 1));
            skipBlanks();
            char next = peek();
            pos++;
            if (next == '}') {
                return map;
            }
            if (next != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws IOException {
        pos++;
        List<Object> list = new ArrayList<>();
        skipBlanks();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipBlanks();
            list.add(value(depth + 1));
            skipBlanks();
            char next = peek();
            pos++;
            if (next == ']') {
                return list;
            }
            if (next != ',') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() throws IOException {
        pos++;
        // Most strings have no escape: one scan and a substring (hooks run this interpreted).
        for (int end = pos; end < text.length; end++) {
            char c = text[end];
            if (c == '"') {
                String plain = new String(text, pos, end - pos);
                pos = end + 1;
                return plain;
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
        }
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length) {
                throw error("unterminated string");
            }
            char c = text[pos++];
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length) {
                throw error("unterminated escape");
            }
            char e = text[pos++];
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length) {
                        throw error("short \\u escape");
                    }
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = Character.digit(text[pos++], 16);
                        if (digit < 0) {
                            throw error("bad \\u escape");
                        }
                        code = code * 16 + digit;
                    }
                    out.append((char) code);
                }
                default -> throw error("bad escape");
            }
        }
    }

    private Object number() throws IOException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("bad number");
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            integral = false;
            if (!isDigit(peek())) {
                throw error("bad number");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integral = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("bad number");
            }
            digits();
        }
        String number = new String(text, start, pos - start);
        if (integral) {
            try {
                return Long.parseLong(number);
            } catch (NumberFormatException beyondLong) {
                // Larger than a long: as a double, like any other number Wyren has no use for.
            }
        }
        return Double.parseDouble(number);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) throws IOException {
        if (pos + word.length() > text.length || !new String(text, pos, word.length()).equals(word)) {
            throw error("unexpected word");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) throws IOException {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    /** The current character, or NUL at the end (never valid where a token is expected). */
    private char peek() {
        return pos < text.length ? text[pos] : '\0';
    }

    private void skipBlanks() {
        while (pos < text.length) {
            char c = text[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private IOException error(String what) {
        return new IOException(what + " at offset " + pos);
    }

    /** Compact JSON for plain values (maps keep their order). */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(out, String.valueOf(e.getKey()));
                out.append(':');
                write(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            out.append(Double.isFinite(d) ? String.valueOf(d) : "null");
        } else {
            quote(out, String.valueOf(value));
        }
    }

    /**
     * Characters that need no escape are appended in runs, each one copy: appending them one by
     * one cost a hook ~1 ms per 3 KB state file, interpreted.
     */
    private static void quote(StringBuilder out, String s) {
        out.append('"');
        char[] chars = s.toCharArray();
        int run = 0;
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s.substring(run, i));
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
            run = i + 1;
        }
        out.append(run == 0 ? s : s.substring(run));
        out.append('"');
    }

    // ---------------------------------------------------------------- reading fields tolerantly

    public static Optional<String> string(Map<String, Object> map, String key) {
        return map.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** A string field, or null: for records whose fields are nullable by design. */
    public static String stringOrNull(Map<String, Object> map, String key) {
        return string(map, key).orElse(null);
    }

    public static long number(Map<String, Object> map, String key, long fallback) {
        return map.get(key) instanceof Number n ? n.longValue() : fallback;
    }

    public static boolean bool(Map<String, Object> map, String key) {
        return Boolean.TRUE.equals(map.get(key));
    }

    public static Optional<Map<String, Object>> object(Map<String, Object> map, String key) {
        return map.get(key) instanceof Map<?, ?> m ? Optional.of(cast(m)) : Optional.empty();
    }

    public static Optional<List<Object>> list(Map<String, Object> map, String key) {
        return map.get(key) instanceof List<?> l ? Optional.of(new ArrayList<>(l)) : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
