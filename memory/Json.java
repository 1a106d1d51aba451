//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
package memory;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The shared Jackson mappers: state files and hook payloads, and snake_case for machine output. */
public final class Json {

    /** Tolerant reader/writer for state files and hook stdin: unknown fields are ignored. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    /** Stable snake_case keys for {@code --json} output. */
    public static final ObjectMapper SNAKE = MAPPER.copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private Json() {
    }
}
