package sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import memory.Json;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * The machine-local advisory sync lock (SPEC §3): {@code .wyren/state/sync.lock}, created with
 * {@code CREATE_NEW}, holding owner pid, host, time and a token unique to this holder.
 *
 * <p>A lock whose file is younger than {@link #STALE_AFTER} is held. An older one is stolen in a way
 * only one stealer can win: rename it to a name unique to the stealer, check that what moved is the
 * stale lock that was read (else put it back), then {@code CREATE_NEW}. Losing any step means
 * {@link Locked}, not a crash. {@link #close()} deletes the file only while it is still ours.
 */
public final class SyncLock implements AutoCloseable {

    public static final Duration STALE_AFTER = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);

    /** What a lock file says about its holder. */
    public record Owner(long pid, String host, String time, String token) {
        String describe() {
            return "pid " + pid + " on " + host + " since " + time;
        }
    }

    /** The current state of a lock file, for status reports. */
    public record Holder(Owner owner, Duration age) {}

    private final Path file;
    private final String token;

    private SyncLock(Path file, String token) {
        this.file = file;
        this.token = token;
    }

    /** Takes the lock now or throws {@link Locked}. */
    public static SyncLock tryAcquire(Path file) throws Locked {
        return acquire(file, Duration.ZERO);
    }

    /** Takes the lock, waiting up to {@code wait} for its holder to release it or for it to go stale. */
    public static SyncLock acquire(Path file, Duration wait) throws Locked {
        long end = System.nanoTime() + wait.toNanos();
        Locked last;
        while (true) {
            try {
                return attempt(file);
            } catch (Locked locked) {
                last = locked;
            }
            if (System.nanoTime() + POLL.toNanos() > end) {
                throw last;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw last;
            }
        }
    }

    /** Who holds the lock at {@code file} now, if anyone. */
    public static Optional<Holder> inspect(Path file) {
        try {
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            Duration age = Duration.between(modified, Instant.now());
            return Optional.of(new Holder(readOwner(Files.readAllBytes(file)), age.isNegative() ? Duration.ZERO : age));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static SyncLock attempt(Path file) throws Locked {
        String token = UUID.randomUUID().toString();
        byte[] content = ownerBytes(token);
        try {
            Files.createDirectories(file.getParent());
            createNew(file, content);
            return new SyncLock(file, token);
        } catch (FileAlreadyExistsException held) {
            return steal(file, token, content);
        } catch (IOException e) {
            throw new Locked("nobody (cannot create " + file + ": " + e.getMessage() + ")");
        }
    }

    private static SyncLock steal(Path file, String token, byte[] content) throws Locked {
        byte[] seen;
        Instant modified;
        try {
            seen = Files.readAllBytes(file);
            modified = Files.getLastModifiedTime(file).toInstant();
        } catch (NoSuchFileException gone) {
            throw new Locked("another process (released while we looked)");
        } catch (IOException e) {
            throw new Locked("another process (lock unreadable: " + e.getMessage() + ")");
        }
        Owner owner = readOwner(seen);
        if (Duration.between(modified, Instant.now()).compareTo(STALE_AFTER) < 0) {
            throw new Locked(owner.describe());
        }
        Path moved = file.resolveSibling(file.getFileName() + ".stale-" + token);
        try {
            Files.move(file, moved, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException lostRace) {
            throw new Locked("another process (it took the stale lock first)");
        }
        try {
            if (!Arrays.equals(Files.readAllBytes(moved), seen)) {
                // We moved a fresh lock another stealer had just created: give it back.
                restore(moved, file);
                throw new Locked("another process (it took the stale lock first)");
            }
            Files.delete(moved);
            createNew(file, content);
            return new SyncLock(file, token);
        } catch (FileAlreadyExistsException lostRace) {
            throw new Locked("another process (it took the stale lock first)");
        } catch (IOException e) {
            throw new Locked("another process (stealing failed: " + e.getMessage() + ")");
        }
    }

    /** Puts a moved lock back without overwriting one created meanwhile (a hard link cannot replace). */
    private static void restore(Path moved, Path file) throws IOException {
        try {
            Files.createLink(file, moved);
        } catch (FileAlreadyExistsException ignored) {
            // A newer lock is in place; the one we moved is obsolete either way.
        } finally {
            Files.deleteIfExists(moved);
        }
    }

    private static void createNew(Path file, byte[] content) throws IOException {
        Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private static byte[] ownerBytes(String token) {
        try {
            return Json.MAPPER.writeValueAsBytes(new Owner(ProcessHandle.current().pid(), Machine.hostName(),
                    Instant.now().toString(), token));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Owner readOwner(byte[] bytes) {
        try {
            Owner owner = Json.MAPPER.readValue(bytes, Owner.class);
            return owner == null ? unknownOwner() : owner;
        } catch (IOException e) {
            return unknownOwner();
        }
    }

    private static Owner unknownOwner() {
        return new Owner(-1, "unknown host", "unknown time", "");
    }

    /** Releases the lock if the file is still ours; a lock someone else holds now is left alone. */
    @Override
    public void close() {
        try {
            if (token.equals(readOwner(Files.readAllBytes(file)).token())) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Already gone (stolen after going stale, or removed by hand): nothing of ours to release.
        }
    }
}
