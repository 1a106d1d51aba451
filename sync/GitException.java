package sync;

import java.nio.file.Path;
import java.util.List;

/**
 * A git call that failed: it exited non-zero, ran past its timeout, or git is not installed.
 * Carries everything needed to say what went wrong and where.
 */
public final class GitException extends RuntimeException {

    public enum Kind { FAILED, TIMED_OUT, GIT_NOT_FOUND }

    private final Kind kind;
    private final List<String> command;
    private final Path directory;
    private final int exitCode;
    private final String stdout;
    private final String stderr;

    public GitException(Kind kind, List<String> command, Path directory, int exitCode, String stdout, String stderr,
                        Throwable cause) {
        super(describe(kind, command, directory, exitCode, stderr), cause);
        this.kind = kind;
        this.command = List.copyOf(command);
        this.directory = directory;
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public Kind kind() {
        return kind;
    }

    public List<String> command() {
        return command;
    }

    public Path directory() {
        return directory;
    }

    public int exitCode() {
        return exitCode;
    }

    public String stdout() {
        return stdout;
    }

    public String stderr() {
        return stderr;
    }

    /** The first meaningful line of git's error output, for one-line reports. */
    public String firstErrorLine() {
        return stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(getMessage());
    }

    private static String describe(Kind kind, List<String> command, Path directory, int exitCode, String stderr) {
        String cmd = String.join(" ", command);
        return switch (kind) {
            case GIT_NOT_FOUND -> "git not found on PATH";
            case TIMED_OUT -> "'" + cmd + "' timed out in " + directory;
            case FAILED -> "'" + cmd + "' exited " + exitCode + " in " + directory
                    + (stderr.isBlank() ? "" : ": " + stderr.strip().lines().findFirst().orElse(""));
        };
    }
}
