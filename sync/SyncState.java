package sync;

import local.JsonValues;
import local.StateFiles;
import local.Unique;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * @param stamps             for a tree path, {@code <blob id>|<size>:<modified>} of the working file when it
 *                           was last seen to hold that blob: while the file's size and time are the same, its
 *                           content need not be hashed again (a hook cannot afford to start a digest)
 */
public record SyncState(String materializedCommit, Map<String, String> files, Event lastPull, Event lastPush,
                        boolean compactionPending, List<String> refused, Map<String, String> stamps) {

    static final int MAX_REFUSED = 50;

    /** A timestamped outcome with a machine-readable result and a human detail. */
    public record Event(String at, String result, String detail) {
        public static Event now(String result, String detail) {
            return new Event(Unique.now(), result, detail);
        }

    }

    public SyncState {
        files = files == null ? Map.of() : Map.copyOf(new TreeMap<>(files));
        refused = refused == null ? List.of() : List.copyOf(refused);
        stamps = stamps == null ? Map.of() : Map.copyOf(new TreeMap<>(stamps));
    }

    /** The state file's JSON: the record's field names; missing fields read as the initial values. */
    public static final StateFiles.Codec<SyncState> CODEC = new StateFiles.Codec<>() {
        public SyncState defaults() {
            return initial();
        }

        public SyncState fromJson(Map<String, Object> json) {
            Map<String, String> files = new TreeMap<>();
            JsonValues.object(json, "files").ifPresent(m -> m.forEach((k, v) -> {
                if (v instanceof String id) {
                    files.put(k, id);
                }
            }));
            List<String> refused = new ArrayList<>();
            for (Object item : JsonValues.list(json, "refused").orElse(List.of())) {
                if (item instanceof String path) {
                    refused.add(path);
                }
            }
            Map<String, String> stamps = new TreeMap<>();
            JsonValues.object(json, "stamps").ifPresent(m -> m.forEach((k, v) -> {
                if (v instanceof String stamp) {
                    stamps.put(k, stamp);
                }
            }));
            return new SyncState(JsonValues.stringOrNull(json, "materializedCommit"), files, event(json, "lastPull"),
                    event(json, "lastPush"), JsonValues.bool(json, "compactionPending"), refused, stamps);
        }

        private Event event(Map<String, Object> json, String key) {
            return JsonValues.object(json, key).map(e -> new Event(JsonValues.stringOrNull(e, "at"),
                    JsonValues.stringOrNull(e, "result"), JsonValues.stringOrNull(e, "detail"))).orElse(null);
        }

        public Map<String, Object> toJson(SyncState s) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("materializedCommit", s.materializedCommit());
            json.put("files", new TreeMap<>(s.files()));
            json.put("lastPull", event(s.lastPull()));
            json.put("lastPush", event(s.lastPush()));
            json.put("compactionPending", s.compactionPending());
            json.put("refused", s.refused());
            json.put("stamps", new TreeMap<>(s.stamps()));
            return json;
        }

        private Map<String, Object> event(Event e) {
            if (e == null) {
                return null;
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("at", e.at());
            json.put("result", e.result());
            json.put("detail", e.detail());
            return json;
        }
    };

    public static SyncState initial() {
        return new SyncState(null, Map.of(), null, null, false, List.of(), Map.of());
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
        return new SyncState(commit, newFiles, lastPull, lastPush, compactionPending, refused, stamps);
    }

    public SyncState withPull(Event event) {
        return new SyncState(materializedCommit, files, event, lastPush, compactionPending, refused, stamps);
    }

    public SyncState withPush(Event event) {
        return new SyncState(materializedCommit, files, lastPull, event, compactionPending, refused, stamps);
    }

    public SyncState withCompactionPending(boolean pending) {
        return new SyncState(materializedCommit, files, lastPull, lastPush, pending, refused, stamps);
    }

    public SyncState withStamps(Map<String, String> newStamps) {
        return new SyncState(materializedCommit, files, lastPull, lastPush, compactionPending, refused, newStamps);
    }

    public SyncState withRefused(String entry) {
        List<String> all = new ArrayList<>(refused);
        all.remove(entry);
        all.add(entry);
        return new SyncState(materializedCommit, files, lastPull, lastPush, compactionPending,
                all.subList(Math.max(0, all.size() - MAX_REFUSED), all.size()), stamps);
    }
}
