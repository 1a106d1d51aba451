package local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * {@code .wyren/log}: append-only lines {@code <ISO time> <pid> <component>: <message>}, rotated to
 * {@code log.1} at 1 MB. Logging never throws, never creates {@code .wyren/} (a repository that does
 * not use Wyren gets no files), and never writes through a symlink.
 *
 * <p>A line is one line: control and invisible formatting characters in a message are escaped.
 * Text that came from outside (a tree path, a file name, a transcript, a teammate's bullet, a
 * remote's message) goes through {@link #quote}, so that no log line can carry a working shell
 * command even if the log ends up where a shell reads it.
 */
public final class LogFile {

    public static final long ROTATE_BYTES = 1_000_000;
    static final int QUOTE_MAX = 300;

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
        return t.getClass().getSimpleName() + (message == null ? "" : " " + message.strip());
    }

    /**
     * Untrusted text made inert for a log line: single-quoted, with every character that a shell
     * treats specially, and every control character, percent-encoded; at most {@value #QUOTE_MAX}
     * characters of it.
     */
    public static String quote(String untrusted) {
        String text = untrusted.length() > QUOTE_MAX ? untrusted.substring(0, QUOTE_MAX) : untrusted;
        StringBuilder out = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("`$;&|<>(){}[]*?!~#'\"\\%=^".indexOf(c) >= 0 || c < 0x20 || c == 0x7f || invisible(c)) {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(String.format("%02X", b & 0xff));
                }
            } else {
                out.append(c);
            }
        }
        out.append('\'');
        return untrusted.length() > QUOTE_MAX ? out + "…" : out.toString();
    }

    /** One line, whatever the message holds: control and formatting characters become escapes. */
    static String escape(String message) {
        StringBuilder out = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\n' || c == '\r') {
                out.append(' ');
            } else if (c < 0x20 || c == 0x7f || invisible(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Characters that change how a terminal shows text without showing themselves (bidi overrides, ...). */
    private static boolean invisible(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    private void append(String message) {
        if (!Files.isDirectory(file.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String line = Unique.now() + " " + ProcessHandle.current().pid()
                + " " + component + ": " + escape(message) + "\n";
        try {
            BasicFileAttributes current = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (current.isRegularFile() && current.size() > ROTATE_BYTES) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // No log yet, or another process rotated it first: either way, append below.
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS)) {
            out.write(line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // The log is best effort: a full disk, a read-only .wyren or a symlink must not break a hook.
        }
    }
}
