package session;

import local.LogFile;
import local.StateFiles;
import local.WyrenPaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/** The per-session state files of one repository; updates are read-modify-write under the short lock. */
public final class Sessions {

    public static final Duration EXPIRY = Duration.ofDays(30);

    private final WyrenPaths paths;
    private final LogFile log;

    public Sessions(WyrenPaths paths, LogFile log) {
        this.paths = paths;
        this.log = log;
    }

    public SessionState read(String sessionId) {
        return StateFiles.read(file(sessionId), SessionState.CODEC, log);
    }

    public SessionState update(String sessionId, UnaryOperator<SessionState> change) throws IOException {
        return StateFiles.update(file(sessionId), SessionState.CODEC, log, change);
    }

    /** Every session with a state file, by id (the file name), read tolerantly. */
    public Map<String, SessionState> all() {
        Map<String, SessionState> sessions = new TreeMap<>();
        for (Path file : files()) {
            String name = file.getFileName().toString();
            sessions.put(name.substring(0, name.length() - ".json".length()),
                    StateFiles.read(file, SessionState.CODEC, log));
        }
        return sessions;
    }

    /** Removes state files untouched for {@link #EXPIRY}. */
    public void prune() {
        Instant cutoff = Instant.now().minus(EXPIRY);
        for (Path file : files()) {
            try {
                if (Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".lock"));
                }
            } catch (IOException e) {
                log.warn("could not prune " + file.getFileName(), e);
            }
        }
    }

    private List<Path> files() {
        if (!Files.isDirectory(paths.sessions(), LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        // No glob, no stream: either would set up machinery (a regex, the stream classes) on every hook.
        try (DirectoryStream<Path> list = Files.newDirectoryStream(paths.sessions())) {
            for (Path file : list) {
                if (file.getFileName().toString().endsWith(".json")) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            log.warn("could not list sessions", e);
            return new ArrayList<>();
        }
        Collections.sort(files);
        return files;
    }

    /** A file name that is the session id when it is a plain id, else a hash of it (no path tricks). */
    Path file(String sessionId) {
        String name = isPlainId(sessionId) ? sessionId : hash(sessionId);
        return paths.sessions().resolve(name + ".json");
    }

    /** 1-128 of {@code [A-Za-z0-9._-]}, not starting with a dot: a loop, not a regex (its set-up costs a hook ~0.1 ms). */
    private static boolean isPlainId(String id) {
        if (id.isEmpty() || id.length() > 128 || id.startsWith(".")) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
