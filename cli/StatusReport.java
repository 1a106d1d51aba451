package cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import local.Env;
import local.Json;
import local.LockFile;
import local.Settings;
import local.ShortId;
import local.StateFiles;
import local.WyrenPaths;
import memory.MemoryDocument;
import session.DistillState;
import session.DistillerProcess;
import session.HeldBack;
import session.Sessions;
import session.Staleness;
import sync.CommitNotes;
import sync.Inspection;
import sync.SyncState;
import sync.WyrenSync;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@code wyren status} reports, collected without network access. {@code --json} is this
 * record as Jackson writes it ({@code snake_case} keys in this order, absent values as
 * {@code null}); the text form prints one {@code key: value} a line from the same JSON, absent
 * values as {@code none}. The README lists the keys.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StatusReport(String repository, boolean enabled, Optional<String> optOut, boolean initialized, String memoryPath,
                           Optional<Integer> memoryBytes, Optional<Integer> memoryLines, Optional<Integer> memoryBullets,
                           Map<String, Integer> bulletsPerSection, boolean legacyTrackedMemory, Optional<String> remote,
                           String branch, String localRef, Optional<String> localCommit, Optional<String> remoteCommit,
                           int ahead, int behind, Optional<String> remoteTipAuthor, Optional<String> remoteTipTime,
                           Optional<String> lastPull, Optional<String> lastPullResult, Optional<String> lastPush,
                           Optional<String> lastPushResult, boolean compactionPending,
                           @JsonProperty("dropped_by_cap_30d") int droppedByCap30d, List<String> droppedByCapLatest,
                           String lock, Optional<Long> lockAgeSeconds, List<String> handEdits, int heldBackForReview, List<String> possiblyStale, List<SessionSummary> sessions,
                           Optional<String> lastDistill, Optional<String> lastDistillEngine, Optional<String> lastDistillResult,
                           Optional<String> distillerRunning) {

    /** One session: its turns pending against the threshold and when it was last distilled. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SessionSummary(String session, int turnsPending, long threshold, Optional<String> lastTurn,
                                 Optional<String> lastDistilled) {
        @Override
        public String toString() {
            return ShortId.of(session) + " " + turnsPending + "/" + threshold
                    + " turns pending (last distilled " + lastDistilled.orElse("never") + ")";
        }
    }

    public static StatusReport collect(WyrenSync sync, Env env) {
        WyrenPaths paths = sync.paths();
        Inspection inspection = sync.inspect();
        Optional<String> memory = sync.memoryText();
        MemoryDocument doc = MemoryDocument.parse(memory.orElse(""));
        SyncState state = inspection.state();
        Instant monthAgo = Instant.now().minus(Duration.ofDays(30));
        List<CommitNotes.Drop> drops = inspection.recentDrops().stream().filter(d -> d.at().isAfter(monthAgo)).toList();
        Optional<LockFile.Holder> lock = inspection.lock();
        long threshold = Settings.of(env).turnsThreshold();
        List<SessionSummary> sessions = new Sessions(paths, sync.log()).all().entrySet().stream()
                .map(e -> new SessionSummary(e.getKey(), e.getValue().turnsSinceDistill(), threshold,
                        Optional.ofNullable(e.getValue().lastTurnAt()), Optional.ofNullable(e.getValue().distilledAt())))
                .toList();
        DistillState distill = StateFiles.read(paths.distillState(), DistillState.CODEC, sync.log());
        return new StatusReport(
                sync.location().root().toString(),
                !sync.disabled(),
                Settings.of(env).disabled() ? Optional.of(Settings.DISABLE + " is set") : sync.location().optOut(),
                inspection.localCommit().isPresent(),
                WyrenPaths.MEMORY,
                memory.map(m -> m.getBytes(StandardCharsets.UTF_8).length),
                memory.map(m -> (int) m.lines().count()),
                memory.map(m -> doc.bulletCount()),
                doc.bulletsPerSection(),
                inspection.legacyTracked(),
                inspection.location().remote(),
                inspection.location().branch(),
                inspection.location().localName(),
                inspection.localCommit().map(ShortId::of),
                inspection.remoteCommit().map(ShortId::of),
                inspection.ahead(),
                inspection.behind(),
                inspection.remoteTipAuthor(),
                inspection.remoteTipTime().map(Instant::toString),
                state.pull().map(SyncState.Event::at),
                state.pull().map(StatusReport::outcome),
                state.push().map(SyncState.Event::at),
                state.push().map(StatusReport::outcome),
                state.compactionPending(),
                drops.size(),
                drops.stream().limit(5).map(d -> d.section() + ": " + d.bullet()).toList(),
                lock.map(h -> "held by pid " + h.owner().pid() + " on " + h.owner().host()).orElse("free"),
                lock.map(h -> h.age().toSeconds()),
                inspection.handEdits(),
                HeldBack.read(paths.heldBack(), sync.log()).entries().size(),
                Staleness.check(paths, doc, Settings.of(env).staleAfter(), false, sync.log()).stream()
                        .map(m -> m.entry().section() + ": " + m.entry().bullet() + " (" + m.note() + ")").toList(),
                sessions,
                Optional.ofNullable(distill.at()),
                Optional.ofNullable(distill.engine()),
                Optional.ofNullable(distill.result()).map(r -> r + (distill.detail() == null ? "" : " (" + distill.detail() + ")")),
                DistillerProcess.running(paths.distillerPid()).map(h -> "pid " + h.owner().pid() + " since " + h.owner().time()));
    }

    public String json() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("status does not serialize", e);
        }
    }

    /**
     * One {@code key: value} a line, in the JSON's order and with its names; absent values read
     * {@code none}. Read from the record's components, not through Jackson: the text form is what
     * people run, and building a mapper would double its time.
     */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (RecordComponent component : StatusReport.class.getRecordComponents()) {
            String key = snakeCase(component.getName());
            try {
                out.append(key).append(": ").append(format(component.getAccessor().invoke(this))).append('\n');
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("status field " + key, e);
            }
        }
        return out.toString();
    }

    /**
     * {@code lockAgeSeconds} is {@code lock_age_seconds} and {@code droppedByCap30d} is
     * {@code dropped_by_cap_30d}: Jackson's snake case (the JSON names, checked equal by the tests)
     * with digits split off too.
     */
    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean digitAfterLetter = Character.isDigit(c) && i > 0 && Character.isLetter(name.charAt(i - 1));
            if (Character.isUpperCase(c) || digitAfterLetter) {
                out.append('_');
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
    }

    private static String format(Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.map(StatusReport::format).orElse("none");
        }
        if (value instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty() ? "none" : map.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        }
        if (value instanceof List<?> items) {
            return list(items.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    private static String list(List<String> items) {
        return items.isEmpty() ? "none" : items.stream().collect(Collectors.joining(", "));
    }

    private static String outcome(SyncState.Event e) {
        return e.result() + (e.detail() == null || e.detail().isBlank() ? "" : " (" + e.detail() + ")");
    }
}
