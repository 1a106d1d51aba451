package memory;

import java.time.Instant;
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
 */
public record SyncState(String materializedCommit, Map<String, String> files, Event lastPull, Event lastPush,
                        boolean compactionPending) {

    /** A timestamped outcome with a machine-readable result and a human detail. */
    public record Event(String at, String result, String detail) {
        public static Event now(String result, String detail) {
            return new Event(Instant.now().toString(), result, detail);
        }

    }

    public SyncState {
        files = files == null ? Map.of() : Map.copyOf(new TreeMap<>(files));
    }

    public static SyncState initial() {
        return new SyncState(null, Map.of(), null, null, false);
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
        return new SyncState(commit, newFiles, lastPull, lastPush, compactionPending);
    }

    public SyncState withPull(Event event) {
        return new SyncState(materializedCommit, files, event, lastPush, compactionPending);
    }

    public SyncState withPush(Event event) {
        return new SyncState(materializedCommit, files, lastPull, event, compactionPending);
    }

    public SyncState withCompactionPending(boolean pending) {
        return new SyncState(materializedCommit, files, lastPull, lastPush, pending);
    }
}
