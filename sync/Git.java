package sync;

import local.ChildProcess;
import local.Env;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one git runner (SPEC §3): argv only, a timeout on every call, stdin at EOF unless input is
 * given, stderr captured apart, English messages, no prompts, no background maintenance, no user
 * hooks, and on timeout git's whole process tree killed.
 */
public final class Git {

    public static final Duration LOCAL_TIMEOUT = Duration.ofSeconds(10);

    /** Options on every call: Wyren's commands must not start gc, maintenance, hooks or fsmonitor. */
    private static final List<String> QUIET = List.of(
            "-c", "gc.auto=0", "-c", "maintenance.auto=false",
            "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false");

    private final Path directory;
    private final Env env;

    public Git(Path directory, Env env) {
        this.directory = directory;
        this.env = env;
    }

    public Path directory() {
        return directory;
    }

    public Env env() {
        return env;
    }

    public Git in(Path other) {
        return new Git(other, env);
    }

    public Call call(String... args) {
        return new Call(List.of(args));
    }

    public Call call(List<String> args) {
        return new Call(args);
    }

    /** One git invocation being set up; {@link #run()} or {@link #attempt()} executes it. */
    public final class Call {
        private final List<String> args;
        private final List<String> config = new ArrayList<>();
        private Env callEnv = env.without("GIT_INDEX_FILE").without("LANGUAGE").with("LC_ALL", "C").with("GIT_TERMINAL_PROMPT", "0");
        private Duration timeout = LOCAL_TIMEOUT;
        private byte[] input;

        private Call(List<String> args) {
            this.args = List.copyOf(args);
        }

        public Call timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        public Call input(byte[] bytes) {
            this.input = bytes;
            return this;
        }

        public Call input(String text) {
            return input(text.getBytes(StandardCharsets.UTF_8));
        }

        public Call env(String name, String value) {
            callEnv = callEnv.with(name, value);
            return this;
        }

        /**
         * A call that talks to a remote: stall detection for HTTP and, unless the user configured
         * their own ssh command, ssh that never prompts and gives up connecting within the cap.
         */
        public Call network(Duration cap, boolean userConfiguredSsh) {
            long seconds = Math.max(1, (cap.toMillis() + 999) / 1000);
            timeout = cap;
            config.addAll(List.of("-c", "http.lowSpeedLimit=1", "-c", "http.lowSpeedTime=" + seconds));
            if (!userConfiguredSsh && env.get("GIT_SSH_COMMAND").isEmpty() && env.get("GIT_SSH").isEmpty()) {
                config.addAll(List.of("-c",
                        "core.sshCommand=ssh -o BatchMode=yes -o ConnectTimeout=" + seconds));
            }
            return this;
        }

        /** Runs and requires exit 0. */
        public GitResult run() {
            GitResult result = attempt();
            if (!result.ok()) {
                throw new GitException(GitException.Kind.FAILED, result.command(), directory, result.exitCode(),
                        result.stdout(), result.stderr(), null);
            }
            return result;
        }

        /** Runs and returns whatever exit code git gave; throws only on timeout or missing git. */
        public GitResult attempt() {
            List<String> command = new ArrayList<>();
            command.add("git");
            command.addAll(QUIET);
            command.addAll(config);
            command.addAll(args);
            List<String> display = new ArrayList<>();
            display.add("git");
            display.addAll(args);
            Path git = ChildProcess.onPath("git", env).orElseThrow(() -> new GitException(GitException.Kind.GIT_NOT_FOUND, display,
                    directory, -1, "", "", null));
            command.set(0, git.toString());
            if (timeout.isZero() || timeout.isNegative()) {
                throw new GitException(GitException.Kind.TIMED_OUT, display, directory, -1, "", "no time left", null);
            }
            try {
                ChildProcess.Result result = ChildProcess.run(command, input == null ? new byte[0] : input, callEnv,
                        directory, timeout);
                if (result.timedOut()) {
                    throw new GitException(GitException.Kind.TIMED_OUT, display, directory, -1, "", result.stderr(), null);
                }
                return new GitResult(display, result.exitCode(), result.stdoutBytes(), result.stderr());
            } catch (IOException e) {
                GitException.Kind kind = Thread.currentThread().isInterrupted() ? GitException.Kind.TIMED_OUT : GitException.Kind.FAILED;
                throw new GitException(kind, display, directory, -1, "", String.valueOf(e.getMessage()), e);
            }
        }
    }
}
