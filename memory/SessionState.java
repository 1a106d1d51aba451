package memory;

import java.util.List;
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
                lastTurnAt, java.time.Instant.now().toString(), seen);
    }

    public SessionState withSeen(List<MemoryDocument.Entry> bullets) {
        return new SessionState(transcriptPath, watermark, turnsSinceDistill, lastTurnAt, distilledAt, List.copyOf(bullets));
    }
}
