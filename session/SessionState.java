package session;

import local.JsonValues;
import local.StateFiles;
import local.Unique;
import memory.MemoryDocument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Claude Code session's machine-local state, {@code .wyren/state/sessions/<id>.json} (SPEC §7).
 *
 * @param transcriptPath     where Claude Code writes this session's transcript
 * @param watermark          uuid of the last transcript line already distilled (null: none yet)
 * @param turnsSinceDistill  turns counted by the Stop hook since the last distillation
 * @param lastTurnAt         when the Stop hook last counted a turn (ISO instant, null: never)
 * @param distilledAt        when the watermark last moved (ISO instant, null: never)
 * @param seen               the memory bullets this session has been shown (null: nothing injected yet)
 */
public record SessionState(String transcriptPath, String watermark, int turnsSinceDistill, String lastTurnAt,
                           String distilledAt, List<MemoryDocument.Entry> seen) {

    public static SessionState initial() {
        return new SessionState(null, null, 0, null, null, null);
    }

    /** The state file's JSON: the record's field names; missing fields read as the initial values. */
    public static final StateFiles.Codec<SessionState> CODEC = new StateFiles.Codec<>() {
        public SessionState defaults() {
            return initial();
        }

        public SessionState fromJson(Map<String, Object> json) {
            List<MemoryDocument.Entry> seen = JsonValues.list(json, "seen").map(items -> {
                List<MemoryDocument.Entry> entries = new ArrayList<>();
                for (Object item : items) {
                    if (item instanceof Map<?, ?> m && m.get("section") instanceof String section && m.get("bullet") instanceof String bullet) {
                        entries.add(new MemoryDocument.Entry(section, bullet));
                    }
                }
                return entries;
            }).orElse(null);
            return new SessionState(JsonValues.stringOrNull(json, "transcriptPath"), JsonValues.stringOrNull(json, "watermark"),
                    (int) JsonValues.number(json, "turnsSinceDistill", 0), JsonValues.stringOrNull(json, "lastTurnAt"),
                    JsonValues.stringOrNull(json, "distilledAt"), seen);
        }

        public Map<String, Object> toJson(SessionState s) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("transcriptPath", s.transcriptPath());
            json.put("watermark", s.watermark());
            json.put("turnsSinceDistill", s.turnsSinceDistill());
            json.put("lastTurnAt", s.lastTurnAt());
            json.put("distilledAt", s.distilledAt());
            List<Map<String, Object>> seen = null;
            if (s.seen() != null) {
                seen = new ArrayList<>();
                for (MemoryDocument.Entry e : s.seen()) {
                    seen.add(Map.of("section", e.section(), "bullet", e.bullet()));
                }
            }
            json.put("seen", seen);
            return json;
        }
    };

    public Optional<String> transcript() {
        return Optional.ofNullable(transcriptPath).filter(p -> !p.isBlank());
    }

    public Optional<String> watermarkUuid() {
        return Optional.ofNullable(watermark).filter(w -> !w.isBlank());
    }

    public Optional<List<MemoryDocument.Entry>> seenBullets() {
        return Optional.ofNullable(seen);
    }

    public SessionState withTranscript(String path) {
        return path == null || path.isBlank() ? this : new SessionState(path, watermark, turnsSinceDistill, lastTurnAt, distilledAt, seen);
    }

    public SessionState withTurn(String at) {
        return new SessionState(transcriptPath, watermark, turnsSinceDistill + 1, at, distilledAt, seen);
    }

    /**
     * The watermark moved to {@code uuid}, covering the {@code consumed} turns counted when the
     * slice was read; turns the Stop hook counted since (while the engine ran) stay pending.
     */
    public SessionState distilledTo(String uuid, int consumed) {
        return new SessionState(transcriptPath, uuid == null ? watermark : uuid, Math.max(0, turnsSinceDistill - consumed),
                lastTurnAt, Unique.now(), seen);
    }

    public SessionState withSeen(List<MemoryDocument.Entry> bullets) {
        return new SessionState(transcriptPath, watermark, turnsSinceDistill, lastTurnAt, distilledAt, List.copyOf(bullets));
    }
}
