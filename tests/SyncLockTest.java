import local.LockFile;
import local.Locked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sync.SyncLock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncLockTest {

    @TempDir
    Path dir;

    Path lockFile() {
        return dir.resolve("state/sync.lock");
    }

    void age(Path file, Duration age) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
    }

    @Test
    void freshLockHeldByAnotherIsLocked() throws Exception {
        try (LockFile held = SyncLock.tryAcquire(lockFile())) {
            Locked locked = assertThrows(Locked.class, () -> SyncLock.tryAcquire(lockFile()));
            assertTrue(locked.holder().contains("pid " + ProcessHandle.current().pid()), locked.holder());
        }
        try (LockFile again = SyncLock.tryAcquire(lockFile())) {
            assertTrue(Files.exists(lockFile()));
        }
        assertFalse(Files.exists(lockFile()), "released");
    }

    @Test
    void lockNinetySecondsOldIsStolen() throws Exception {
        Files.createDirectories(lockFile().getParent());
        Files.writeString(lockFile(), "{\"pid\":999999,\"host\":\"elsewhere\",\"time\":\"then\",\"token\":\"dead\"}");
        age(lockFile(), Duration.ofSeconds(90));
        try (LockFile stolen = SyncLock.tryAcquire(lockFile())) {
            assertTrue(Files.readString(lockFile()).contains("\"pid\":" + ProcessHandle.current().pid()));
        }
    }

    @Test
    void corruptStaleLockIsStolenToo() throws Exception {
        Files.createDirectories(lockFile().getParent());
        Files.write(lockFile(), new byte[] {0, 1, 2});
        age(lockFile(), Duration.ofSeconds(61));
        SyncLock.tryAcquire(lockFile()).close();
    }

    @Test
    void twoStealersRaceOneWinsTheOtherIsLocked() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 40; round++) {
                Files.createDirectories(lockFile().getParent());
                Files.writeString(lockFile(), "{\"pid\":1,\"host\":\"h\",\"time\":\"t\",\"token\":\"stale-" + round + "\"}");
                age(lockFile(), Duration.ofSeconds(90));
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Object>> results = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            return SyncLock.tryAcquire(lockFile());
                        } catch (Locked locked) {
                            return locked;
                        }
                    }));
                }
                List<LockFile> winners = new ArrayList<>();
                for (Future<Object> f : results) {
                    Object outcome = f.get(10, TimeUnit.SECONDS);
                    if (outcome instanceof LockFile lock) {
                        winners.add(lock);
                    } else {
                        assertTrue(outcome instanceof Locked);
                    }
                }
                assertEquals(1, winners.size(), "round " + round + ": exactly one stealer must win");
                winners.forEach(LockFile::close);
                assertFalse(Files.exists(lockFile()));
            }
        } finally {
            pool.shutdownNow();
        }
        try (var stale = Files.list(lockFile().getParent())) {
            assertEquals(0, stale.filter(p -> p.getFileName().toString().contains(".stale-")).count(), "no leftovers");
        }
    }

    @Test
    void releaseDoesNotDeleteALockSomeoneElseHolds() throws Exception {
        LockFile mine = SyncLock.tryAcquire(lockFile());
        age(lockFile(), Duration.ofSeconds(90));
        LockFile thief = SyncLock.tryAcquire(lockFile());
        mine.close();
        assertTrue(Files.exists(lockFile()), "the thief's lock must survive the old holder's release");
        assertThrows(Locked.class, () -> SyncLock.tryAcquire(lockFile()));
        thief.close();
        assertFalse(Files.exists(lockFile()));
    }

    @Test
    void waitingAcquireGetsTheLockWhenTheHolderReleases() throws Exception {
        LockFile holder = SyncLock.tryAcquire(lockFile());
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            holder.close();
        });
        release.start();
        try (LockFile waited = SyncLock.acquire(lockFile(), Duration.ofSeconds(5))) {
            assertTrue(Files.exists(lockFile()));
        }
        release.join();
    }
}
