import com.fasterxml.jackson.databind.ObjectMapper;
import local.JsonValues;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The hooks' small JSON reader and writer agree with Jackson, and refuse what Jackson refuses. */
class JsonValuesTest {

    static final ObjectMapper JACKSON = new ObjectMapper();

    /** Jackson's reading, as the same plain values (its ints widened to longs). */
    static Object jackson(String json) throws IOException {
        return normalize(JACKSON.readValue(json, Object.class));
    }

    static Object normalize(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), normalize(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(JsonValuesTest::normalize).toList();
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        return value;
    }

    @Test
    void readsEveryLineOfTheFixtureTranscriptsAsJacksonDoes() throws Exception {
        int lines = 0;
        for (String name : List.of("decisions.jsonl", "low-signal.jsonl", "long.jsonl")) {
            for (String line : Files.readAllLines(DistillerTest.FIXTURES.resolve(name))) {
                Object expected;
                try {
                    expected = jackson(line);
                } catch (IOException e) {
                    assertThrows(IOException.class, () -> JsonValues.parse(line), "Jackson refuses, so must we: " + line);
                    continue;
                }
                assertEquals(expected, normalize(JsonValues.parse(line)), line);
                lines++;
            }
        }
        assertEquals(true, lines > 1000);
    }

    @Test
    void writesWhatJacksonReadsBackTheSame() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            Object value = randomValue(random, 0);
            String written = JsonValues.write(value);
            assertEquals(normalize(value), jackson(written), written);
            assertEquals(normalize(value), normalize(JsonValues.parse(written)), written);
        }
    }

    @Test
    void malformedInputIsRefused() {
        for (String bad : List.of("", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "\"\\x\"", "tru", "01", "1.", "-", "{} {}",
                "\"a\nb\"", "[" .repeat(100) + "]".repeat(100), "{\"a\":1,}", "\"\\u12\"")) {
            assertThrows(IOException.class, () -> JsonValues.parse(bad), bad);
        }
    }

    static Object randomValue(Random random, int depth) {
        int kind = depth > 3 ? random.nextInt(5) : random.nextInt(7);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextLong() >> random.nextInt(1, 64);
            case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(20) - 10);
            case 4 -> randomString(random);
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(randomValue(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(randomString(random), randomValue(random, depth + 1));
                }
                yield map;
            }
        };
    }

    static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        String alphabet = "ab\"\\/\n\t\u0001\u00e9\u4e2d\ud83d\ude00 {}[],:";
        for (int i = random.nextInt(12); i > 0; i--) {
            int at = random.nextInt(alphabet.length());
            char c = alphabet.charAt(at);
            if (Character.isHighSurrogate(c) && at + 1 < alphabet.length()) {
                s.append(c).append(alphabet.charAt(at + 1));
            } else if (!Character.isSurrogate(c)) {
                s.append(c);
            }
        }
        return s.toString();
    }
}
