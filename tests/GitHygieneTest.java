import local.Deadline;
import local.Env;
import local.ProcessId;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wyren beside the user's own git (gc with --prune=now, fetch) and on odd machines (a killed lock
 * holder, a read-only or full .wyren/state): the user's repository stays healthy and every failure
 * is named for what it is.
 */
class GitHygieneTest {

    @RegisterExtension
    final Team team = Team.create();
    final Path a = team.initializedClone("a");

    /** A command engine that returns the current memory plus one numbered bullet. */
    Path addingEngine() throws Exception {
        Path counter = team.dir.resolve("counter");
        Path engine = team.dir.resolve("adding-engine.sh");
        Files.writeString(engine, """
                #!/bin/sh
                n=$(( $(cat %1$s 2>/dev/null || echo 0) + 1 )); echo $n > %1$s
                sed -n '/^=== CURRENT MEMORY ===$/,/^=== TRANSCRIPT SLICE ===$/p' | sed '1d;$d' > %2$s.mem
                cat %2$s.mem
                grep -q '^## Decisions' %2$s.mem || printf '\\n## Decisions\\n'
                echo "- GC bullet $n [gcgcgcgc, turn 1]"
                """.formatted(counter, team.dir.resolve("engine")));
        Files.setPosixFilePermissions(engine, PosixFilePermissions.fromString("rwxr-xr-x"));
        return engine;
    }

    void assertRepositoryHealthy(Path repo) {
        Team.Result fsck = team.gitAttempt(repo, "fsck", "--no-dangling");
        assertEquals(0, fsck.exit(), fsck.toString());
        assertFalse(fsck.err().contains("invalid") || fsck.err().contains("missing") || fsck.err().contains("broken"), fsck.toString());
        assertEquals(0, team.gitAttempt(repo, "fetch", "-q", "origin").exit(), "the user's git fetch fails");
        assertEquals(0, team.gitAttempt(repo, "log", "--all", "--oneline").exit(), "the user's git log --all fails");
        team.rebaseline();
    }

    @Test
    void usersGcWithPruneNowBesideDistillationsLeavesEveryRefIntact() throws Exception {
        Env env = team.env().with("WYREN_DISTILL_COMMAND", addingEngine().toString());
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger gcs = new AtomicInteger();
        CompletableFuture<Void> gc = CompletableFuture.runAsync(() -> {
            while (!done.get()) {
                team.gitAttempt(a, "gc", "-q", "--prune=now");
                team.gitAttempt(a, "repack", "-q", "-a", "-d");
                gcs.incrementAndGet();
            }
        });
        try {
            for (int i = 0; i < 15; i++) {
                team.wyrenWith(env, a, "distill", "--engine", "command", "--force", "--session", "gc-session-" + i,
                        "--transcript", DistillerTest.DECISIONS.toString()).expect(0);
            }
        } finally {
            done.set(true);
            gc.get(120, TimeUnit.SECONDS);
        }
        assertTrue(gcs.get() > 0);
        team.wyren(a, "sync").expect(0);
        assertRepositoryHealthy(a);
        String remote = team.git(team.remote, "show", "wyren/memory:.wyren/memory.md");
        assertEquals(15, remote.lines().filter(l -> l.startsWith("- GC bullet")).count(), remote);
    }

    @Test
    void memoryRefPointingAtAPrunedCommitIsRepairedAndTheCauseNamed() throws Exception {
        team.sync(a).commitMemory("s", text -> text + "\n## Decisions\n- Kept through the repair [aaaaaaaa, turn 1]\n",
                false, Deadline.in(Duration.ofSeconds(30)));
        // What a prune leaves behind: the ref names a commit the object store no longer has.
        Files.writeString(a.resolve(".git/refs/wyren/memory"), "1234567890abcdef1234567890abcdef12345678\n");
        assertTrue(team.gitAttempt(a, "fetch", "-q", "origin").exit() != 0, "control: a broken ref breaks the user's fetch");

        team.wyren(a, "sync").expect(0);

        assertTrue(Team.read(a.resolve(".wyren/log")).contains("which git no longer has (pruned, most likely by a 'git gc --prune=now'"));
        assertRepositoryHealthy(a);
        assertTrue(team.git(team.remote, "show", "wyren/memory:.wyren/memory.md").contains("Kept through the repair"),
                "the lost commit's change was not published again");
    }

