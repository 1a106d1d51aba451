package session;

import local.AtomicFiles;
import local.Deadline;
import local.Env;
import local.JsonValues;
import local.LockFile;
import local.Locked;
import local.LogFile;
import local.Settings;
import local.Unique;
import local.WyrenPaths;
import memory.Injection;
import memory.MemoryDocument;
import sync.Backends;
import sync.NotARepository;
import sync.PullResult;
import sync.WyrenSync;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The Claude Code hooks (SPEC §6). Each hook script calls {@link #main}; tests call {@link #run}.
 *
 * <p>A hook exits 0 on every path, prints nothing unless it injects context (then one JSON line),
 * does nothing in a repository that does not use Wyren or has opted out, and logs problems to
 * {@code .wyren/log}. Its budget ({@link HookEvent#budget()}) counts from its own JVM's start, so a
 * slow launcher does not eat it. It does the cheap, essential part first (count the turn, record the
 * session, read memory from disk, start the distiller) and network last; what it would say is
 * prepared as soon as it is known, and a watchdog at the end of the budget says it and exits 0, so a
 * hook cut short on a busy machine is slower, never useless.
 */
public final class Hooks {

    static final Duration SESSION_START_PULL = Duration.ofMillis(1500);
    static final Duration LIVE_SYNC_PULL = Duration.ofMillis(1000);
    /** Time kept back from a pull for reading memory and answering. */
    static final Duration RESERVE = Duration.ofMillis(300);
    static final long MAX_STDIN = 4_000_000;

    /** Distillers this process started: the watchdog must not kill them with git's processes. */
    private static final Set<Long> DETACHED = ConcurrentHashMap.newKeySet();

    private Hooks() {
    }

    /** A hook script's whole life: run with the watchdog armed, then exit 0 whatever happened. */
    public static void main(HookEvent event) {
        Output output = new Output(System.out);
        runGuarded(event, System.in, output, Env.system(), Path.of("").toAbsolutePath(), HALT);
        // Nothing is left to flush or clean up (every write is complete): skip the shutdown sequence.
        Runtime.getRuntime().halt(0);
    }

    /**
     * {@link #run} under the watchdog; {@code end} stops the process when the budget runs out (the
     * training run of the hook runtime passes one that does not, so this path is archived too).
     */
    static void runGuarded(HookEvent event, InputStream in, Output output, Env env, Path cwd, Runnable end) {
        Deadline deadline = Deadline.in(event.budget());
        Thread watchdog = new Thread(new Watchdog(deadline, output, end), "wyren-hook-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            run(event, in, output, env, cwd, deadline);
        } catch (Throwable t) {
            // Never a stack trace to the user, never a non-zero exit: run() already logged what it could.
        }
        output.finish();
        watchdog.interrupt();
    }

    /**
     * Made when this class loads, so the training run of the hook runtime (which never halts) puts
     * it in the archive too: a class loaded from the jar instead opens the jar, ~2 ms per hook.
     */
    private static final Runnable HALT = new Halt();

    /** Ends the process at once, exit 0 (a class, not a lambda: see {@link Watchdog}). */
    private static final class Halt implements Runnable {
        @Override
        public void run() {
            Runtime.getRuntime().halt(0);
        }
    }

    /**
     * At the end of the budget: say what was prepared, stop git's processes (not the distiller),
     * end. A class, not a lambda: a lambda here would be spun at run time, on every hook's start.
     */
    private record Watchdog(Deadline deadline, Output output, Runnable end) implements Runnable {
        @Override
        public void run() {
            while (deadline.remaining().toNanos() > 0) {
                // parkNanos, not Thread.sleep: sleeping loads a flight-recorder event class no archive can hold.
                LockSupport.parkNanos(deadline.remaining().toNanos());
                if (Thread.interrupted()) {
                    return;
                }
            }
            output.finish();
            ProcessHandle.current().descendants().filter(p -> !DETACHED.contains(p.pid())).forEach(ProcessHandle::destroyForcibly);
            end.run();
        }
    }

    /**
     * What the hook will say: the newest prepared answer is printed once, as one line, when the hook
     * finishes or its watchdog ends it, whichever comes first.
     */
    public static final class Output {
        private final PrintStream out;
        private String answer;
        private boolean finished;

        public Output(PrintStream out) {
            this.out = out;
        }

        synchronized void say(String payload) {
            answer = payload;
        }

        synchronized void finish() {
            if (!finished && answer != null) {
                out.print(answer + "\n");
            }
            finished = true;
            out.flush();
        }
    }

    /**
     * One hook invocation. {@code processCwd} is where the hook process runs (used when the input
     * names no {@code cwd}); {@code deadline} bounds all network work.
     */
    public static void run(HookEvent event, InputStream in, Output out, Env env, Path processCwd, Deadline deadline) {
        if (Settings.of(env).internal() || Settings.of(env).disabled()) {
            return;
        }
        HookInput input;
        try {
            input = HookInput.parse(new String(in.readNBytes((int) MAX_STDIN), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            logWhereUsed(processCwd, env, event, "ignored malformed hook input: " + LogFile.describe(e));
            return;
        }
        Path cwd = input.workingDirectory().map(Path::of).orElse(processCwd);
        WyrenSync sync;
        try {
            // A symlink where .wyren/ keeps its folders or log (UnsafeWorkingDir): not even the log is safe to write.
            sync = Backends.open(cwd, env, event.hookName(), Duration.ZERO);
            if (sync.disabled() || !sync.active()) {
                return;
            }
        } catch (NotARepository | IOException | RuntimeException e) {
            return;
        }
        LogFile log = sync.log();
        if (input.session().isEmpty()) {
            log.info("hook input has no session_id; nothing done");
            return;
        }
        String runtime = System.getProperty("wyren.runtime", "");
        if (!runtime.isEmpty()) {
            log.info("hook runtime: " + runtime);
        }
        try {
            switch (event) {
                case SESSION_START -> sessionStart(sync, input, env, deadline, event, out);
                case USER_PROMPT_SUBMIT -> userPromptSubmit(sync, input, env, deadline, event, out);
                case STOP -> stop(sync, input, env);
                case PRE_COMPACT, SESSION_END -> distillPending(sync, input, env);
            }
        } catch (IOException | RuntimeException e) {
            log.warn(event.hookName() + " failed", e);
        }
    }

    private static void sessionStart(WyrenSync sync, HookInput input, Env env, Deadline deadline, HookEvent event, Output out)
            throws IOException {
        FutureTask<PullResult> pulling = pullAside(() -> sync.pull(deadline.keeping(RESERVE).within(SESSION_START_PULL)));
        Sessions sessions = new Sessions(sync.paths(), sync.log());
        try {
            MemoryDocument memory = MemoryDocument.parse(sync.memoryText().orElse(""));
            sessions.update(input.sessionId(), s -> s.withTranscript(input.transcriptPath()).withSeen(memory.entries()));
            Injection.sessionStart(memory, sync.broadcastFiles(), staleNotes(sync, memory, env))
                    .ifPresent(text -> out.say(payload(event, text)));
        } catch (IOException | RuntimeException e) {
            joinedAfter(e, Optional.of(pulling));
            throw e;
        }
        if (joined(pulling).working() == PullResult.Working.UPDATED) {
            MemoryDocument pulled = MemoryDocument.parse(sync.memoryText().orElse(""));
            sessions.update(input.sessionId(), s -> s.withSeen(pulled.entries()));
            Injection.sessionStart(pulled, sync.broadcastFiles(), staleNotes(sync, pulled, env))
                    .ifPresent(text -> out.say(payload(event, text)));
        }
        sessions.prune();
    }

    /** Notes for possibly stale entries, checked with file-system calls only; what is learned is recorded. */
    private static Map<String, String> staleNotes(WyrenSync sync, MemoryDocument memory, Env env) {
        return Staleness.notes(Staleness.check(sync.paths(), memory, Settings.of(env).staleAfter(), true, sync.log()));
    }

    /**
     * Live sync: what changed since the session last saw the memory, first from disk; then, when a
     * fetch is due, from the remote too (the delta is then computed against what the session had
     * seen before this prompt, so nothing is told twice or left out).
     */
    private static void userPromptSubmit(WyrenSync sync, HookInput input, Env env, Deadline deadline, HookEvent event,
                                         Output out) throws IOException {
        Sessions sessions = new Sessions(sync.paths(), sync.log());
        Optional<List<MemoryDocument.Entry>> seen = sessions.read(input.sessionId()).seenBullets();
        Optional<FutureTask<PullResult>> pulling = liveFetchDue(sync, env)
                ? Optional.of(pullAside(() -> sync.pull(deadline.keeping(RESERVE).within(LIVE_SYNC_PULL))))
                : Optional.empty();
        try {
            MemoryDocument disk = MemoryDocument.parse(sync.memoryText().orElse(""));
            Optional<String> context = liveContext(sync, seen, disk);
            if (seen.isEmpty() || context.isPresent()) {
                sessions.update(input.sessionId(), s -> s.withTranscript(input.transcriptPath()).withSeen(disk.entries()));
                context.ifPresent(text -> out.say(payload(event, text)));
            }
        } catch (IOException | RuntimeException e) {
            joinedAfter(e, pulling);
            throw e;
        }
        if (pulling.isPresent() && joined(pulling.get()).working() == PullResult.Working.UPDATED) {
            MemoryDocument pulled = MemoryDocument.parse(sync.memoryText().orElse(""));
            Optional<String> fresh = liveContext(sync, seen, pulled);
            if (fresh.isPresent()) {
                sessions.update(input.sessionId(), s -> s.withTranscript(input.transcriptPath()).withSeen(pulled.entries()));
                out.say(payload(event, fresh.get()));
            }
        }
    }

    /**
     * Starts a pull beside the hook's disk work, which prepares the answer from what is on disk
     * meanwhile: a JVM's first process start costs ~10 ms of one-time set-up, and the fetch itself
     * waits on the network. Whichever memory the disk work reads (before or after the pull writes
     * it out), the answer after {@link #joined} is the newest. The hook joins it on every path, so
     * the process never ends in the middle of a pull its own work did not cut.
     */
    private static FutureTask<PullResult> pullAside(Callable<PullResult> pull) {
        FutureTask<PullResult> pulling = new FutureTask<>(pull);
        Thread puller = new Thread(pulling, "wyren-pull");
        puller.setDaemon(true);
        puller.start();
        return pulling;
    }

    private static PullResult joined(FutureTask<PullResult> pulling) throws IOException {
        try {
            return pulling.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the pull", e);
        } catch (ExecutionException e) {
            throw new IOException("the pull failed: " + LogFile.describe(e.getCause()), e.getCause());
        }
    }

    /** After the disk work failed: the pull still ends before the process does; the disk failure is what is reported. */
    private static void joinedAfter(Exception failure, Optional<FutureTask<PullResult>> pulling) {
        try {
            if (pulling.isPresent()) {
                joined(pulling.get());
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** The whole memory for a session that has seen none, else only what changed. */
    private static Optional<String> liveContext(WyrenSync sync, Optional<List<MemoryDocument.Entry>> seen, MemoryDocument memory) {
        return seen.isEmpty()
                ? Injection.sessionStart(memory, sync.broadcastFiles())
                : Injection.liveUpdate(MemoryDocument.delta(MemoryDocument.fromEntries(seen.get()), memory));
    }

    /**
     * Live sync fetches at most once per {@code WYREN_FETCH_INTERVAL_S} (15 s) per repository; the
     * marker file's time is claimed before fetching, so prompts at once do not all fetch.
     */
    private static boolean liveFetchDue(WyrenSync sync, Env env) {
        Path marker = sync.paths().liveFetchMarker();
        Duration interval = Settings.of(env).fetchInterval();
        Instant now = Instant.now();
        try {
            try {
                if (Files.getLastModifiedTime(marker, LinkOption.NOFOLLOW_LINKS).toInstant().isAfter(now.minus(interval))) {
                    return false;
                }
            } catch (NoSuchFileException first) {
                // Never fetched from here: due now.
            }
            AtomicFiles.writeState(marker, Unique.iso(now));
            return true;
        } catch (IOException e) {
            // Without its marker a fetch could run on every prompt: none now, the disk's answer still goes out.
            sync.log().warn("live fetch marker unwritable; no fetch", e);
            return false;
        }
    }

    private static void stop(WyrenSync sync, HookInput input, Env env) throws IOException {
        if (input.continuingAfterStopHook()) {
            return;
        }
        Sessions sessions = new Sessions(sync.paths(), sync.log());
        AtomicReference<SessionState> before = new AtomicReference<>();
        Instant now = Instant.now();
        SessionState after = sessions.update(input.sessionId(), s -> {
            before.set(s);
            return s.withTranscript(input.transcriptPath()).withTurn(Unique.iso(now));
        });
        long threshold = Settings.of(env).turnsThreshold();
        Duration idle = Settings.of(env).idle();
        boolean enoughTurns = after.turnsSinceDistill() >= threshold;
        boolean idleWithPending = before.get().turnsSinceDistill() > 0 && Optional.ofNullable(before.get().lastTurnAt())
                .map(Hooks::instant).map(t -> t.isBefore(now.minus(idle))).orElse(false);
        if (enoughTurns || idleWithPending) {
            startDistiller(sync, env, enoughTurns ? after.turnsSinceDistill() + " turns" : "pending turns after idle");
        }
    }

    private static void distillPending(WyrenSync sync, HookInput input, Env env) throws IOException {
        Sessions sessions = new Sessions(sync.paths(), sync.log());
        SessionState state = sessions.update(input.sessionId(), s -> s.withTranscript(input.transcriptPath()));
        if (state.turnsSinceDistill() > 0) {
            startDistiller(sync, env, state.turnsSinceDistill() + " pending turn(s)");
        }
    }

    /** Starts the background distiller unless one already runs for this repository. */
    static void startDistiller(WyrenSync sync, Env env, String why) throws IOException {
        WyrenPaths paths = sync.paths();
        LockFile claim;
        try {
            claim = DistillerProcess.claim(paths.distillerPid());
        } catch (Locked running) {
            sync.log().info("distiller already running; not starting another (" + why + ")");
            return;
        }
        try {
            long child = DistillerProcess.spawnDetached(DistillerProcess.backgroundCommand(paths.root()), paths.root(),
                    paths.log(), env.without(Settings.INTERNAL));
            DETACHED.add(child);
            claim.handOver(child);
            sync.log().info("started distiller pid " + child + " (" + why + ")");
        } catch (IOException | RuntimeException e) {
            claim.close();
            throw e;
        }
    }

    /** The one JSON line Claude Code reads from a hook that injects context. */
    static String payload(HookEvent event, String context) {
        Map<String, Object> specific = new LinkedHashMap<>();
        specific.put("hookEventName", event.hookName());
        specific.put("additionalContext", context);
        return JsonValues.write(Map.of("hookSpecificOutput", specific));
    }

    /** Logs into the repository at {@code dir} if it uses Wyren; elsewhere there is nowhere to log. */
    private static void logWhereUsed(Path dir, Env env, HookEvent event, String message) {
        try {
            WyrenSync sync = Backends.open(dir, env, event.hookName(), Duration.ZERO);
            if (!sync.disabled() && Files.isDirectory(sync.paths().dir())) {
                sync.log().info(message);
            }
        } catch (NotARepository | RuntimeException e) {
            // Not a repository: the hook stays silent.
        }
    }

    private static Instant instant(String iso) {
        try {
            return Unique.parse(iso);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
