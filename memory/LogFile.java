package memory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code .wyren/log}: append-only lines {@code <ISO time> <pid> <component>: <message>}, rotated to
 * {@code log.1} at 1 MB. Logging never throws and never creates {@code .wyren/} (a repository that
 * does not use Wyren gets no files).
 */
public final class LogFile {

    public static final long ROTATE_BYTES = 1_000_000;

    private final Path file;
    private final String component;

    public LogFile(Path file, String component) {
        this.file = file;
        this.component = component;
    }

    public LogFile component(String name) {
        return new LogFile(file, name);
    }

    public void info(String message) {
        append(message);
    }

    public void warn(String message, Throwable cause) {
        append(message + ": " + describe(cause));
    }

    public static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : " " + message.strip().replace('\n', ' '));
    }

    private void append(String message) {
        if (!Files.isDirectory(file.getParent())) {
            return;
        }
        String line = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + ProcessHandle.current().pid()
                + " " + component + ": " + message.replace('\n', ' ') + "\n";
        try {
            if (Files.size(file) > ROTATE_BYTES) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // No log yet, or another process rotated it first: either way, append below.
        }
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            // The log is best effort: a full disk or a read-only .wyren must not break a hook.
        }
    }
}
