//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1 com.fasterxml.jackson.datatype:jackson-datatype-jdk8:2.20.1
package local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/** The one configured Jackson mapper: state files, hook payloads, transcripts and {@code --json} output. */
public final class Json {

    /** Tolerant reader/writer for state files and hook stdin: unknown fields are ignored. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .registerModule(new Jdk8Module());

    private Json() {
    }
}