    @Test
    void usersOwnFetchNeverCollidesWithWyren() throws Exception {
        Path b = team.clone("b");
        team.wyren(b, "sync").expect(0);
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> wyren = CompletableFuture.runAsync(() -> {
            int i = 0;
            while (!done.get()) {
                try {
                    PullTest.addBullet(a, "Decisions", "Change " + i++ + " [aaaaaaaa, turn 1]");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                team.wyren(a, "sync");
                team.wyren(b, "sync");
            }
        });
        int failures = 0;
        StringBuilder why = new StringBuilder();
        try {
            for (int i = 0; i < 150; i++) {
                Team.Result fetch = team.gitAttempt(b, "fetch", "-q", "origin");
                if (fetch.exit() != 0) {
                    failures++;
                    why.append(fetch.err());
                }
            }
        } finally {
            done.set(true);
            wyren.get(120, TimeUnit.SECONDS);
        }
        team.rebaseline();
        assertEquals(0, failures, why.toString());
    }

    @Test
    void lockLeftByAKilledProcessIsTakenAtOnce() throws Exception {
        Process holder = new ProcessBuilder("sleep", "60").start();
        ProcessId id = ProcessId.of(holder.pid()).orElseThrow();
        Team.write(a.resolve(".wyren/state/sync.lock"), "{\"pid\":" + id.pid() + ",\"host\":\"" + hostName() + "\",\"boot\":\""
                + id.boot() + "\",\"start\":" + id.startTicks() + ",\"time\":\"now\",\"token\":\"killed-hook\"}");
        holder.destroyForcibly().waitFor();
        PullTest.addBullet(a, "Decisions", "Published despite the dead lock [aaaaaaaa, turn 1]");
        Team.Result sync = team.wyren(a, "sync").expect(0);
        assertTrue(sync.elapsed().compareTo(Duration.ofSeconds(20)) < 0, "waited for a lock whose owner is gone: " + sync);
    }

    @Test
    void readOnlyStateFolderIsNamedAsSuchWithoutWaiting() throws Exception {
        Path state = a.resolve(".wyren/state");
        Assumptions.assumeTrue(new ProcessBuilder("chattr", "+i", state.toString()).start().waitFor() == 0,
                "chattr +i is not available here (needs root on ext4)");
        try {
            PullTest.addBullet(a, "Decisions", "Cannot be committed [aaaaaaaa, turn 1]");
            Team.Result sync = team.wyren(a, "sync");
            sync.expect(1);
            assertTrue(sync.elapsed().compareTo(Duration.ofSeconds(20)) < 0, sync.toString());
            assertTrue(sync.err().contains("cannot write in " + state), sync.toString());
            assertFalse(sync.err().contains("another Wyren process") || sync.out().contains("another Wyren process"), sync.toString());
        } finally {
            new ProcessBuilder("chattr", "-i", state.toString()).start().waitFor();
        }
    }

    @Test
    void fullDiskIsNamedAsSuchAndLeavesNoEmptyLock() throws Exception {
        Path state = a.resolve(".wyren/state");
        Assumptions.assumeTrue(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", state.toString())
                .start().waitFor() == 0, "mounting a small tmpfs is not permitted here");
        try {
            Team.Result fill = team.run(a, null, Duration.ofSeconds(30), List.of("sh", "-c",
                    "dd if=/dev/zero of=" + state.resolve("filler") + " bs=4k 2>/dev/null; true"));
            assertEquals(0, fill.exit(), fill.toString());
            PullTest.addBullet(a, "Decisions", "No room for this [aaaaaaaa, turn 1]");
            Team.Result sync = team.wyren(a, "sync");
            sync.expect(1);
            assertTrue(sync.elapsed().compareTo(Duration.ofSeconds(20)) < 0, sync.toString());
            assertTrue(sync.err().contains("the disk is full"), sync.toString());
            assertFalse(Files.exists(state.resolve("sync.lock")), "a lock file was left behind");
        } finally {
            new ProcessBuilder("umount", state.toString()).start().waitFor();
        }
    }

    private static String hostName() throws Exception {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    }
}
