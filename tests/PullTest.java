import local.Deadline;
import local.LockFile;
import local.WyrenPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sync.GitSync;
import sync.PullResult;
import sync.PushResult;
import sync.SyncLock;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PullTest {

    static final Duration CAP = Duration.ofMillis(1500);

    @RegisterExtension
    final Team team = Team.create();

    /** Teammate A has run init and pushed: the remote has a memory branch. */
    static void addBullet(Path repo, String section, String bullet) throws IOException {
        Path memory = repo.resolve(".wyren/memory.md");
        String text = Files.readString(memory);
        String heading = "## " + section + "\n";
        text = text.contains(heading) ? text.replace(heading, heading + "- " + bullet + "\n")
                : text + "\n" + heading + "- " + bullet + "\n";
        Files.writeString(memory, text);
        // Saved a moment ago, as by a person: publishing need not wait for the file to settle.
        Files.setLastModifiedTime(memory, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(1)));
    }

    static String memory(Path repo) {
        return Team.read(repo.resolve(".wyren/memory.md"));
    }

    @Test
    void noRemoteMaterializesFromLocalRefsWithoutNetwork() {
        Path repo = team.bareInit("solo");
        team.wyren(repo, "init").expect(0);
        Team.UserRepo before = team.userRepo(repo);
        PullResult pull = team.sync(repo).pull(Deadline.in(CAP));
        assertEquals(PullResult.Fetch.NO_REMOTE, pull.fetch(), pull.toString());
        assertEquals(PullResult.Working.UNCHANGED, pull.working());
        assertTrue(memory(repo).startsWith("# Team memory"));
        team.assertUntouched(before, repo);
    }

    @Test
    void unreachableRemotePathFailsOpenAndKeepsLocalMemory() {
        Path a = team.initializedClone("a");
        team.git(a, "remote", "set-url", "origin", team.dir.resolve("does-not-exist.git").toString());
        Team.UserRepo before = team.userRepo(a);
        long start = System.nanoTime();
        PullResult pull = team.sync(a).pull(Deadline.in(CAP));
        assertEquals(PullResult.Fetch.FAILED, pull.fetch(), pull.toString());
        assertEquals(PullResult.Working.UNCHANGED, pull.working());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(CAP.multipliedBy(3)) < 0);
        assertTrue(Team.read(a.resolve(".wyren/log")).contains("fetch from origin failed"));
        team.assertUntouched(before, a);
    }

    @Test
    void remoteThatAcceptsAndNeverAnswersReturnsWithinTheCapAndLeavesNoGitProcess() throws Exception {
        Path a = team.initializedClone("a");
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/team.git";
            team.git(a, "remote", "set-url", "origin", url);
            Team.UserRepo before = team.userRepo(a);
            long start = System.nanoTime();
            PullResult pull = team.sync(a).pull(Deadline.in(CAP));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(PullResult.Fetch.TIMED_OUT, pull.fetch(), pull.toString());
            assertTrue(took.compareTo(CAP.multipliedBy(3)) < 0, "took " + took.toMillis() + " ms");
            assertTrue(memory(a).startsWith("# Team memory"), "local memory still materialized");
            Thread.sleep(200);
            List<String> orphans = ProcessHandle.allProcesses()
                    .map(p -> p.info().commandLine().orElse(""))
                    .filter(cmd -> cmd.contains("127.0.0.1:" + silent.getLocalPort()))
                    .toList();
            assertEquals(List.of(), orphans, "git processes left behind after the timeout");
            team.assertUntouched(before, a);
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void memoryBranchMissingOnTheRemoteIsNotAnError() {
        Path solo = team.clone("solo");
        team.git(solo, "remote", "remove", "origin");
        team.wyren(solo, "init").expect(0);
        team.git(solo, "remote", "add", "origin", team.remote.toString());
        team.rebaseline();
        PullResult pull = team.sync(solo).pull(Deadline.in(CAP));
        assertEquals(PullResult.Fetch.NO_REMOTE_BRANCH, pull.fetch(), pull.toString());
        assertEquals(PullResult.Working.UNCHANGED, pull.working());
    }

    @Test
    void teammatesPushFetchedWhileTheLockWasHeldArrivesAtTheNextPullThoughNothingNewIsFetched() throws Exception {
        Path a = team.initializedClone("a");
        Path b = team.clone("b");
        team.sync(b).pull(Deadline.in(CAP));
        addBullet(a, "Decisions", "Use SQLite for the cart store [aaaaaaaa, turn 1]");
        assertEquals(PushResult.Outcome.PUSHED, team.sync(a).push("aaaaaaaa-1", Deadline.in(CAP.multipliedBy(4))).outcome());
        GitSync hookLike = GitSync.open(b, team.env(), "test", Duration.ZERO);
        try (LockFile held = SyncLock.tryAcquire(new WyrenPaths(b).syncLock())) {
            PullResult locked = hookLike.pull(Deadline.in(CAP));
            assertEquals(PullResult.Fetch.FETCHED, locked.fetch());
            assertEquals(PullResult.Working.LOCKED, locked.working(), locked.toString());
        }
        PullResult next = hookLike.pull(Deadline.in(CAP));
        assertEquals(PullResult.Working.UPDATED, next.working(), next.toString());
        assertTrue(memory(b).contains("Use SQLite for the cart store"), memory(b));
    }

    @Test
    void teammatesPushArrivesInTheWorkingCopy() throws Exception {
        Path a = team.initializedClone("a");
        Path b = team.clone("b");
        Team.UserRepo bBefore = team.userRepo(b);
        PullResult joined = team.sync(b).pull(Deadline.in(CAP));
        assertEquals(PullResult.Working.UPDATED, joined.working(), joined.toString());
        assertEquals(memory(a), memory(b));

        addBullet(a, "Decisions", "Use SQLite for the cart store [aaaaaaaa, turn 1]");
        assertEquals(PushResult.Outcome.PUSHED, team.sync(a).push("aaaaaaaa-1", Deadline.in(CAP.multipliedBy(4))).outcome());
        PullResult pull = team.sync(b).pull(Deadline.in(CAP));
        assertEquals(PullResult.Fetch.FETCHED, pull.fetch());
        assertEquals(PullResult.Working.UPDATED, pull.working());
        assertTrue(memory(b).contains("Use SQLite for the cart store"), memory(b));
        team.assertUntouched(bBefore, b);
    }

    @Test
    void handEditIsKeptByPullAndPublishedMergedByPush() throws Exception {
        Path a = team.initializedClone("a");
        Path b = team.clone("b");
        team.sync(b).pull(Deadline.in(CAP));
        addBullet(b, "Handoff notes", "Ask Dana before touching billing");
        String handEdited = memory(b);

        addBullet(a, "Decisions", "Use SSE, not WebSockets [aaaaaaaa, turn 2]");
        team.sync(a).push("aaaaaaaa", Deadline.in(CAP.multipliedBy(4)));
        PullResult pull = team.sync(b).pull(Deadline.in(CAP));
        assertEquals(PullResult.Working.HAND_EDIT_KEPT, pull.working(), pull.toString());
        assertEquals(handEdited, memory(b), "pull must not overwrite a hand edit");

        PushResult push = team.sync(b).push("manual", Deadline.in(CAP.multipliedBy(4)));
        assertEquals(PushResult.Outcome.PUSHED, push.outcome(), push.toString());
        String merged = team.git(team.remote, "show", "wyren/memory:.wyren/memory.md");
        assertTrue(merged.contains("Ask Dana before touching billing") && merged.contains("Use SSE, not WebSockets"), merged);
        assertEquals(merged + "\n", memory(b), "after the push the working copy shows the merged memory");
    }

    @Test
    void skipPullDoesNoNetworkButStillMaterializes() {
        Path a = team.initializedClone("a");
        Path b = team.clone("b");
        team.git(b, "remote", "set-url", "origin", team.dir.resolve("gone.git").toString());
        team.setEnv("WYREN_SKIP_PULL", "1");
        PullResult pull = team.sync(b).pull(Deadline.in(CAP));
        assertEquals(PullResult.Fetch.SKIPPED_BY_ENV, pull.fetch());
        assertEquals(PullResult.Working.UPDATED, pull.working(), "materialized from the remote-tracking ref the clone has");
        assertEquals(memory(a), memory(b));
        assertFalse(Team.read(b.resolve(".wyren/log")).contains("fetch"), "no fetch was attempted");
    }

    @Test
    void repositoryWithNoCommitsJoinsTheTeamMemory() {
        Path a = team.initializedClone("a");
        Path empty = team.bareInit("empty");
        team.git(empty, "remote", "add", "origin", team.remote.toString());
        Team.UserRepo before = team.userRepo(empty);
        team.wyren(empty, "sync").expect(0);
        assertEquals(memory(a), memory(empty));
        team.assertUntouched(before, empty);
        assertTrue(team.gitAttempt(empty, "rev-parse", "-q", "--verify", "HEAD").exit() != 0, "still no commits");
    }

    @Test
    void detachedHeadIsIrrelevant() throws Exception {
        Path a = team.initializedClone("a");
        Path b = team.clone("b");
        team.git(b, "checkout", "-q", "--detach");
        team.rebaseline();
        Team.UserRepo before = team.userRepo(b);
        addBullet(a, "Decisions", "Detached is fine [aaaaaaaa, turn 3]");
        team.sync(a).push("aaaaaaaa", Deadline.in(CAP.multipliedBy(4)));
        PullResult pull = team.sync(b).pull(Deadline.in(CAP));
        assertEquals(PullResult.Fetch.FETCHED, pull.fetch(), pull.toString());
        assertTrue(memory(b).contains("Detached is fine"));
        team.assertUntouched(before, b);
    }

    @Test
    void startedFromASubdirectoryWorksAtTheRoot() throws Exception {
        Path a = team.initializedClone("a");
        Path b = team.clone("b");
        Path deep = b.resolve("src/main/deep");
        Files.createDirectories(deep);
        PullResult pull = team.sync(deep).pull(Deadline.in(CAP));
        assertEquals(PullResult.Working.UPDATED, pull.working(), pull.toString());
        assertTrue(Files.isRegularFile(b.resolve(".wyren/memory.md")));
        assertFalse(Files.exists(deep.resolve(".wyren")));
        team.wyren(deep, "status").expect(0);
    }

    @Test
    void repositoryNotUsingWyrenIsLeftWithoutAnyFile() {
        Path plain = team.clone("plain");
        PullResult pull = team.sync(plain).pull(Deadline.in(CAP));
        assertEquals(PullResult.Working.NOT_INITIALIZED, pull.working());
        assertEquals(PullResult.Fetch.NOT_ATTEMPTED, pull.fetch(), "no fetch in a repo with no sign of Wyren");
        assertFalse(Files.exists(plain.resolve(".wyren")));
    }
}
