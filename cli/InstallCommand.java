package cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import local.AtomicFiles;
import local.ChildProcess;
import local.Env;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "install", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Wire Wyren's hooks into this machine's Claude Code user settings.", "",
                "Adds SessionStart, UserPromptSubmit, Stop, PreCompact and SessionEnd entries that run this checkout's hooks/run; keeps every other entry; keeps one backup of the file as it was before Wyren first changed it (<file>.wyren-backup). Safe to run again."},
        footer = {"", "Examples:", "  wyren install", "  wyren install --dry-run",
                "  wyren install --settings /tmp/try/settings.json"})
public class InstallCommand implements Callable<Integer> {

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Mixin
    SettingsFileOption settingsFile;

    @Option(names = "--checkout", paramLabel = "DIR", description = "This machine's Wyren checkout (default: found automatically).")
    Path checkout;

    @Option(names = "--dry-run", description = "Print the settings file as it would be written; change nothing.")
    boolean dryRun;

    @Option(names = "--java-home", paramLabel = "DIR", defaultValue = "",
            description = {"The JDK the hooks run on, written into each hook command. Default: the JDK on JAVA_HOME or PATH,"
                    + " unless it is older than 24 and a JDK 24+ is installed (its AOT cache starts hooks ~25% faster);"
                    + " 'default' never pins one."})
    String javaHome;

    /** A cold build fetches JBang and the dependencies once; on a slow network that takes a while. */
    static final java.time.Duration BUILD_LIMIT = java.time.Duration.ofMinutes(10);

