package memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Per-repository sync state, {@code .wyren/state/sync.json} (SPEC §7).
 *
 * @param materializedCommit the memory-branch commit the working copy was last written from (null: never)
 * @param files              for each materialized tree path, the blob id of the content written there;
 *                           a working-copy file with another content is a local (hand) edit
 * @param lastPull           when the last pull ran and how it ended
 * @param lastPush           when the last push ran and how it ended
 * @param compactionPending  a merge dropped bullets to stay within the hard cap: the next
 *                           distillation runs even if the signal filter would skip it
 * @param refused            memory-branch entries refused for their size ({@code path@blob}), each
 *                           reported once; the newest {@value #MAX_REFUSED}
 */
public record SyncState(String materializedCommit, Map<String, String> files, Event lastPull, Event lastPush,
                        boolean compactionPending, List<String> refused) {

    static final int MAX_REFUSED = 50;

    /** A timestamped outcome with a machine-readable result and a human detail. */
    public record Event(String at, String result, String detail) {
        public static Event now(String result, String detail) {
            return new Event(Instant.now().toString(), result, detail);
        }

    }

    public SyncState {
        files = files == null ? Map.of() : Map.copyOf(new TreeMap<>(files));
        refused = refused == null ? List.of() : List.copyOf(refused);
    }

    public static SyncState initial() {
        return new SyncState(null, Map.of(), null, null, false, List.of());
    }

    public Optional<String> materialized() {
        return Optional.ofNullable(materializedCommit);
    }

    public Optional<Event> pull() {
        return Optional.ofNullable(lastPull);
    }

    public Optional<Event> push() {
        return Optional.ofNullable(lastPush);
    }

    public SyncState withMaterialized(String commit, Map<String, String> newFiles) {
        return new SyncState(commit, newFiles, lastPull, lastPush, compactionPending, refused);
    }

    public SyncState withPull(Event event) {
        return new SyncState(materializedCommit, files, event, lastPush, compactionPending, refused);
    }

    public SyncState withPush(Event event) {
        return new SyncState(materializedCommit, files, lastPull, event, compactionPending, refused);
    }

    public SyncState withCompactionPending(boolean pending) {
        return new SyncState(materializedCommit, files, lastPull, lastPush, pending, refused);
    }

    public SyncState withRefused(String entry) {
        List<String> all = new ArrayList<>(refused);
        all.remove(entry);
        all.add(entry);
        return new SyncState(materializedCommit, files, lastPull, lastPush, compactionPending,
                all.subList(Math.max(0, all.size() - MAX_REFUSED), all.size()));
    }
}
