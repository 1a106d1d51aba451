package cli;

import local.Env;
import local.LogFile;
import local.Settings;
import local.ShortId;
import local.StateFiles;
import local.WyrenPaths;
import memory.MemoryDocument;
import session.DistillState;
import session.DistillerProcess;
import session.Sessions;
import sync.Inspection;
import sync.SyncState;
import sync.WyrenSync;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@code wyren status} reports, as ordered {@code snake_case} fields: the text form prints one
 * {@code field: value} a line, the JSON form is one object with the same keys (listed in the README).
 * Collected without network access.
 */
public final class StatusReport {

    private StatusReport() {
    }

    /** One session's line: its turns pending against the threshold and when it was last distilled. */
    public record SessionSummary(String session, int turnsPending, long threshold, String lastTurn, String lastDistilled) {
        @Override
        public String toString() {
            return ShortId.of(session) + " " + turnsPending + "/" + threshold
                    + " turns pending (last distilled " + (lastDistilled == null ? "never" : lastDistilled) + ")";
        }
    }

    public static Map<String, Object> collect(WyrenSync sync, Env env) {
        Map<String, Object> f = new LinkedHashMap<>();
        WyrenPaths paths = sync.paths();
        f.put("repository", sync.location().root().toString());
        f.put("enabled", !sync.disabled());
        f.put("opt_out", Settings.of(env).disabled() ? Settings.DISABLE + " is set"
                : sync.location().optOut().orElse(null));
        Inspection inspection = sync.inspect();
        f.put("initialized", inspection.localCommit().isPresent());
        f.put("memory_path", WyrenPaths.MEMORY);
        Optional<String> memory = sync.memoryText();
        f.put("memory_bytes", memory.map(m -> m.getBytes(StandardCharsets.UTF_8).length).orElse(null));
        f.put("memory_lines", memory.map(m -> (int) m.lines().count()).orElse(null));
        MemoryDocument doc = MemoryDocument.parse(memory.orElse(""));
        f.put("memory_bullets", memory.isPresent() ? doc.bulletCount() : null);
        f.put("bullets_per_section", doc.bulletsPerSection());
        f.put("legacy_tracked_memory", inspection.legacyTracked());
        f.put("remote", inspection.location().remote().orElse(null));
        f.put("branch", inspection.location().branch());
        f.put("local_ref", inspection.location().localName());
        f.put("local_commit", inspection.localCommit().map(ShortId::of).orElse(null));
        f.put("remote_commit", inspection.remoteCommit().map(ShortId::of).orElse(null));
        f.put("ahead", inspection.ahead());
        f.put("behind", inspection.behind());
        f.put("remote_tip_author", inspection.remoteTipAuthor().orElse(null));
        f.put("remote_tip_time", inspection.remoteTipTime().map(Instant::toString).orElse(null));
        SyncState state = inspection.state();
        f.put("last_pull", state.pull().map(SyncState.Event::at).orElse(null));
        f.put("last_pull_result", state.pull().map(e -> e.result() + detail(e)).orElse(null));
        f.put("last_push", state.push().map(SyncState.Event::at).orElse(null));
        f.put("last_push_result", state.push().map(e -> e.result() + detail(e)).orElse(null));
        f.put("compaction_pending", state.compactionPending());
        Instant monthAgo = Instant.now().minus(java.time.Duration.ofDays(30));
        List<sync.CommitNotes.Drop> drops = inspection.recentDrops().stream().filter(d -> d.at().isAfter(monthAgo)).toList();
        f.put("dropped_by_cap_30d", drops.size());
        f.put("dropped_by_cap_latest", drops.stream().limit(5).map(d -> d.section() + ": " + d.bullet()).toList());
        Optional<local.LockFile.Holder> lock = inspection.lock();
        f.put("lock", lock.map(h -> "held by pid " + h.owner().pid() + " on " + h.owner().host()).orElse("free"));
        f.put("lock_age_seconds", lock.map(h -> h.age().toSeconds()).orElse(null));
        f.put("hand_edits", inspection.handEdits());
        long threshold = Settings.of(env).turnsThreshold();
        LogFile log = sync.log();
        f.put("sessions", new Sessions(paths, log).all().entrySet().stream()
                .map(e -> new SessionSummary(e.getKey(), e.getValue().turnsSinceDistill(), threshold,
                        e.getValue().lastTurnAt(), e.getValue().distilledAt()))
                .toList());
        DistillState distill = StateFiles.read(paths.distillState(), DistillState.CODEC, log);
        f.put("last_distill", distill.at());
        f.put("last_distill_engine", distill.engine());
        f.put("last_distill_result", distill.result() == null ? null : distill.result() + (distill.detail() == null ? "" : " (" + distill.detail() + ")"));
        f.put("distiller_running", DistillerProcess.running(paths.distillerPid())
                .map(h -> "pid " + h.owner().pid() + " since " + h.owner().time()).orElse(null));
        return f;
    }

    /** One {@code field: value} a line; absent values read {@code none}. */
    public static String text(Map<String, Object> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((key, value) -> out.append(key).append(": ").append(format(value)).append('\n'));
        return out.toString();
    }

    private static String format(Object value) {
        if (value == null) {
            return "none";
        }
        if (value instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty() ? "none" : map.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "none" : list.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        return String.valueOf(value);
    }

    private static String detail(SyncState.Event e) {
        return e.detail() == null || e.detail().isBlank() ? "" : " (" + e.detail() + ")";
    }
}
