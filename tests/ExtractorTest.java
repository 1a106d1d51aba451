import memory.MemoryDocument;
import org.junit.jupiter.api.Test;
import session.Extractor;
import session.Transcript;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The extractive engine replaces a bullet only when the new sentence is about the same thing, and says so. */
class ExtractorTest {

    static Extractor.Result distill(MemoryDocument memory, String... userSays) {
        List<Transcript.Block> blocks = new java.util.ArrayList<>();
        for (int i = 0; i < userSays.length; i++) {
            blocks.add(new Transcript.Block(i + 1, "user", userSays[i], userSays[i]));
        }
        return Extractor.distill(memory, new Transcript.Slice(blocks, 0, Optional.empty(), userSays.length), "abcdef12-session");
    }

    static List<String> bullets(MemoryDocument memory, String section) {
        return memory.section(section).map(MemoryDocument.Section::bullets).orElse(List.of());
    }

    @Test
    void twoRejectionsOfDifferentThingsWithTheSameReasonAreBothKept() {
        Extractor.Result result = distill(MemoryDocument.empty(),
                "We rejected Redis because the failover story was too weak.",
                "We rejected Kafka because the failover story was too weak.");
        List<String> rejected = bullets(result.memory(), "Rejected paths");
        assertEquals(2, rejected.size(), rejected.toString());
        assertEquals(List.of(), result.changes());
    }

    @Test
    void aRestatementOfTheSameSubjectReplacesTheOlderBulletAndIsReported() {
        Extractor.Result result = distill(MemoryDocument.empty(),
                "We decided to use SQLite for the cart store.",
                "We decided to use SQLite for the cart store, with WAL mode on.");
        List<String> decisions = bullets(result.memory(), "Decisions");
        assertEquals(1, decisions.size(), decisions.toString());
        assertTrue(decisions.get(0).contains("WAL mode"), decisions.toString());
        assertEquals(1, result.changes().size(), result.changes().toString());
        assertTrue(result.changes().get(0).contains("replaced by"), result.changes().toString());
    }

    @Test
    void aFixRemovesOnlyTheBreakageItNames() {
        MemoryDocument memory = MemoryDocument.parse("""
                # Team memory

                ## Known broken state
                - Checkout is broken on Safari because of the date picker [aaaaaaaa, turn 1]
                - Checkout is broken on Firefox because of the date picker [aaaaaaaa, turn 2]
                """);
        Extractor.Result result = distill(memory, "The Safari checkout date picker is fixed now.");
        List<String> broken = bullets(result.memory(), "Known broken state");
        assertEquals(1, broken.size(), broken.toString());
        assertTrue(broken.get(0).contains("Firefox"), broken.toString());
        assertTrue(result.changes().get(0).contains("removed as fixed"), result.changes().toString());
    }
}
