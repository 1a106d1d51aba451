package cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import memory.MemoryDocument;
import memory.Provenance;
import sync.MemoryVersion;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who wrote an entry of the current memory: the author of the version that introduced it, read from
 * the memory's own history (no metadata of Wyren's). An entry carried over by a merge keeps the
 * version that first had it; one removed and added again belongs to the version that added it back.
 *
 * @param author  empty for an entry only this machine's working copy has (a hand edit not yet published)
 * @param version the commit (or the backend's version id) that introduced it
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Blame(String section, String bullet, Optional<String> author, Optional<String> email, Optional<String> time,
                    Optional<String> version, Optional<String> session, Optional<String> turn) {

    /** Every entry of {@code memory}, in its order, attributed from {@code history} (newest first). */
    public static List<Blame> of(String memory, List<MemoryVersion> history) {
        List<Set<String>> identities = new ArrayList<>();
        for (MemoryVersion version : history) {
            Set<String> ids = new HashSet<>();
            MemoryDocument.parse(version.memory()).entries().forEach(e -> ids.add(MemoryDocument.identity(e.bullet())));
            identities.add(ids);
        }
        List<Blame> blames = new ArrayList<>();
        for (MemoryDocument.Entry entry : MemoryDocument.parse(memory).entries()) {
            String id = MemoryDocument.identity(entry.bullet());
            Optional<MemoryVersion> introduced = Optional.empty();
            for (int i = 0; i < history.size() && identities.get(i).contains(id); i++) {
                introduced = Optional.of(history.get(i));
            }
            Optional<Provenance> provenance = Provenance.of(entry.bullet());
            blames.add(new Blame(entry.section(), entry.bullet(), introduced.map(MemoryVersion::author),
                    introduced.map(MemoryVersion::email), introduced.map(v -> v.time().toString()), introduced.map(MemoryVersion::id),
                    provenance.map(Provenance::session), provenance.map(Provenance::turn)));
        }
        return blames;
    }

    /** Two lines: the bullet, then who, when, which version, which session. */
    public String text() {
        String who = author.map(a -> a + email.map(e -> " <" + e + ">").orElse("") + ", " + time.orElse("") + ", "
                        + version.map(local.ShortId::of).orElse(""))
                .orElse("not published yet (in this machine's .wyren/memory.md only)");
        String from = session.map(s -> ", session " + s + " turn " + turn.orElse("?")).orElse(", no session tag (written by hand)");
        return "- " + bullet + "\n  " + who + from + "\n";
    }
}
