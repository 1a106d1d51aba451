//DEPS org.zeroturnaround:zt-exec:1.12 org.slf4j:slf4j-api:2.0.17 org.slf4j:slf4j-nop:2.0.17
package local;

import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one process runner: zt-exec with the input on stdin (at EOF when empty), stderr captured
 * apart, a timeout on every run, and on timeout the whole process tree killed. Git's runner
 * ({@code sync.Git}) and the model CLIs go through it.
 */
public final class ChildProcess {

    /** How a run ended; {@code exitCode} is -1 when it timed out. */
    public record Result(int exitCode, byte[] stdoutBytes, String stderr, boolean timedOut) {
        public String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }
    }

    static {
        // zt-exec logs through slf4j, whose first use looks for its provider among the services of
        // every jar on the class path: ~6 ms of a hook's first process start. Wyren ships the no-op
        // provider; named, it is loaded directly (slf4j 2.0.9+), and quietly (else slf4j says so on stderr).
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.nop.NOPServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
    }

    private ChildProcess() {
    }

    public static Result run(List<String> command, String stdin, Env env, Path directory, Duration timeout)
            throws IOException {
        return run(command, stdin.getBytes(StandardCharsets.UTF_8), env, directory, timeout);
    }

    /** Runs with exactly {@code env} as the child's environment. */
    public static Result run(List<String> command, byte[] stdin, Env env, Path directory, Duration timeout)
            throws IOException {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            ProcessResult result = new ProcessExecutor()
                    .command(command)
                    .directory(directory.toFile())
                    .environment(environmentFor(env))
                    .redirectInput(stdin.length == 0 ? InputStream.nullInputStream() : new ByteArrayInputStream(stdin))
                    .redirectError(stderr)
                    .readOutput(true)
                    .exitValueAny()
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .stopper(ChildProcess::killTree)
                    .closeTimeout(1, TimeUnit.SECONDS)
                    .execute();
            return new Result(result.getExitValue(), result.output(), stderr.toString(StandardCharsets.UTF_8), false);
        } catch (TimeoutException e) {
            return new Result(-1, new byte[0], stderr.toString(StandardCharsets.UTF_8), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
    }

    /**
     * The variables to hand zt-exec so a child gets exactly {@code env}: zt-exec starts from this
     * JVM's environment, and a null value removes a variable.
     */
    public static Map<String, String> environmentFor(Env env) {
        Map<String, String> environment = new HashMap<>();
        System.getenv().keySet().forEach(k -> environment.put(k, null));
        environment.putAll(env.vars());
        return environment;
    }

    /** Kills a process and every process it started (a CLI's helpers would otherwise live on). */
    public static void killTree(Process process) {
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Whether a process still runs. A killed orphan can linger as a zombie where PID 1 does not
     * reap (some containers); a zombie runs nothing, so it does not count.
     */
    public static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    /** An executable named {@code name} on the PATH of {@code env}. */
    public static Optional<Path> onPath(String name, Env env) {
        for (String dir : env.get("PATH").orElse("").split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
