//DEPS info.picocli:picocli:4.7.7
package cli;

import local.Env;
import local.LogFile;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What every Wyren command shares: the options mixin, the invocation context (working directory
 * and environment, explicit so tests can run commands in-process), and the one place that maps an
 * outcome to an exit code: 0 done, 1 failure (with the next step), 2 usage error.
 */
public final class Cli {

    public static final String VERSION = "0.1.0";
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private Cli() {
    }

    /** Where and with which environment a command runs. */
    public record Context(Path cwd, Env env) {
        public static Context current() {
            return new Context(Path.of("").toAbsolutePath(), Env.system());
        }
    }

    /** Options of every command; also carries the {@link Context}. */
    public static final class CommonOptions {
        @Option(names = {"-v", "--verbose"}, description = "On failure, also print the stack trace.")
        boolean verbose;

        private final Context context;

        CommonOptions(Context context) {
            this.context = context;
        }

        public Context context() {
            return context;
        }
    }

    /** Supplies version text to picocli's {@code --version}. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"wyren " + VERSION};
        }
    }

    /** Runs a picocli command with the given streams and context and returns its exit code. */
    public static int execute(Object command, PrintStream out, PrintStream err, Context context, String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                if (type == CommonOptions.class) {
                    return (K) new CommonOptions(context);
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        CommandLine line = new CommandLine(command, factory);
        line.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        line.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        line.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println("wyren: " + e.getMessage().lines().findFirst().orElse("invalid usage"));
            w.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            w.flush();
            return USAGE;
        });
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter w = cmd.getErr();
            Failure failure = describe(e);
            w.println("wyren: " + failure.message());
            if (!failure.nextStep().isEmpty()) {
                w.println(failure.nextStep());
            }
            if (Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose")) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                w.print(trace);
            }
            w.flush();
            return FAILURE;
        });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private record Failure(String message, String nextStep) {}

    /** The one mapping from what went wrong to what the user reads. */
    private static Failure describe(Exception e) {
        if (e instanceof WyrenFailure failure) {
            return new Failure(failure.getMessage(), failure.nextStep());
        }
        if (e instanceof sync.NotARepository notRepo) {
            return new Failure(notRepo.getMessage(), "Run wyren inside your project's git checkout.");
        }
        if (e instanceof sync.GitException git) {
            return switch (git.kind()) {
                case GIT_NOT_FOUND -> new Failure("git not found on PATH", "Install git (https://git-scm.com) and try again.");
                case TIMED_OUT -> new Failure(git.getMessage(), "Check the remote's network access, then try again.");
                case FAILED -> new Failure(git.getMessage(), "See .wyren/log; run with --verbose for details.");
            };
        }
        if (e instanceof sync.UnsafeWorkingDir unsafe) {
            return new Failure(unsafe.getMessage(), "Nothing was changed. Remove or rename it (it came from a commit on your branch),"
                    + " so that .wyren/ holds only plain folders and files.");
        }
        if (e instanceof sync.UnknownBackend unknown) {
            return new Failure(unknown.getMessage(), "Unset " + local.Settings.BACKEND + " (git is the default).");
        }
        if (e instanceof local.Locked locked) {
            return new Failure(locked.getMessage(), "Another Wyren process is syncing; try again in a minute.");
        }
        return new Failure("unexpected error: " + LogFile.describe(e),
                "Run with --verbose for the stack trace; see .wyren/log.");
    }
}
