package cli;

import local.ChildProcess;
import local.Env;
import local.Settings;
import local.ShortId;
import local.WyrenPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import session.HookEvent;
import session.HookInput;
import sync.Backends;
import sync.Inspection;
import sync.Location;
import sync.NotARepository;
import sync.SyncLock;
import sync.UnsafeWorkingDir;
import sync.WyrenSync;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Check that Wyren works here, and print one fix per problem.", "",
                "java, git, jbang, claude (and its login), each hook wired exactly once and runnable (run with a harmless input, timed), and this repository's memory branch, remote, .wyren/.gitignore and lock. Exit 0 when healthy, 1 otherwise."},
        footer = {"", "Examples:", "  wyren doctor", "  wyren doctor --settings /tmp/try/settings.json"})
public class DoctorCommand implements Callable<Integer> {

    private static final Pattern QUOTED_PROGRAM = Pattern.compile("^(?:JAVA_HOME='[^']*' )?\"([^\"]+)\"");

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Mixin
    SettingsFileOption settingsFile;

    private final List<String> problems = new ArrayList<>();
    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        Cli.Context context = common.context();
        Env env = context.env();
        out = spec.commandLine().getOut();
        Runtime.Version java = Runtime.version();
        check("java", java.feature() >= 17, "Java " + java, "Install Java 17 or newer and put it first on PATH.");
        Optional<Path> git = ChildProcess.onPath("git", env);
        check("git", git.isPresent(), git.map(g -> version(g, env, "--version")).orElse("not found on PATH"),
                "Install git and put it on PATH.");
        Optional<Path> home = checkout(context);
        Optional<Path> jbang = ChildProcess.onPath("jbang", env).or(() -> home.map(h -> h.resolve("jbang")).filter(Files::isExecutable));
        check("jbang", jbang.isPresent(), jbang.map(Path::toString).orElse("neither jbang on PATH nor the checkout's ./jbang"),
                "Install JBang, or run Wyren from its checkout (./jbang).");
        checkClaude(env);
        Path file = settingsFile.resolve(context);
        Optional<String> pinned = checkHooks(file, context.cwd(), env);
        home.ifPresent(h -> checkRuntime(h, pinned.map(j -> env.with("JAVA_HOME", j)).orElse(env)));
        checkRepository(context);
        out.println();
        out.println(problems.isEmpty() ? "Healthy." : problems.size() + " problem(s); the fix is under each FAIL.");
        out.flush();
        return problems.isEmpty() ? Cli.OK : Cli.FAILURE;
    }

    private void check(String what, boolean ok, String detail, String fix) {
        if (ok) {
            out.println("ok    " + what + ": " + detail);
        } else {
            out.println("FAIL  " + what + ": " + detail);
            out.println("      fix: " + fix);
            problems.add(what);
        }
    }

    /** The hook runtime of this checkout: built, and its archive mapping (hooks/run says which). */
    private void checkRuntime(Path home, Env env) {
        String status;
        try {
            ChildProcess.Result r = ChildProcess.run(List.of(home.resolve("hooks/run").toString(), "--status"), "", env, home,
                    Duration.ofSeconds(30));
            status = r.stdout().strip();
        } catch (IOException e) {
            status = "cannot run hooks/run: " + e.getMessage();
        }
        check("hook runtime", status.startsWith("ready"), status.replaceFirst("^(ready|stale|missing): ", ""),
                "Run 'wyren install' (or '" + home.resolve("hooks/run") + " --build'): hooks are slower until it is rebuilt.");
    }

    private Optional<Path> checkout(Cli.Context context) {
        try {
            return Optional.of(Checkout.locate(Optional.empty(), context));
        } catch (WyrenFailure unknown) {
            return Optional.empty();
        }
    }

    private void checkClaude(Env env) {
        Optional<Path> claude = ChildProcess.onPath("claude", env);
        if (claude.isEmpty()) {
            check("claude", false, "not found on PATH", "Install Claude Code (npm install -g @anthropic-ai/claude-code).");
            return;
        }
        check("claude", true, claude.get() + " " + version(claude.get(), env, "--version"), "");
        try {
            ChildProcess.Result auth = ChildProcess.run(List.of(claude.get().toString(), "auth", "status"), "",
                    env.with(Settings.INTERNAL, "1"), Path.of(System.getProperty("java.io.tmpdir")), Duration.ofSeconds(15));
            check("claude login", auth.exitCode() == 0, auth.exitCode() == 0 ? "logged in" : firstLine(auth),
                    "Run 'claude' once and log in (or set ANTHROPIC_API_KEY); the claude engine needs it.");
        } catch (IOException e) {
            check("claude login", false, e.getMessage(), "Run 'claude auth status' to see why it fails.");
        }
    }

    /** Checks each hook is wired once and runs; returns the JDK Wyren's SessionStart command pins, if any. */
    private Optional<String> checkHooks(Path file, Path cwd, Env env) throws IOException {
        ClaudeSettings.Loaded loaded;
        try {
            loaded = ClaudeSettings.load(file);
        } catch (IOException e) {
            check("settings", false, e.getMessage(), "Fix the file (one JSON object), then run 'wyren install'.");
            return Optional.empty();
        }
        Optional<String> pinned = Optional.empty();
        boolean plugin = ClaudeSettings.pluginEnabled(loaded.tree()) || projectPlugin(cwd);
        List<ClaudeSettings.Wired> wired = ClaudeSettings.wired(loaded.tree());
        for (HookEvent hook : HookEvent.values()) {
            String event = hook.hookName();
            List<ClaudeSettings.Wired> wyren = wired.stream().filter(w -> w.event().equals(event) && isWyrenHook(w)).toList();
            int times = wyren.size() + (plugin ? 1 : 0);
            String where = (plugin ? "plugin" : "") + (plugin && !wyren.isEmpty() ? " + " : "") + (wyren.isEmpty() ? "" : file.toString());
            check("hook " + event, times == 1, times == 0 ? "not wired" : times == 1 ? "wired once (" + where + ")"
                            : "wired " + times + " times (" + where + "): every " + event + " would run Wyren " + times + " times",
                    times == 0 ? "Run 'wyren install'." : plugin ? "Keep one: 'wyren uninstall' (the plugin stays), or '/plugin uninstall wyren'."
                            : "Run 'wyren install': it replaces Wyren's entries with one per hook; remove hand-made copies.");
            if (wyren.size() == 1) {
                runnable(hook, wyren.get(0).command(), env);
                pinned = pinned.or(() -> ClaudeSettings.pinnedJavaHome(wyren.get(0).command()));
            }
        }
        return pinned;
    }

    private static boolean isWyrenHook(ClaudeSettings.Wired w) {
        return w.wyrens() || w.command().contains("/hooks/run") || w.command().matches(".*hooks/" + w.event() + "\\.java.*");
    }

    private boolean projectPlugin(Path cwd) {
        for (Path dir = cwd.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (String name : List.of(".claude/settings.json", ".claude/settings.local.json")) {
                Path file = dir.resolve(name);
                try {
                    if (Files.isRegularFile(file) && ClaudeSettings.pluginEnabled(ClaudeSettings.load(file).tree())) {
                        return true;
                    }
                } catch (IOException unreadable) {
                    // Claude Code cannot read it either: it enables nothing.
                }
            }
        }
        return false;
    }

    /** Runs a hook command as Claude Code would, with an input that makes it do nothing, and times it. */
    private void runnable(HookEvent hook, String command, Env env) throws IOException {
        String event = hook.hookName();
        Matcher program = QUOTED_PROGRAM.matcher(command);
        if (program.find() && !Files.isExecutable(Path.of(program.group(1)))) {
            check("run " + event, false, program.group(1) + " does not exist (moved checkout?)", "Run 'wyren install' from the checkout you use now.");
            return;
        }
        Path scratch = Files.createTempDirectory("wyren-doctor-");
        try {
            String input = HookInput.json(hook, "wyren-doctor", scratch, Optional.empty());
            long start = System.nanoTime();
            ChildProcess.Result r = ChildProcess.run(List.of("/bin/sh", "-c", command), input, env, scratch,
                    Duration.ofSeconds(hook.timeoutSeconds()));
            long millis = (System.nanoTime() - start) / 1_000_000;
            boolean ok = !r.timedOut() && r.exitCode() == 0 && r.stdout().isBlank() && r.stderr().isBlank();
            check("run " + event, ok, ok ? "exit 0 in " + millis + " ms"
                            : r.timedOut() ? "still running after its " + hook.timeoutSeconds() + " s timeout"
                            : "exit " + r.exitCode() + ", " + firstLine(r),
                    "Run the command by hand to see the error: " + command);
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    private void checkRepository(Cli.Context context) {
        WyrenSync sync;
        try {
            sync = Backends.open(context.cwd(), context.env(), "doctor", Duration.ZERO);
        } catch (UnsafeWorkingDir unsafe) {
            check(".wyren/", false, unsafe.getMessage(),
                    "Remove or rename it (it came from a commit on your branch); Wyren does nothing in this repository until then.");
            return;
        } catch (NotARepository | RuntimeException e) {
            out.println("--    repository: " + context.cwd() + " is not in a git repository (repository checks skipped)");
            return;
        }
        check(".wyren/", true, "plain folders and files", "");
        Inspection inspection = sync.inspect();
        Location where = inspection.location();
        check("memory branch", inspection.localCommit().isPresent() || inspection.remoteCommit().isPresent(),
                inspection.localCommit().map(c -> where.localName() + " at " + ShortId.of(c)).orElse(inspection.remoteCommit().isPresent()
                        ? "on the remote, not joined yet (the next session joins)" : "none here or on the remote"),
                "Run 'wyren init' in this repository (once per team).");
        check("remote", where.remote().isPresent(), where.remote().orElse("none: memory stays on this machine"),
                "Add one (git remote add origin <url>) and run 'wyren sync', or set git config wyren.remote.");
        WyrenPaths paths = sync.paths();
        if (Files.isDirectory(paths.dir())) {
            check(".wyren/.gitignore", WyrenPaths.IGNORE_ALL.equals(read(paths.gitignore())), "ignores .wyren/",
                    "Run 'wyren sync' (it rewrites .wyren/.gitignore with '*').");
        }
        Optional<local.LockFile.Holder> lock = SyncLock.inspect(paths.syncLock());
        check("lock", lock.map(h -> h.alive() && h.age().compareTo(SyncLock.STALE_AFTER) < 0).orElse(true),
                lock.map(h -> "held by pid " + h.owner().pid() + " for " + h.age().toSeconds() + " s"
                        + (h.alive() ? "" : " (that process is gone)")).orElse("free"),
                "A stale lock is taken over automatically at the next sync; if it persists, delete " + paths.syncLock() + ".");
        check("enabled", !sync.disabled(), sync.disabled() ? "opted out (WYREN_DISABLE or wyren.enabled=false)" : "yes",
                "git config --unset wyren.enabled (and unset WYREN_DISABLE) to use Wyren here.");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static String version(Path program, Env env, String flag) {
        try {
            ChildProcess.Result r = ChildProcess.run(List.of(program.toString(), flag), "", env.with(Settings.INTERNAL, "1"),
                    Path.of(System.getProperty("java.io.tmpdir")), Duration.ofSeconds(15));
            return r.stdout().strip().lines().findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private static String firstLine(ChildProcess.Result r) {
        return (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip().lines().findFirst().orElse("no output");
    }
}