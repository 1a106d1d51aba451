package memory;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sync.Deadline;
import sync.GitSync;
import sync.NotARepository;
import sync.Repo;

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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Claude Code hooks (SPEC §6). Each hook script calls {@link #main}; tests call {@link #run}.
 *
 * <p>A hook exits 0 on every path, prints nothing unless it injects context (then one JSON line),
 * does nothing in a repository that does not use Wyren or has opted out, logs problems to
 * {@code .wyren/log}, and finishes within its deadline counted from process start (so JVM start-up
 * counts): a watchdog ends it with exit 0 and no output when the deadline passes.
 */
public final class Hooks {

    /** The hooks, with their deadlines (JVM start included). */
    public enum Event {
        SESSION_START("SessionStart", Duration.ofMillis(3000)),
        USER_PROMPT_SUBMIT("UserPromptSubmit", Duration.ofMillis(2000)),
        STOP("Stop", Duration.ofMillis(2000)),
        PRE_COMPACT("PreCompact", Duration.ofMillis(2000)),
        SESSION_END("SessionEnd", Duration.ofMillis(1000));

        private final String hookName;
        private final Duration deadline;

        Event(String hookName, Duration deadline) {
            this.hookName = hookName;
            this.deadline = deadline;
        }

        public String hookName() {
            return hookName;
        }

        public Duration deadline() {
            return deadline;
        }

        /** The event with Claude Code's name for it ({@code SessionStart}, ...). */
        public static Optional<Event> named(String hookName) {
            for (Event event : values()) {
                if (event.hookName.equals(hookName)) {
                    return Optional.of(event);
                }
            }
            return Optional.empty();
        }
    }

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
    public static void main(Event event) {
        Duration left = event.deadline().minus(ProcessClock.sinceStart());
        Deadline deadline = Deadline.in(left.isNegative() ? Duration.ZERO : left);
        Output output = new Output(System.out);
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(Math.max(0, deadline.remaining().toMillis()));
            } catch (InterruptedException e) {
                return;
            }
            output.seal();
            ProcessHandle.current().descendants().filter(p -> !DETACHED.contains(p.pid())).forEach(ProcessHandle::destroyForcibly);
            Runtime.getRuntime().halt(0);
        }, "wyren-hook-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            run(event, System.in, output, Env.system(), Path.of("").toAbsolutePath(), deadline);
        } catch (Throwable t) {
            // Never a stack trace to the user, never a non-zero exit: run() already logged what it could.
        }
        output.seal();
        System.exit(0);
    }

    /** Prints at most one payload line, never after {@link #seal()}: the watchdog and the hook cannot interleave. */
    public static final class Output {
        private final PrintStream out;
        private boolean sealed;

        public Output(PrintStream out) {
            this.out = out;
        }

        synchronized void emit(String line) {
            if (!sealed) {
                out.print(line + "\n");
                out.flush();
                sealed = true;
            }
        }

        synchronized void seal() {
            sealed = true;
            out.flush();
        }
    }

    /**
     * One hook invocation. {@code processCwd} is where the hook process runs (used when the input
     * names no {@code cwd}); {@code deadline} bounds all network work.
     */
    public static void run(Event event, InputStream in, Output out, Env env, Path processCwd, Deadline deadline) {
        if (env.truthy("WYREN_INTERNAL") || env.truthy("WYREN_DISABLE")) {
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
        GitSync sync;
        try {
            Repo repo = Repo.discover(cwd, env);
            if (repo.paths().unsafe().isPresent()) {
                // A symlink where .wyren/ keeps its folders or log: not even the log is safe to write.
                return;
            }
            sync = new GitSync(repo, env, new LogFile(repo.paths().log(), event.hookName()), Duration.ZERO);
            if (sync.disabled()) {
                return;
            }
            sync.MemoryRefs refs = sync.refs();
            if (refs.local().isEmpty() && refs.tracking().isEmpty()) {
                // No memory branch here or on the remote yet (before 'wyren init', also in a repo
                // whose legacy .wyren/memory.md is tracked): hooks neither create nor write anything.
                return;
            }
            sync.prepareWorkingDir();
        } catch (NotARepository | IOException | RuntimeException e) {
            return;
        }
        LogFile log = sync.log();
        if (input.session().isEmpty()) {
            log.info("hook input has no session_id; nothing done");
            return;
        }
        try {
            Optional<String> context = switch (event) {
                case SESSION_START -> sessionStart(sync, input, deadline);
                case USER_PROMPT_SUBMIT -> userPromptSubmit(sync, input, env, deadline);
                case STOP -> stop(sync, input, env);
                case PRE_COMPACT, SESSION_END -> distillPending(sync, input, env);
            };
            context.ifPresent(text -> out.emit(payload(event, text)));
        } catch (IOException | RuntimeException e) {
            log.warn(event.hookName() + " failed", e);
        }
    }

    private static Optional<String> sessionStart(GitSync sync, HookInput input, Deadline deadline) throws IOException {
        sync.pull(deadline.keeping(RESERVE).within(SESSION_START_PULL));
        MemoryDocument memory = MemoryDocument.parse(sync.memoryText().orElse(""));
        Optional<String> context = Injection.sessionStart(memory, sync.broadcastFiles());
        Sessions sessions = new Sessions(sync.repo().paths(), sync.log());
        sessions.update(input.sessionId(), s -> s.withTranscript(input.transcriptPath()).withSeen(memory.entries()));
        sessions.prune();
        return context;
    }

    private static Optional<String> userPromptSubmit(GitSync sync, HookInput input, Env env, Deadline deadline)
            throws IOException {
        if (liveFetchDue(sync.repo().paths(), env)) {
            sync.pull(deadline.keeping(RESERVE).within(LIVE_SYNC_PULL));
        }
        MemoryDocument memory = MemoryDocument.parse(sync.memoryText().orElse(""));
        Sessions sessions = new Sessions(sync.repo().paths(), sync.log());
        SessionState state = sessions.read(input.sessionId());
        Optional<String> context = state.seenBullets().isEmpty()
                ? Injection.sessionStart(memory, sync.broadcastFiles())
                : Injection.liveUpdate(MemoryDocument.delta(MemoryDocument.fromEntries(state.seenBullets().get()), memory));
        if (state.seenBullets().isEmpty() || context.isPresent()) {
            sessions.update(input.sessionId(), s -> s.withTranscript(input.transcriptPath()).withSeen(memory.entries()));
        }
        return context;
    }

    /**
     * Live sync fetches at most once per {@code WYREN_FETCH_INTERVAL_S} (15 s) per repository; the
     * marker file's time is claimed before fetching, so prompts at once do not all fetch.
     */
    private static boolean liveFetchDue(WyrenPaths paths, Env env) throws IOException {
        Path marker = paths.liveFetchMarker();
        Duration interval = Duration.ofSeconds(env.positiveLong("WYREN_FETCH_INTERVAL_S", 15));
        Instant now = Instant.now();
        try {
            if (Files.getLastModifiedTime(marker, LinkOption.NOFOLLOW_LINKS).toInstant().isAfter(now.minus(interval))) {
                return false;
            }
        } catch (NoSuchFileException first) {
            // Never fetched from here: due now.
        }
        AtomicFiles.write(marker, now.toString());
        return true;
    }

    private static Optional<String> stop(GitSync sync, HookInput input, Env env) throws IOException {
        if (input.continuingAfterStopHook()) {
            return Optional.empty();
        }
        Sessions sessions = new Sessions(sync.repo().paths(), sync.log());
        AtomicReference<SessionState> before = new AtomicReference<>();
        Instant now = Instant.now();
        SessionState after = sessions.update(input.sessionId(), s -> {
            before.set(s);
            return s.withTranscript(input.transcriptPath()).withTurn(now.toString());
        });
        long threshold = env.positiveLong("WYREN_TURNS_THRESHOLD", 5);
        Duration idle = Duration.ofMillis(env.positiveLong("WYREN_IDLE_MS", 120_000));
        boolean enoughTurns = after.turnsSinceDistill() >= threshold;
        boolean idleWithPending = before.get().turnsSinceDistill() > 0 && Optional.ofNullable(before.get().lastTurnAt())
                .map(Hooks::instant).map(t -> t.isBefore(now.minus(idle))).orElse(false);
        if (enoughTurns || idleWithPending) {
            startDistiller(sync, env, enoughTurns ? after.turnsSinceDistill() + " turns" : "pending turns after idle");
        }
        return Optional.empty();
    }

    private static Optional<String> distillPending(GitSync sync, HookInput input, Env env) throws IOException {
        Sessions sessions = new Sessions(sync.repo().paths(), sync.log());
        SessionState state = sessions.update(input.sessionId(), s -> s.withTranscript(input.transcriptPath()));
        if (state.turnsSinceDistill() > 0) {
            startDistiller(sync, env, state.turnsSinceDistill() + " pending turn(s)");
        }
        return Optional.empty();
    }

    /** Starts the background distiller unless one already runs for this repository. */
    static void startDistiller(GitSync sync, Env env, String why) throws IOException {
        WyrenPaths paths = sync.repo().paths();
        sync.LockFile claim;
        try {
            claim = DistillerProcess.claim(paths.distillerPid());
        } catch (sync.Locked running) {
            sync.log().info("distiller already running; not starting another (" + why + ")");
            return;
        }
        try {
            long child = DistillerProcess.spawnDetached(DistillerProcess.backgroundCommand(paths.root()), paths.root(),
                    paths.log(), env.without("WYREN_INTERNAL"));
            DETACHED.add(child);
            claim.handOver(child);
            sync.log().info("started distiller pid " + child + " (" + why + ")");
        } catch (IOException | RuntimeException e) {
            claim.close();
            throw e;
        }
    }

    private static String payload(Event event, String context) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode specific = root.putObject("hookSpecificOutput");
        specific.put("hookEventName", event.hookName());
        specific.put("additionalContext", context);
        return root.toString();
    }

    /** Logs into the repository at {@code dir} if it uses Wyren; elsewhere there is nowhere to log. */
    private static void logWhereUsed(Path dir, Env env, Event event, String message) {
        try {
            Repo repo = Repo.discover(dir, env);
            if (repo.enabledByConfig() && Files.isDirectory(repo.paths().dir()) && repo.paths().unsafe().isEmpty()) {
                new LogFile(repo.paths().log(), event.hookName()).info(message);
            }
        } catch (NotARepository | RuntimeException e) {
            // Not a repository: the hook stays silent.
        }
    }

    private static Instant instant(String iso) {
        try {
            return Instant.parse(iso);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
