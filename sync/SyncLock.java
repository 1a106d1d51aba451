package sync;

import local.LockFile;
import local.Locked;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The machine-local advisory sync lock (SPEC §3), {@code .wyren/state/sync.lock}: the
 * {@link LockFile} protocol with the sync policy. A lock whose owner is gone is taken at once; a
 * running owner keeps it for {@link #STALE_AFTER}, an owner on another host is presumed gone after
 * that long too.
 */
public final class SyncLock {

    public static final Duration STALE_AFTER = Duration.ofSeconds(60);
    public static final LockFile.Policy POLICY = new LockFile.Policy(Optional.of(STALE_AFTER), STALE_AFTER);

    private SyncLock() {
    }

    /** Takes the lock now or throws {@link Locked}; an unwritable folder is an {@link IOException}. */
    public static LockFile tryAcquire(Path file) throws Locked, IOException {
        return LockFile.tryAcquire(file, POLICY);
    }

    /** Takes the lock, waiting up to {@code wait} for its holder to release it or to go stale. */
    public static LockFile acquire(Path file, Duration wait) throws Locked, IOException {
        return LockFile.acquire(file, POLICY, wait);
    }

    /** Who holds the lock at {@code file} now, if anyone. */
    public static Optional<LockFile.Holder> inspect(Path file) {
        return LockFile.inspect(file);
    }
}
