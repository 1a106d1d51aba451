package local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Machine-local JSON state (SPEC §7): read tolerantly (missing, corrupt, binary, oversized or a
 * directory → defaults, logged), written atomically, and read-modify-written under a short lock so
 * concurrent hooks never lose or tear an update.
 *
 * <p>Each record maps its own fields ({@link Codec}), through {@link JsonValues}: no reflection on a
 * hook's path, and old files with fewer fields read with defaults.
 *
 * <p>The short lock is an OS file lock on {@code <file>.lock}: the kernel drops it when its holder
 * dies, so a killed hook cannot leave it stuck. A JVM-wide lock per path covers threads of one
 * process, which OS file locks do not separate.
 */
public final class StateFiles {

    public static final long MAX_BYTES = 1_000_000;
    private static final Duration LOCK_WAIT = Duration.ofSeconds(2);
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    /** How a state record is read from and written to JSON values. */
    public interface Codec<T> {
        T defaults();

        T fromJson(Map<String, Object> json);

        Map<String, Object> toJson(T value);
    }

    private StateFiles() {
    }

    public static <T> T read(Path file, Codec<T> codec, LogFile log) {
        try {
            BasicFileAttributes found = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!found.isRegularFile() || found.size() > MAX_BYTES) {
                log.info("state file " + file.getFileName() + " is not a small regular file; using defaults");
                return codec.defaults();
            }
            String text;
            try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                text = new String(in.readNBytes((int) MAX_BYTES), StandardCharsets.UTF_8);
            }
            return codec.fromJson(JsonValues.parseObject(text));
        } catch (NoSuchFileException absent) {
            return codec.defaults();
        } catch (IOException | RuntimeException e) {
            log.warn("state file " + file.getFileName() + " unreadable; using defaults", e);
            return codec.defaults();
        }
    }

    public static <T> void write(Path file, Codec<T> codec, T value) throws IOException {
        AtomicFiles.writeState(file, JsonValues.write(codec.toJson(value)) + "\n");
    }

    /** Read, change and write back under the short lock; returns what was written. */
    public static <T> T update(Path file, Codec<T> codec, LogFile log, UnaryOperator<T> change) throws IOException {
        AtomicFiles.createDirectories(file.getParent());
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
        local.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
             FileLock ignored = acquire(channel, lockFile)) {
            T updated = change.apply(read(file, codec, log));
            write(file, codec, updated);
            return updated;
        } finally {
            local.unlock();
        }
    }

    private static FileLock acquire(FileChannel channel, Path lockFile) throws IOException {
        long end = System.nanoTime() + LOCK_WAIT.toNanos();
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                // Held by this JVM through another channel: wait like for any other holder.
            }
            if (System.nanoTime() > end) {
                throw new IOException("state lock " + lockFile.getFileName() + " busy for " + LOCK_WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + lockFile.getFileName(), e);
            }
        }
    }
}
