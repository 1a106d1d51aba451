package session;

import local.Deadline;
import local.Env;
import local.LockFile;
import local.LogFile;
import local.Settings;
import local.ShortId;
import local.StateFiles;
import local.Unique;
import local.WyrenPaths;
import memory.MemoryDocument;
import memory.Redactor;
import sync.Backends;
import sync.NotARepository;
import sync.PushResult;
import sync.WyrenSync;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns session transcripts into team memory (SPEC §8): read the slice after the session's
 * watermark, skip it when it carries no signal, run the engine, validate and redact its output,
 * merge it with whatever changed meanwhile and commit under the sync lock, push, and only then
 * advance the watermark. A failed, timed-out or refused engine run changes nothing.
 *
 * <p>Used by {@code wyren distill} and, through {@link #main}, as the detached background process
 * the hooks start.
 */
public final class Distiller {

    public static final Duration PULL_CAP = Duration.ofSeconds(3);
    public static final Duration PUSH_DEADLINE = Duration.ofSeconds(60);
    static final int MAX_BACKGROUND_ROUNDS = 3;
    /**
     * The background distiller's own time limit ({@code WYREN_DISTILL_WALL_S}): past it, it stops its
     * engine, releases the pid file and exits, whatever it was doing. A running distiller is never
     * taken over, so this is what guarantees the next one can start.
     */
    public static final Duration WALL_CLOCK = Duration.ofMinutes(10);

    /** What to distill and how; the CLI's flags. */
    public record Options(boolean force, boolean dryRun, boolean noPush, Optional<Path> transcript,
                          Optional<String> session, Optional<String> engine) {
        public static Options automatic() {
            return new Options(false, false, false, Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    public enum Status {
        DISTILLED, UNCHANGED, NOTHING_NEW, SKIPPED_LOW_SIGNAL, DRY_RUN, NO_TRANSCRIPT, ENGINE_FAILED,
        OUTPUT_REJECTED, COMMIT_FAILED;

        public boolean failed() {
            return this == ENGINE_FAILED || this == OUTPUT_REJECTED || this == COMMIT_FAILED || this == NO_TRANSCRIPT;
        }
    }

    /** One session's outcome. */
    public record SessionResult(String sessionId, Status status, String detail) {}

    /** The whole run: which engine, what happened per session, how the last commit/push went. */
    public record Report(String engine, List<SessionResult> sessions, Optional<PushResult> publish) {
        public boolean failed() {
            return sessions.stream().anyMatch(s -> s.status().failed()) || publish.map(p -> !p.fine()).orElse(false);
        }
    }

    private final WyrenSync sync;
    private final Env env;
    private final WyrenPaths paths;
    private final Sessions sessions;
    private final LogFile log;

    public Distiller(WyrenSync sync, Env env) {
        this.sync = sync;
        this.env = env;
        this.paths = sync.paths();
        this.log = sync.log().component("distill");
        this.sessions = new Sessions(paths, log);
    }

    /**
     * Runs the distillation. {@code Engine.choose} throws {@link IllegalArgumentException} for an
     * unknown engine name (the CLI's usage error). With {@code dryRun} the prompt goes to
     * {@code dryRunOut} and nothing is changed.
     */
    public Report run(Options options, PrintWriter dryRunOut) throws IOException {
        Engine engine = Engine.choose(options.engine(), env);
        log.info("engine " + engine.name() + " (" + (options.engine().isPresent() ? "--engine"
                : Settings.of(env).distiller().isPresent() ? Settings.DISTILLER : "auto") + ")");
        if (!options.dryRun()) {
            sync.pull(Deadline.in(PULL_CAP));
        }
        List<SessionResult> results = new ArrayList<>();
        Optional<PushResult> publish = Optional.empty();
        for (Target target : targets(options)) {
            Outcome outcome = distillSession(target, engine, options, dryRunOut);
            results.add(outcome.result());
            if (outcome.publish().isPresent()) {
                publish = outcome.publish();
            }
            log.info("session " + ShortId.of(target.sessionId()) + ": " + outcome.result().status().name().toLowerCase(java.util.Locale.ROOT)
                    + " (" + outcome.result().detail() + ")");
        }
        Report report = new Report(engine.name(), results, publish);
        if (!options.dryRun()) {
            record(report);
        }
        return report;
    }

    private record Target(String sessionId, Optional<Path> transcript) {}

    private record Outcome(SessionResult result, Optional<PushResult> publish) {
        static Outcome of(String sessionId, Status status, String detail) {
            return new Outcome(new SessionResult(sessionId, status, detail), Optional.empty());
        }
    }

    /** {@code --transcript} (its session from {@code --session}, the file or its name), else every session with pending turns. */
    private List<Target> targets(Options options) throws IOException {
        if (options.transcript().isPresent()) {
            Path transcript = options.transcript().get().toAbsolutePath();
            String id = options.session().or(() -> sessionIdOf(transcript))
                    .orElse(transcript.getFileName().toString().replaceFirst("\\.jsonl$", ""));
            sessions.update(id, s -> s.withTranscript(transcript.toString()));
            return List.of(new Target(id, Optional.of(transcript)));
        }
        List<Target> targets = new ArrayList<>();
        for (Map.Entry<String, SessionState> e : sessions.all().entrySet()) {
            boolean wanted = options.session().map(e.getKey()::equals).orElse(e.getValue().turnsSinceDistill() > 0);
            if (wanted) {
                targets.add(new Target(e.getKey(), e.getValue().transcript().map(Path::of)));
            }
        }
        return targets;
    }

    private Outcome distillSession(Target target, Engine engine, Options options, PrintWriter dryRunOut) throws IOException {
        String id = target.sessionId();
        if (target.transcript().isEmpty() || !Files.isRegularFile(target.transcript().get())) {
            return Outcome.of(id, Status.NO_TRANSCRIPT, "transcript not found: " + target.transcript().map(Path::toString).orElse("none recorded"));
        }
        SessionState state = sessions.read(id);
        int consumed = state.turnsSinceDistill();
        Transcript.Slice slice = Transcript.read(target.transcript().get(), state.watermarkUuid());
        if (slice.isEmpty()) {
            advance(id, slice.lastUuid(), consumed);
            return Outcome.of(id, Status.NOTHING_NEW, "no new turns");
        }
        boolean compaction = sync.compactionPending();
        int score = Signals.score(slice);
        long threshold = Settings.of(env).tier0Threshold(Signals.DEFAULT_THRESHOLD);
        if (score < threshold && !options.force() && !compaction) {
            if (!options.dryRun()) {
                advance(id, slice.lastUuid(), consumed);
            }
            return Outcome.of(id, Status.SKIPPED_LOW_SIGNAL, "signal score " + score + " < " + threshold + "; no engine call");
        }
        MemoryDocument current = MemoryDocument.parse(sync.memoryText().orElse(""));
        Redactor.Result redactedSlice = Redactor.redact(slice.render());
        if (redactedSlice.count() > 0) {
            log.info("redacted " + redactedSlice.count() + " secret(s) from the transcript slice");
        }
        Duration staleAfter = Settings.of(env).staleAfter();
        String prompt = Prompt.build(current, redactedSlice.text(), id, Staleness.check(paths, current, staleAfter, !options.dryRun(), log));
        if (options.dryRun()) {
            dryRunOut.println(prompt);
            dryRunOut.flush();
            return Outcome.of(id, Status.DRY_RUN, "prompt printed (" + prompt.length() + " characters); nothing changed");
        }
        Engine.Outcome engineOutcome = engine.distill(new Engine.Request(current, slice, id, prompt, env, Engine.timeout(env)));
        if (engineOutcome instanceof Engine.Outcome.Failed failed) {
            return Outcome.of(id, Status.ENGINE_FAILED, failed.reason());
        }
        Engine.Outcome.Output produced = (Engine.Outcome.Output) engineOutcome;
        produced.notes().forEach(note -> log.info(engine.name() + ": " + LogFile.quote(note)));
        String output = produced.text();
        DistillOutput.Verdict verdict = DistillOutput.validate(output, current, options.force() || compaction);
        if (verdict instanceof DistillOutput.Verdict.Rejected rejected) {
            return Outcome.of(id, Status.OUTPUT_REJECTED, rejected.reason());
        }
        Vetting.Vetted vetted = holdBackForReview(id, slice, current,
                keepPeoplesText(((DistillOutput.Verdict.Accepted) verdict).memory(), current));
        MemoryDocument distilled = vetted.memory();
        if (compaction) {
            // Cleared before the commit: drops made by this very commit set it again.
            sync.recordCompactionPending(false);
        }
        PushResult committed = sync.commitMemory(id, latest -> MemoryDocument.merge(current, distilled,
                MemoryDocument.parse(latest)).render(), !options.noPush(), Deadline.in(PUSH_DEADLINE));
        boolean safe = committed.commit().isPresent() && switch (committed.outcome()) {
            case PUSHED, NO_CHANGES, COMMITTED, COMMITTED_NO_REMOTE, PUSH_FAILED, REJECTED -> true;
            default -> false;
        };
        if (!safe) {
            if (compaction) {
                sync.recordCompactionPending(true);
            }
            return new Outcome(new SessionResult(id, Status.COMMIT_FAILED, committed.detail()), Optional.of(committed));
        }
        advance(id, slice.lastUuid(), consumed);
        markOwnChangesSeen(id, MemoryDocument.delta(current, distilled));
        // The paths its new entries name are recorded as they are now, when the entries are written.
        Staleness.check(paths, MemoryDocument.parse(sync.memoryText().orElse("")), staleAfter, true, log);
        Status status = committed.outcome() == PushResult.Outcome.NO_CHANGES ? Status.UNCHANGED : Status.DISTILLED;
        return new Outcome(new SessionResult(id, status, engine.name() + ", " + slice.turns() + " turn(s), score " + score
                + "; " + committed.summary() + (vetted.held().isEmpty() ? "" : "; " + vetted.held().size() + " entr" + (vetted.held().size() == 1 ? "y" : "ies")
                + " held back: run 'wyren review'")), Optional.of(committed));
    }

    /**
     * Keeps every new entry {@link Vetting} has a concern about for {@code wyren review}, out of
     * the distilled memory; the rest of the distillation lands.
     */
    private Vetting.Vetted holdBackForReview(String sessionId, Transcript.Slice slice, MemoryDocument current,
                                             MemoryDocument distilled) throws IOException {
        Vetting.Vetted vetted = Vetting.vet(sessionId, slice, current, distilled, sync.location().remoteUrl());
        if (!vetted.held().isEmpty()) {
            HeldBack.update(paths.heldBack(), log, h -> h.with(vetted.held()));
            vetted.held().forEach(h -> log.info("held back for review (" + String.join(", ", h.reasons()) + "): "
                    + LogFile.quote(h.bullet()) + "; see 'wyren review'"));
        }
        return vetted;
    }

    /**
     * Handoff notes and the text outside bullets (the title, the explanation, a section's prose) are
     * written by people: whatever the engine did to them, the current ones stay. An engine adds
     * knowledge only as bullets, each of which {@link #holdBackForReview} checks, so nothing it read
     * in tool output can reach the team as prose.
     */
    private static MemoryDocument keepPeoplesText(MemoryDocument distilled, MemoryDocument current) {
        Optional<MemoryDocument.Section> notes = current.section("Handoff notes");
        List<MemoryDocument.Section> sections = new ArrayList<>();
        for (MemoryDocument.Section s : distilled.sections()) {
            if (!s.name().equals("Handoff notes")) {
                sections.add(new MemoryDocument.Section(s.name(),
                        current.section(s.name()).map(MemoryDocument.Section::prose).orElse(List.of()), s.bullets()));
            }
        }
        notes.ifPresent(sections::add);
        return new MemoryDocument(current.preamble().isEmpty() ? MemoryDocument.skeleton().preamble() : current.preamble(), sections);
    }

    /**
     * The session whose transcript this was already knows what its distillation added or removed:
     * its live sync must not hand that back to it as news.
     */
    private void markOwnChangesSeen(String sessionId, MemoryDocument.Delta own) throws IOException {
        sessions.update(sessionId, s -> s.seenBullets().map(seen -> {
            List<MemoryDocument.Entry> updated = new ArrayList<>(seen);
            updated.removeIf(e -> own.removed().stream().anyMatch(r -> sameBullet(r, e)));
            own.added().stream().filter(a -> updated.stream().noneMatch(e -> sameBullet(a, e))).forEach(updated::add);
            return s.withSeen(updated);
        }).orElse(s));
    }

    private static boolean sameBullet(MemoryDocument.Entry a, MemoryDocument.Entry b) {
        return a.section().equalsIgnoreCase(b.section())
                && MemoryDocument.identity(a.bullet()).equals(MemoryDocument.identity(b.bullet()));
    }

    private void advance(String sessionId, Optional<String> uuid, int consumedTurns) throws IOException {
        sessions.update(sessionId, s -> s.distilledTo(uuid.orElse(null), consumedTurns));
    }

    private void record(Report report) {
        String result = report.sessions().isEmpty() ? "nothing_pending"
                : report.sessions().stream().map(s -> s.status().name().toLowerCase(java.util.Locale.ROOT)).distinct()
                .reduce((a, b) -> a + "," + b).orElse("");
        String detail = report.sessions().isEmpty() ? "no session had pending turns"
                : report.sessions().get(report.sessions().size() - 1).detail();
        try {
            StateFiles.write(paths.distillState(), DistillState.CODEC, new DistillState(Unique.now(), report.engine(), result, detail));
        } catch (IOException e) {
            log.warn("could not record the distillation", e);
        }
    }

    private Optional<String> sessionIdOf(Path transcript) {
        try {
            return Transcript.sessionId(transcript);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Ends this process at {@code limit}: its children (a hanging engine) are killed, the pid file
     * released, and the process halts. Memory and watermarks are only ever moved by completed steps,
     * so stopping anywhere loses nothing but the unfinished round.
     */
    private static void stopAtWallClock(Duration limit, LockFile claim, LogFile log) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            log.info("stopped at the distiller's wall-clock limit of " + limit.toSeconds() + " s");
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            claim.close();
            Runtime.getRuntime().halt(0);
        }, "wyren-distiller-wall-clock");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * The background distiller a hook starts: {@code session.Distiller <repo root>}. Runs every
     * session with pending turns, holding the repository's distiller pid file; prints nothing
     * (its output goes to the log anyway) and always exits 0.
     */
    public static void main(String... args) {
        Env env = Env.system();
        if (args.length != 1 || Settings.of(env).disabled() || Settings.of(env).internal()) {
            return;
        }
        Path pidFile = new WyrenPaths(Path.of(args[0])).distillerPid();
        Optional<LockFile> claim = Optional.empty();
        try {
            WyrenSync sync = Backends.open(Path.of(args[0]), env, "distill", WyrenSync.CLI_LOCK_WAIT);
            claim = sync.disabled() ? Optional.empty() : DistillerProcess.takeOverFromSpawner(pidFile);
            if (claim.isEmpty()) {
                return;
            }
            stopAtWallClock(Settings.of(env).distillWall(WALL_CLOCK),
                    claim.get(), sync.log().component("distill"));
            Distiller distiller = new Distiller(sync, env);
            // Turns counted while a round ran (the session went on) are taken by the next round;
            // a round that only failed ends the loop, so a broken engine is not retried here.
            for (int round = 0; round < MAX_BACKGROUND_ROUNDS; round++) {
                Report report = distiller.run(Options.automatic(), new PrintWriter(java.io.Writer.nullWriter()));
                if (report.sessions().isEmpty() || report.sessions().stream().allMatch(r -> r.status().failed())) {
                    break;
                }
            }
        } catch (NotARepository | IOException | RuntimeException e) {
            new LogFile(new WyrenPaths(Path.of(args[0])).log(), "distill").warn("background distillation failed", e);
        } finally {
            claim.ifPresent(LockFile::close);
        }
    }
}
