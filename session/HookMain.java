package session;

import local.Deadline;
import local.Env;
import local.Settings;
import memory.MemoryDocument;
import sync.Backends;
import sync.Git;
import sync.PushResult;
import sync.WyrenSync;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The entry point of the fast hook command ({@code hooks/run <Hook>}): {@code java -cp <cached
 * classpath> session.HookMain SessionStart}. With {@code --train} it exercises every hook once in a
 * throwaway repository, so that a class-data-sharing archive recorded during that run holds the
 * classes the hooks really load.
 */
public final class HookMain {

    private HookMain() {
    }

    public static void main(String... args) throws Exception {
        if (args.length == 2 && args[0].equals("--prepare-training")) {
            prepareTraining(Path.of(args[1]));
            return;
        }
        if (args.length == 2 && args[0].equals("--train")) {
            train(Path.of(args[1]));
            return;
        }
        if (args.length >= 3 && args[0].equals("--merge-jars")) {
            HookJar.merge(Path.of(args[1]), Stream.of(args).skip(2).map(Path::of).toList());
            return;
        }
        if (args.length == 1 && args[0].equals("--check")) {
            // Started with the archive required (-Xshare:on / -XX:AOTMode=on): getting here proves it maps.
            return;
        }
        Optional<HookEvent> event = args.length == 1 ? HookEvent.named(args[0]) : Optional.empty();
        if (event.isEmpty()) {
            System.exit(0);
        }
        Hooks.main(event.get());
    }

    /**
     * A throwaway repository with team memory for {@link #train}, made in a separate run so that what
     * only setting it up loads (commits, merges) stays out of the archive.
     */
    private static void prepareTraining(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(".gitconfig"), "[user]\n\tname = Wyren\n\temail = wyren@localhost\n");
        Env env = trainingEnv(dir);
        Path repo = dir.resolve("repo");
        // A remote of its own (a bare repository beside it): the hooks' fetch path is trained too.
        Path remote = dir.resolve("remote.git");
        Git git = new Git(dir, env);
        git.call("init", "-q", "--bare", remote.toString()).run();
        git.call("init", "-q", repo.toString()).run();
        git.in(repo).call("remote", "add", "origin", remote.toString()).run();
        // Entries naming a file that exists, one that is gone and a workaround: SessionStart's stale
        // check then runs all its paths (learning, recording, the search for a gone file) in training.
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/Main.java"), "class Main {}\n");
        Backends.open(repo, env, "train", Duration.ofSeconds(5)).initialize(Optional.of(MemoryDocument.parse("""
                        # Team memory

                        ## Decisions
                        - Trained [00000000, turn 1]
                        - Kept src/Main.java small [00000000, turn 2]
                        - Dropped docs/setup.md for the wiki [00000000, turn 3]

                        ## Live workarounds
                        - Retry the flaky fetch in scripts/fetch.sh [00000000, turn 4]
                        """)), Deadline.in(Duration.ofSeconds(10)));
        // The training session has seen that memory; then a teammate publishes a change, which the
        // training run's first hook (a prompt, live fetch due) fetches and tells: the path that
        // brings a teammate's change into a running session is trained too. The change names a
        // path, so the next SessionStart's stale check learns and records a new entry.
        hook(HookEvent.SESSION_START, dir, env);
        try {
            Path teammate = dir.resolve("teammate");
            git.call("clone", "-q", remote.toString(), teammate.toString()).run();
            WyrenSync mate = Backends.open(teammate, env, "train", Duration.ofSeconds(5));
            mate.pull(Deadline.in(Duration.ofSeconds(10)));
            PushResult pushed = mate.commitMemory("teammate", text -> text.replace("## Decisions\n",
                    "## Decisions\n- Moved the settings to conf/app.yml [11111111, turn 1]\n"), true, Deadline.in(Duration.ofSeconds(10)));
            if (pushed.outcome() != PushResult.Outcome.PUSHED) {
                throw new IOException(pushed.outcome() + ": " + pushed.detail());
            }
        } catch (IOException | RuntimeException e) {
            // Only this path's speed depends on it: the runtime is still built, and says why in its build log.
            System.err.println("training without a teammate's change: " + e.getMessage());
        }
    }

    private static void hook(HookEvent event, Path dir, Env env) {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Hooks.runGuarded(event, new ByteArrayInputStream(HookInput.json(event, "train", dir.resolve("repo"),
                        Optional.of(dir.resolve("t.jsonl"))).getBytes(StandardCharsets.UTF_8)),
                new Hooks.Output(quiet), env, dir.resolve("repo"), () -> { });
    }

    /**
     * Runs the hooks the way production does in the repository {@link #prepareTraining} made: a
     * teammate's change arriving at a prompt, memory read from disk, live sync due and not due, a turn
     * counted, config from its cache.
     */
    private static void train(Path dir) throws Exception {
        Env env = trainingEnv(dir);
        // Not SessionEnd or PreCompact: with a pending turn they would start a real distiller.
        List<HookEvent> events = List.of(HookEvent.USER_PROMPT_SUBMIT, HookEvent.SESSION_START, HookEvent.USER_PROMPT_SUBMIT,
                HookEvent.USER_PROMPT_SUBMIT, HookEvent.STOP, HookEvent.SESSION_START, HookEvent.USER_PROMPT_SUBMIT, HookEvent.STOP);
        for (HookEvent event : events) {
            hook(event, dir, env);
        }
        deleteTree(dir);
    }

    private static Env trainingEnv(Path dir) {
        // A home of its own, as a user's: the config lookups a hook does in production are the ones trained.
        // Wyren's own settings at their defaults: a build inherits the environment of the hook that
        // started it, and one with the pull skipped would leave the fetching paths out of the archive.
        Map<String, String> vars = new HashMap<>(Env.system().vars());
        vars.keySet().removeIf(name -> name.startsWith("WYREN_"));
        return new Env(vars).with("HOME", dir.toString()).without("GIT_CONFIG_GLOBAL").without("XDG_CONFIG_HOME")
                .with(Settings.TURNS_THRESHOLD, "1000000");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