    @Override
    public Integer call() throws Exception {
        Cli.Context context = common.context();
        Path home = Checkout.locate(Optional.ofNullable(checkout), context);
        Path file = settingsFile.resolve(context);
        ClaudeSettings.Loaded loaded = load(file);
        refuseDoubleFiring(loaded.tree(), file, context.cwd());
        String hooksRun = home.resolve("hooks/run").toString();
        Optional<Path> pinned = hookJdk(context);
        ObjectNode updated = ClaudeSettings.withWyren(loaded.tree(), hooksRun, pinned);
        String text = ClaudeSettings.render(updated);
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            out.println("Would write " + file + ":");
            out.print(text);
            out.flush();
            return Cli.OK;
        }
        if (loaded.existed() && ClaudeSettings.render(loaded.tree()).equals(text)) {
            out.println("Wyren's hooks are already wired in " + file + ".");
            out.flush();
            buildRuntime(home, context.env(), pinned, out);
            return Cli.OK;
        }
        requireWritable(file);
        Path backup = file.resolveSibling(file.getFileName() + ".wyren-backup");
        if (loaded.existed() && !Files.exists(backup)) {
            AtomicFiles.write(backup, Files.readAllBytes(file));
        }
        AtomicFiles.write(file, text);
        out.println("Wired Wyren's hooks into " + file + ": " + String.join(", ", java.util.Arrays.stream(session.HookEvent.values()).map(session.HookEvent::hookName).toList()) + ".");
        if (loaded.hadCommentsOrTrailingCommas()) {
            out.println("Note: comments and trailing commas in " + file.getFileName() + " are not kept; the original is in " + backup + ".");
        }
        pinned.ifPresent(j -> out.println("The hooks run on " + j + " (its AOT cache starts them faster than the default JDK);"
                + " 'wyren install --java-home default' undoes that."));
        out.println("Building the hook runtime, so the next session starts warm (once per update of Wyren; seconds)...");
        out.flush();
        buildRuntime(home, context.env(), pinned, out);
        out.println("Check with: wyren doctor");
        out.flush();
        return Cli.OK;
    }

    /** The JDK to pin: {@code --java-home DIR}, none for {@code default}, else a newer one than the default if installed. */
    private Optional<Path> hookJdk(Cli.Context context) {
        if (javaHome.equals("default")) {
            return Optional.empty();
        }
        if (!javaHome.isEmpty()) {
            return Optional.of(HookJdk.at(context.cwd().resolve(javaHome)).map(HookJdk.Jdk::home).orElseThrow(() ->
                    new ParameterException(spec.commandLine(), "--java-home " + javaHome
                            + ": not a JDK this user may run hooks on (it needs bin/java and a release file, owned by root or you)")));
        }
        return HookJdk.better(context.env()).map(HookJdk.Jdk::home);
    }

    /** {@code hooks/run --build} in the foreground: the hooks' jars and their class-data archive, proven to map. */
    static void buildRuntime(Path home, Env env, Optional<Path> javaHome, PrintWriter out) throws IOException {
        Path hooksRun = home.resolve("hooks/run");
        Env runEnv = javaHome.map(j -> env.with("JAVA_HOME", j.toString())).orElse(env);
        ChildProcess.Result build = ChildProcess.run(List.of(hooksRun.toString(), "--build"), "", runEnv, home, BUILD_LIMIT);
        ChildProcess.Result status = ChildProcess.run(List.of(hooksRun.toString(), "--status"), "", runEnv, home,
                java.time.Duration.ofSeconds(30));
        if (build.timedOut() || build.exitCode() != 0 || !status.stdout().startsWith("ready")) {
            String why = build.timedOut() ? "it took longer than " + BUILD_LIMIT.toMinutes() + " minutes"
                    : build.stderr().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no output");
            throw new WyrenFailure("the hooks are wired, but their runtime could not be built: " + why,
                    "Run '" + hooksRun + " --build' to see why (until then the first session of each project builds it).");
        }
        out.println("Hook runtime " + status.stdout().strip());
    }

    static ClaudeSettings.Loaded load(Path file) {
        try {
            return ClaudeSettings.load(file);
        } catch (IOException e) {
            throw new WyrenFailure("cannot use " + file + ": " + e.getMessage(), "Fix the file (it must be one JSON object), then run this again.");
        }
    }

    /**
     * A file marked read-only is respected even where the process could write it anyway (root):
     * someone made it read-only on purpose.
     */
    static void requireWritable(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        boolean writable = Files.exists(file) ? Files.isWritable(file) && Files.isWritable(dir) && ownerMayWrite(file)
                : !Files.exists(dir) || Files.isWritable(dir) && ownerMayWrite(dir);
        if (!writable) {
            throw new WyrenFailure("cannot write " + file + ": it or its folder is read-only", "Make it writable (chmod u+w), then run this again.");
        }
    }

    private static boolean ownerMayWrite(Path path) {
        try {
            return Files.getPosixFilePermissions(path).contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        } catch (UnsupportedOperationException | IOException e) {
            return true;
        }
    }

    /** The plugin and settings entries together would run every hook twice. */
    static void refuseDoubleFiring(ObjectNode userSettings, Path file, Path cwd) {
        if (ClaudeSettings.pluginEnabled(userSettings)) {
            throw new WyrenFailure("the Wyren plugin is enabled in " + file + "; settings hooks would make every hook fire twice",
                    "Keep one: '/plugin uninstall wyren' in Claude Code, or skip 'wyren install'.");
        }
        for (Path project = cwd.toAbsolutePath(); project != null; project = project.getParent()) {
            for (String name : List.of(".claude/settings.json", ".claude/settings.local.json")) {
                Path projectSettings = project.resolve(name);
                if (Files.isRegularFile(projectSettings)) {
                    try {
                        if (ClaudeSettings.pluginEnabled(ClaudeSettings.load(projectSettings).tree())) {
                            throw new WyrenFailure("the Wyren plugin is enabled for this project in " + projectSettings
                                    + "; settings hooks would make every hook fire twice",
                                    "The team already gets Wyren through the plugin: no 'wyren install' needed here.");
                        }
                    } catch (IOException unreadable) {
                        // A project file Claude Code cannot read enables nothing.
                    }
                }
            }
        }
    }
}