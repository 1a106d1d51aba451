//FILES demo/decisions.jsonl=../tests/fixtures/transcripts/decisions.jsonl
package cli;

import local.ChildProcess;
import local.Env;
import local.Json;
import local.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import session.HookEvent;
import session.HookInput;
import session.HookMain;
import sync.Git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Show Wyren end to end: two teammates, one temporary bare remote, offline.", "",
                "Alice's session (a recorded transcript) goes through the real Stop hook; the distiller (extractive engine) writes and pushes the memory; Bob's real SessionStart hook hands his session her decisions; Bob changes one; Alice's UserPromptSubmit hook shows her the change. Nothing outside a temporary folder is touched; it is deleted at the end unless --keep is given."},
        footer = {"", "Examples:", "  wyren demo", "  wyren demo --keep"})
public class DemoCommand implements Callable<Integer> {

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--keep", description = "Keep the temporary folder and print its path.")
    boolean keep;

    private PrintWriter out;
    private Env env;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("wyren-demo-");
        env = isolatedEnv(common.context().env(), dir);
        Path bob = dir.resolve("bob");
        out.println("Demo folder: " + dir + (keep ? "" : " (deleted at the end)"));
        try {
            Path remote = dir.resolve("team.git");
            git(dir, "init", "-q", "--bare", remote.toString());
            Path alice = teammate(dir, remote, "alice");

            step("Alice runs 'wyren init' once for the repository: the memory branch is created and pushed.");
            wyren(alice, new InitCommand());

            step("Alice works a Claude Code session (a recorded transcript). Claude Code runs Wyren's Stop hook after each turn;"
                    + " when enough turns are pending it starts the distiller in the background.");
            Path transcript = dir.resolve(ALICE_SESSION + ".jsonl");
            try (InputStream fixture = DemoCommand.class.getResourceAsStream("/demo/decisions.jsonl")) {
                Files.copy(fixture, transcript);
            }
            Hook stop = hook("Stop", alice, ALICE_SESSION, transcript, env.with(Settings.TURNS_THRESHOLD, "1"));
            out.println("  Stop hook: exit " + stop.exit() + " after " + stop.millis() + " ms, stdout '" + stop.stdout() + "'");
            awaitDistiller(alice);
            out.println("  distiller: " + lastLine(alice.resolve(".wyren/log"), "distill: session"));
            show(alice.resolve(".wyren/memory.md"));

            step("Bob clones the repository and starts Claude Code. The SessionStart hook hands his first prompt Alice's decisions:");
            git(dir, "clone", "-q", remote.toString(), bob.toString());
            Hook start = hook("SessionStart", bob, "b0b5e55104-demo", null, env);
            out.println("  SessionStart hook: exit " + start.exit() + " after " + start.millis() + " ms; additionalContext:");
            context(start.stdout()).lines().forEach(l -> out.println("  | " + l));

            step("Alice's session is still running. Bob's session decides otherwise, and the change is pushed.");
            hook("SessionStart", alice, ALICE_SESSION, transcript, env);
            Path bobMemory = bob.resolve(".wyren/memory.md");
            Files.writeString(bobMemory, Files.readString(bobMemory).replaceFirst("- We decided to go with SQLite[^\\n]*\\n",
                    "- Postgres for the cart store: SQLite locked up under load [b0b5e551, turn 4]\n"));
            wyren(bob, new SyncCommand());

            step("Alice types her next prompt. The UserPromptSubmit hook hands her session only what changed:");
            Hook prompt = hook("UserPromptSubmit", alice, ALICE_SESSION, transcript, env);
            out.println("  UserPromptSubmit hook: exit " + prompt.exit() + " after " + prompt.millis() + " ms; additionalContext:");
            context(prompt.stdout()).lines().forEach(l -> out.println("  | " + l));
            out.println();
            out.println("  Alice's working tree: git status --short = '" + git(alice, "status", "--short") + "'");
            out.println("  Alice's branches: " + String.join(", ", git(alice, "branch", "-a").lines().map(String::strip).toList()));
            out.println();
            out.println("Done. Memory lives on the wyren/memory branch; .wyren/ is git-ignored in every clone.");
        } finally {
            if (keep) {
                out.println("Kept: " + dir);
            } else {
                deleteTree(dir);
            }
            out.flush();
        }
        return Cli.OK;
    }

    static final String ALICE_SESSION = "5f2c9a1e-7b3d-4c8e-9f10-2a3b4c5d6e7f";

    /** What a hook process did: its exit code, its stdout, how long it took. */
    private record Hook(int exit, String stdout, long millis) {}

    /** Runs a hook script as Claude Code would: its own JVM (this one's classpath), JSON on stdin. */
    private Hook hook(String event, Path cwd, String session, Path transcript, Env hookEnv) throws Exception {
        String input = HookInput.json(HookEvent.named(event).orElseThrow(), session, cwd, Optional.ofNullable(transcript));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), HookMain.class.getName(), event);
        long start = System.nanoTime();
        ChildProcess.Result result = ChildProcess.run(command, input, hookEnv, cwd, Duration.ofSeconds(30));
        return new Hook(result.exitCode(), result.stdout().strip(), (System.nanoTime() - start) / 1_000_000);
    }

    private void awaitDistiller(Path repo) throws InterruptedException {
        Path pid = repo.resolve(".wyren/state/distiller.pid");
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Files.exists(pid) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
    }

    private static String context(String hookStdout) throws IOException {
        if (hookStdout.isBlank()) {
            return "(nothing)";
        }
        return Json.MAPPER.readTree(hookStdout).path("hookSpecificOutput").path("additionalContext").asText();
    }

    private static String lastLine(Path log, String containing) throws IOException {
        List<String> lines = Files.readAllLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains(containing)) {
                return lines.get(i).substring(lines.get(i).indexOf(containing) + "distill: ".length());
            }
        }
        return "(no distillation logged)";
    }

    private Path teammate(Path dir, Path remote, String name) throws IOException {
        Path seed = dir.resolve("seed");
        git(dir, "init", "-q", seed.toString());
        Files.writeString(seed.resolve("README.md"), "# shop\n");
        git(seed, "add", "README.md");
        git(seed, "commit", "-q", "-m", "initial commit");
        git(seed, "push", "-q", remote.toString(), "HEAD:refs/heads/main");
        Path clone = dir.resolve(name);
        git(dir, "clone", "-q", remote.toString(), clone.toString());
        return clone;
    }

    private void step(String text) {
        out.println();
        out.println("== " + text);
    }

    private void wyren(Path cwd, Object command) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(captured, true, StandardCharsets.UTF_8);
        int code = Cli.execute(command, stream, stream, new Cli.Context(cwd, env));
        String name = command.getClass().getAnnotation(Command.class).name();
        out.println("$ wyren " + name + "    # in " + cwd.getFileName());
        captured.toString(StandardCharsets.UTF_8).lines().forEach(l -> out.println("  " + l));
        if (code != 0) {
            throw new cli.WyrenFailure("the demo's 'wyren " + name + "' exited " + code, "See the output above.");
        }
    }

    private void show(Path file) throws IOException {
        out.println("  --- " + file.getParent().getParent().getFileName() + "/.wyren/memory.md ---");
        Files.readString(file).lines().forEach(l -> out.println("  | " + l));
    }

    private String git(Path in, String... args) {
        return new Git(in, env).call(args).run().line();
    }

    /** The demo's own git config: no user settings (signing, hooks) can interfere, nothing is changed. */
    private static Env isolatedEnv(Env base, Path dir) throws IOException {
        Path config = dir.resolve("gitconfig");
        Files.writeString(config, "[user]\n\tname = Demo Teammate\n\temail = demo@example.com\n[init]\n\tdefaultBranch = main\n");
        Map<String, String> vars = new HashMap<>(base.vars());
        vars.put("GIT_CONFIG_GLOBAL", config.toString());
        vars.put("GIT_CONFIG_NOSYSTEM", "1");
        vars.remove(Settings.DISABLE);
        vars.remove(Settings.SKIP_PULL);
        vars.remove(Settings.INTERNAL);
        vars.remove(Settings.DISTILL_COMMAND);
        vars.put(Settings.DISTILLER, "extractive");
        return new Env(vars);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}