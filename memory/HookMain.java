package memory;

import sync.Deadline;
import sync.GitSync;
import sync.Repo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The entry point of the fast hook command ({@code hooks/run <Hook>}): {@code java -cp <cached
 * classpath> memory.HookMain SessionStart}. With {@code --train} it exercises every hook once in a
 * throwaway repository, so that a class-data-sharing archive recorded during that run holds the
 * classes the hooks really load.
 */
public final class HookMain {

    private HookMain() {
    }

    public static void main(String... args) throws Exception {
        if (args.length == 1 && args[0].equals("--train")) {
            train();
            return;
        }
        Optional<Hooks.Event> event = args.length == 1 ? Hooks.Event.named(args[0]) : Optional.empty();
        if (event.isEmpty()) {
            System.exit(0);
        }
        Hooks.main(event.get());
    }

    private static void train() throws Exception {
        Path dir = Files.createTempDirectory("wyren-hook-train-");
        try {
            Path config = dir.resolve("gitconfig");
            Files.writeString(config, "[user]\n\tname = Wyren\n\temail = wyren@localhost\n");
            Env env = Env.system().with("GIT_CONFIG_GLOBAL", config.toString()).with("GIT_CONFIG_NOSYSTEM", "1")
                    .with("WYREN_TURNS_THRESHOLD", "1000000").without("WYREN_DISABLE").without("WYREN_INTERNAL");
            Path repo = dir.resolve("repo");
            new sync.Git(dir, env).call("init", "-q", repo.toString()).run();
            GitSync sync = new GitSync(Repo.discover(repo, env), env, new LogFile(repo.resolve(".wyren/log"), "train"),
                    Duration.ofSeconds(5));
            sync.initialize(Optional.of(MemoryDocument.parse("# Team memory\n\n## Decisions\n- Trained [00000000, turn 1]\n")),
                    Deadline.in(Duration.ofSeconds(10)));
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            // Not SessionEnd or PreCompact: with a pending turn they would start a real distiller.
            for (Hooks.Event event : List.of(Hooks.Event.SESSION_START, Hooks.Event.USER_PROMPT_SUBMIT, Hooks.Event.STOP)) {
                String input = "{\"session_id\":\"train\",\"cwd\":\"" + repo + "\",\"hook_event_name\":\"" + event.hookName()
                        + "\",\"transcript_path\":\"" + dir.resolve("t.jsonl") + "\",\"prompt\":\"p\",\"source\":\"startup\"}";
                Hooks.run(event, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), new Hooks.Output(quiet),
                        env, repo, Deadline.in(Duration.ofSeconds(10)));
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
