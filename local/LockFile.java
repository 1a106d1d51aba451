package local;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one lock protocol of Wyren (the sync lock, the distiller's pid file): a file holding its
 * owner's pid, host, boot, process start time and a token unique to this holding.
 *
 * <ul>
 * <li>The file appears atomically with its content: written to a temp file, then hard-linked into
 *     place, so a full disk or a kill never leaves an empty or torn lock.</li>
 * <li>A lock whose owner is gone is stale at once: same host and boot, and no process with that pid
 *     and start time runs (a watchdog-stopped hook, a killed CLI). On another host, or when the
 *     owner record is unreadable, only age can tell ({@link Policy}).</li>
 * <li>A stale lock is stolen so that only one claimant wins: rename it to a name unique to the
 *     stealer, check that what moved is what was judged stale (else put it back), then create.</li>
 * <li>{@link #close()} deletes the file only while it is still ours.</li>
 * </ul>
 * A folder that cannot be written (read-only, full disk) is an {@link IOException} with that reason,
 * never mistaken for contention.
 */
public final class LockFile implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(50);
    /** An unreadable owner record is only ever written by something else; give a writer this long. */
    private static final Duration UNREADABLE_GRACE = Duration.ofSeconds(2);

    /**
     * When a lock is stale besides "its owner is gone".
     *
     * @param liveOwnerExpires  age after which even a running owner loses the lock (empty: never)
     * @param unverifiableAfter age after which an owner on another host is presumed gone
     */
    public record Policy(Optional<Duration> liveOwnerExpires, Duration unverifiableAfter) {}

    /** What a lock file says about its holder. */
    public record Owner(long pid, String host, String boot, long start, String time, String token) {
        public String describe() {
            return "pid " + pid + " on " + host + " since " + time;
        }

        ProcessId process() {
            return new ProcessId(pid, start, boot == null ? "" : boot);
        }
    }

    /** A lock file as found: who holds it and for how long. */
    public record Holder(Owner owner, Duration age) {
        /** The owner runs on this machine now (false when it cannot be checked from here). */
        public boolean alive() {
            return Machine.hostName().equals(owner.host()) && owner.process().running();
        }
    }

    private final Path file;
    private final String token;

    private LockFile(Path file, String token) {
        this.file = file;
        this.token = token;
    }

    public Path file() {
        return file;
    }

    /** Takes the lock now for this process, or throws {@link Locked}. */
    public static LockFile tryAcquire(Path file, Policy policy) throws Locked, IOException {
        return acquire(file, policy, Duration.ZERO);
    }

    /** Takes the lock, waiting up to {@code wait} for its holder to release it or to go stale. */
    public static LockFile acquire(Path file, Policy policy, Duration wait) throws Locked, IOException {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            Locked locked;
            try {
                return attempt(file, policy, ProcessId.current());
            } catch (Locked e) {
                locked = e;
            }
            if (System.nanoTime() + POLL.toNanos() > end) {
                throw locked;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw locked;
            }
        }
    }

    /**
     * Takes over a lock that one of {@code from} holds (a hook claims the distiller's pid file, then
     * the distiller it started takes it over); empty when someone else holds it. A free or stale
     * lock is simply taken.
     */
    public static Optional<LockFile> takeOver(Path file, Policy policy, Set<Long> from) throws IOException {
        ProcessId self = ProcessId.current();
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Holder> holder = inspect(file);
            if (holder.isPresent() && from.contains(holder.get().owner().pid())) {
                String token = Unique.token();
                AtomicFiles.writeState(file, new String(ownerBytes(self, token), StandardCharsets.UTF_8));
                return Optional.of(new LockFile(file, token));
            }
            try {
                return Optional.of(attempt(file, policy, self));
            } catch (Locked locked) {
                if (inspect(file).map(h -> !from.contains(h.owner().pid())).orElse(false)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Who holds the lock at {@code file} now, if anyone. */
    public static Optional<Holder> inspect(Path file) {
        try {
            Instant modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
            Duration age = Duration.between(modified, Instant.now());
            return Optional.of(new Holder(readOwner(read(file)), age.isNegative() ? Duration.ZERO : age));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Passes the lock to another process (the child that does the work); only while it is still ours. */
    public void handOver(long pid) throws IOException {
        if (stillOurs()) {
            ProcessId child = ProcessId.of(pid).orElse(new ProcessId(pid, 0, ProcessId.bootId()));
            AtomicFiles.writeState(file, new String(ownerBytes(child, token), StandardCharsets.UTF_8));
        }
    }

    /** Releases the lock if the file is still ours; a lock someone else holds now is left alone. */
    @Override
    public void close() {
        try {
            if (stillOurs()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Unreadable or gone: nothing of ours to release, and a stale file is stolen later.
        }
    }

    private boolean stillOurs() throws IOException {
        try {
            return token.equals(readOwner(read(file)).token());
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    private static LockFile attempt(Path file, Policy policy, ProcessId self) throws Locked, IOException {
        String token = Unique.token();
        byte[] content = ownerBytes(self, token);
        if (create(file, content)) {
            return new LockFile(file, token);
        }
        byte[] seen;
        Instant modified;
        try {
            seen = read(file);
            modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
        } catch (NoSuchFileException gone) {
            throw new Locked("another process (released while we looked)");
        }
        Owner owner = readOwner(seen);
        Duration age = Duration.between(modified, Instant.now());
        Optional<String> stale = staleness(owner, age, policy);
        if (stale.isEmpty()) {
            throw new Locked(owner.describe());
        }
        Path moved = file.resolveSibling(file.getFileName() + ".stale-" + token);
        try {
            Files.move(file, moved, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException lostRace) {
            throw new Locked("another process (it took the stale lock first)");
        }
        try {
            if (!Arrays.equals(read(moved), seen)) {
                // We moved a fresh lock another stealer had just created: give it back.
                restore(moved, file);
                throw new Locked("another process (it took the stale lock first)");
            }
            Files.delete(moved);
        } finally {
            Files.deleteIfExists(moved);
        }
        if (create(file, content)) {
            return new LockFile(file, token);
        }
        throw new Locked("another process (it took the stale lock first)");
    }

    /** Why a lock is stale, or empty while its holder may still be at work. */
    static Optional<String> staleness(Owner owner, Duration age, Policy policy) {
        if (owner.token().isEmpty()) {
            return age.compareTo(UNREADABLE_GRACE) > 0 ? Optional.of("unreadable lock file") : Optional.empty();
        }
        boolean sameHost = Machine.hostName().equals(owner.host());
        if (sameHost && !owner.process().running()) {
            return Optional.of("its owner (pid " + owner.pid() + ") is gone");
        }
        if (sameHost) {
            return policy.liveOwnerExpires().filter(limit -> age.compareTo(limit) > 0)
                    .map(limit -> "held for more than " + limit.toSeconds() + " s");
        }
        return age.compareTo(policy.unverifiableAfter()) > 0
                ? Optional.of("held from " + owner.host() + " for more than " + policy.unverifiableAfter().toSeconds() + " s")
                : Optional.empty();
    }

    /** Creates the file with its whole content at once; false when it already exists. */
    private static boolean create(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".new-" + Unique.token());
        try {
            Files.createDirectories(file.getParent());
            Files.write(temp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.createLink(file, temp);
            return true;
        } catch (FileAlreadyExistsException held) {
            return false;
        } catch (IOException e) {
            throw unwritable(file.getParent(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // Cannot even delete in this folder: the caller already has the reason.
            }
        }
    }

    /** A folder Wyren cannot write, with the reason a person can act on. */
    public static IOException unwritable(Path dir, IOException cause) {
        String reason = cause.getMessage() == null ? "" : cause.getMessage();
        String why = reason.contains("No space left") ? "the disk is full"
                : reason.contains("quota") ? "the disk quota is exceeded"
                : reason.contains("Read-only file system") ? "the file system is read-only"
                : cause instanceof AccessDeniedException ? "permission denied"
                : cause instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : reason;
        return new IOException("cannot write in " + dir + ": " + why, cause);
    }

    /** Puts a moved lock back without overwriting one created meanwhile (a hard link cannot replace). */
    private static void restore(Path moved, Path file) throws IOException {
        try {
            Files.createLink(file, moved);
        } catch (FileAlreadyExistsException ignored) {
            // A newer lock is in place; the one we moved is obsolete either way.
        }
    }

    /** The owner record, read without following a symlink; at most 4 KB (a record is far smaller). */
    private static byte[] read(Path file) throws IOException {
        try (var in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(4096);
        } catch (NoSuchFileException gone) {
            throw gone;
        } catch (FileSystemException unreadable) {
            return new byte[0];
        }
    }

    private static byte[] ownerBytes(ProcessId process, String token) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pid", process.pid());
        json.put("host", Machine.hostName());
        json.put("boot", process.boot());
        json.put("start", process.startTicks());
        json.put("time", Unique.now());
        json.put("token", token);
        return JsonValues.write(json).getBytes(StandardCharsets.UTF_8);
    }

    private static Owner readOwner(byte[] bytes) {
        try {
            Map<String, Object> json = JsonValues.parseObject(new String(bytes, StandardCharsets.UTF_8));
            Optional<String> token = JsonValues.string(json, "token");
            Optional<String> host = JsonValues.string(json, "host");
            Optional<String> time = JsonValues.string(json, "time");
            if (token.isPresent() && host.isPresent() && time.isPresent()) {
                return new Owner(JsonValues.number(json, "pid", -1), host.get(), JsonValues.string(json, "boot").orElse(""),
                        JsonValues.number(json, "start", 0), time.get(), token.get());
            }
        } catch (IOException | RuntimeException e) {
            // fall through: an unknown owner
        }
        return new Owner(-1, "unknown host", "", 0, "unknown time", "");
    }
}
