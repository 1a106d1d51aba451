import local.Deadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sync.PushResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PushTest {

    static final Duration PUSH = Duration.ofSeconds(30);

    @RegisterExtension
    final Team team = Team.create();

    Path joined(String name) {
        Path b = team.clone(name);
        team.wyren(b, "sync").expect(0);
        return b;
    }

    PushResult push(Path repo) {
        return team.sync(repo).push("0123456789abcdef", Deadline.in(PUSH));
    }

    String remoteMemory() {
        return team.git(team.remote, "show", "wyren/memory:.wyren/memory.md");
    }

    void assertLinearHistory() {
        String merges = team.git(team.remote, "rev-list", "--merges", "wyren/memory");
        assertEquals("", merges, "memory history must have no merge commits");
        for (String line : team.git(team.remote, "rev-list", "--parents", "wyren/memory").split("\n")) {
            assertTrue(line.split(" ").length <= 2, "commit with several parents: " + line);
        }
    }

    @Test
    void nothingChangedMakesNoCommit() {
        Path a = team.initializedClone("a");
        String before = team.git(a, "rev-parse", "refs/wyren/memory");
        PushResult push = push(a);
        assertEquals(PushResult.Outcome.NO_CHANGES, push.outcome(), push.toString());
        assertEquals(before, team.git(a, "rev-parse", "refs/wyren/memory"));
    }

    @Test
    void firstPushCreatesTheRemoteBranch() {
        Path a = team.clone("a");
        Team.UserRepo before = team.userRepo(a);
        assertTrue(team.gitAttempt(team.remote, "rev-parse", "-q", "--verify", "refs/heads/wyren/memory").exit() != 0);
        team.wyren(a, "init").expect(0);
        assertEquals(team.git(a, "rev-parse", "refs/wyren/memory"), team.git(team.remote, "rev-parse", "refs/heads/wyren/memory"));
        assertEquals("", team.git(a, "branch", "--list", "wyren*"), "no local branch: Wyren's ref lives under refs/wyren/");
        team.assertUntouched(before, a);
    }

    @Test
    void unpushedCommitAndNeverPushedFeatureBranchStayOffTheRemote() throws Exception {
        Path a = team.initializedClone("a");
        Files.writeString(a.resolve("wip.txt"), "work in progress\n");
        team.git(a, "add", "wip.txt");
        team.git(a, "commit", "-q", "-m", "WIP on main");
        String wip = team.git(a, "rev-parse", "HEAD");
        team.git(a, "checkout", "-q", "-b", "feature/secret");
        Files.writeString(a.resolve("feature.txt"), "feature\n");
        team.git(a, "add", "feature.txt");
        team.git(a, "commit", "-q", "-m", "feature");
        String feature = team.git(a, "rev-parse", "HEAD");
        team.rebaseline();
        Team.UserRepo before = team.userRepo(a);

        PullTest.addBullet(a, "Decisions", "Memory only travels on its branch [01234567, turn 1]");
        assertEquals(PushResult.Outcome.PUSHED, push(a).outcome());

        for (String commit : List.of(wip, feature)) {
            assertNotEquals(0, team.gitAttempt(team.remote, "cat-file", "-e", commit).exit(), commit + " reached the remote");
        }
        assertEquals("refs/heads/main\nrefs/heads/wyren/memory",
                team.git(team.remote, "for-each-ref", "--format=%(refname)"));
        team.assertUntouched(before, a);
    }

    @Test
    void rejectedByServerHookIsReportedNotRetriedAndKeptLocal() throws Exception {
        Path a = team.initializedClone("a");
        Path hook = team.remote.resolve("hooks/pre-receive");
        Files.writeString(hook, "#!/bin/sh\necho 'memory branch is protected' >&2\nexit 1\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        String remoteBefore = team.git(team.remote, "rev-parse", "wyren/memory");
        PullTest.addBullet(a, "Decisions", "This one is refused [01234567, turn 1]");

        PushResult push = push(a);
        assertEquals(PushResult.Outcome.REJECTED, push.outcome(), push.toString());
        assertEquals(1, push.attempts(), "a server-hook rejection is not retried");
        assertTrue(push.detail().contains("pre-receive hook declined") || push.detail().contains("memory branch is protected"), push.detail());
        assertEquals(remoteBefore, team.git(team.remote, "rev-parse", "wyren/memory"));
        String local = team.git(a, "show", "refs/wyren/memory:.wyren/memory.md");
        assertTrue(local.contains("This one is refused"), "the commit stays local for a later push");
    }

    @Test
    void twoClonesPushingConcurrentlyKeepBothBulletsAndLinearHistory() throws Exception {
        team.initializedClone("a");
        List<Path> clones = new ArrayList<>();
        for (String name : List.of("b", "c", "d")) {
            Path clone = joined(name);
            PullTest.addBullet(clone, "Decisions", "Decision from " + name + " [" + name.repeat(8) + ", turn 1]");
            clones.add(clone);
        }
        ExecutorService pool = Executors.newFixedThreadPool(clones.size());
        try {
            List<Future<Team.Result>> runs = new ArrayList<>();
            for (Path clone : clones) {
                runs.add(pool.submit(() -> team.java(clone, team.env(), "", Duration.ofSeconds(90), "wyren", "sync")));
            }
            for (Future<Team.Result> run : runs) {
                run.get(120, TimeUnit.SECONDS).expect(0);
            }
        } finally {
            pool.shutdownNow();
        }
        String merged = remoteMemory();
        for (String name : List.of("b", "c", "d")) {
            assertTrue(merged.contains("Decision from " + name), name + " lost:\n" + merged);
        }
        assertLinearHistory();
    }

    @Test
    void threeWayMergeDeletesWhatOneSideDeleted() throws Exception {
        Path a = team.initializedClone("a");
        PullTest.addBullet(a, "Decisions", "Stale decision [aaaaaaaa, turn 1]");
        PullTest.addBullet(a, "Decisions", "Current decision [aaaaaaaa, turn 2]");
        push(a);
        Path b = joined("b");

        Path memoryA = a.resolve(".wyren/memory.md");
        Files.writeString(memoryA, Files.readString(memoryA).replace("- Stale decision [aaaaaaaa, turn 1]\n", ""));
        assertEquals(PushResult.Outcome.PUSHED, push(a).outcome());

        PullTest.addBullet(b, "Open questions", "Multi-currency? [bbbbbbbb, turn 1]");
        PushResult pushB = push(b);
        assertEquals(PushResult.Outcome.PUSHED, pushB.outcome(), pushB.toString());
        assertEquals(2, pushB.attempts(), "B was behind: one rejection, then the merged push");
        String merged = remoteMemory();
        assertFalse(merged.contains("Stale decision"), merged);
        assertTrue(merged.contains("Current decision") && merged.contains("Multi-currency?"), merged);
        assertLinearHistory();
    }

    @Test
    void afterAConflictTheRemoteIsTheBaseAndTheNextPushSucceeds() throws Exception {
        Path a = team.initializedClone("a");
        Path b = joined("b");
        PullTest.addBullet(a, "Decisions", "A decided [aaaaaaaa, turn 1]");
        push(a);
        String remoteTipAfterA = team.git(team.remote, "rev-parse", "wyren/memory");

        PullTest.addBullet(b, "Decisions", "B decided [bbbbbbbb, turn 1]");
        PushResult conflicted = push(b);
        assertEquals(PushResult.Outcome.PUSHED, conflicted.outcome(), conflicted.toString());
        String bTip = team.git(b, "rev-parse", "refs/wyren/memory");
        assertEquals(remoteTipAfterA, team.git(b, "rev-parse", bTip + "^"), "B's commit sits on the remote tip");
        assertEquals(bTip, team.git(team.remote, "rev-parse", "wyren/memory"));

        PullTest.addBullet(b, "Decisions", "B decided again [bbbbbbbb, turn 2]");
        PushResult next = push(b);
        assertEquals(PushResult.Outcome.PUSHED, next.outcome(), next.toString());
        assertEquals(1, next.attempts());
        assertTrue(PullTest.memory(b).contains("A decided"), "the working copy shows the merged memory");
        assertLinearHistory();
    }

    @Test
    void partiallyStagedFileStaysExactlyAsStaged() throws Exception {
        Path a = team.initializedClone("a");
        Files.writeString(a.resolve("README.md"), "# app\nstaged line\n");
        team.git(a, "add", "README.md");
        Files.writeString(a.resolve("README.md"), "# app\nstaged line\nunstaged line\n");
        Files.writeString(a.resolve("untracked.txt"), "mine\n");
        team.rebaseline();
        Team.UserRepo before = team.userRepo(a);
        PullTest.addBullet(a, "Decisions", "Index is sacred [aaaaaaaa, turn 1]");
        assertEquals(PushResult.Outcome.PUSHED, push(a).outcome());
        team.wyren(a, "sync").expect(0);
        team.assertUntouched(before, a);
        assertTrue(team.git(a, "diff", "--cached").contains("+staged line"));
        assertTrue(team.git(a, "diff").contains("+unstaged line"));
    }

    @Test
    void broadcastFilesChangedOnBothSidesKeepBothVersions() throws Exception {
        Path a = team.initializedClone("a");
        Team.write(a.resolve(".wyren/broadcast/skills/deploy.md"), "deploy with make ship\n");
        push(a);
        Path b = joined("b");
        assertEquals("deploy with make ship\n", Team.read(b.resolve(".wyren/broadcast/skills/deploy.md")));
        Team.write(a.resolve(".wyren/broadcast/skills/deploy.md"), "deploy with make release\n");
        push(a);
        Team.write(b.resolve(".wyren/broadcast/skills/deploy.md"), "deploy with ./deploy.sh\n");
        PushResult push = push(b);
        assertEquals(PushResult.Outcome.PUSHED, push.outcome(), push.toString());
        String tree = team.git(team.remote, "ls-tree", "-r", "--name-only", "wyren/memory");
        assertTrue(tree.lines().anyMatch(l -> l.startsWith(".wyren/broadcast/skills/deploy.md.local-")), tree);
        assertEquals("deploy with make release", team.git(team.remote, "show", "wyren/memory:.wyren/broadcast/skills/deploy.md"));
        assertTrue(Team.read(a.resolve(".wyren/log")).length() > 0);
    }

    @Test
    void broadcastSymlinksAndEscapesAreNeverPublished() throws Exception {
        Path a = team.initializedClone("a");
        Path outside = team.dir.resolve("outside-secret.txt");
        Files.writeString(outside, "not for the team\n");
        Files.createDirectories(a.resolve(".wyren/broadcast"));
        Files.createSymbolicLink(a.resolve(".wyren/broadcast/link.md"), outside);
        Team.write(a.resolve(".wyren/broadcast/ok.md"), "fine\n");
        push(a);
        String tree = team.git(team.remote, "ls-tree", "-r", "--name-only", "wyren/memory");
        assertTrue(tree.contains(".wyren/broadcast/ok.md"));
        assertFalse(tree.contains("link.md"), tree);
        assertEquals(1, team.gitAttempt(team.remote, "grep", "-l", "not for the team", "wyren/memory").exit(),
                "the symlink's target reached the remote");
    }

    @Test
    void secretsInHandEditsAreRedactedBeforeLeavingTheMachine() throws Exception {
        Path a = team.initializedClone("a");
        PullTest.addBullet(a, "Live workarounds", "Staging uses key AKIAIOSFODNN7EXAMPLE for now [aaaaaaaa, turn 1]");
        push(a);
        String remote = remoteMemory();
        assertFalse(remote.contains("AKIAIOSFODNN7EXAMPLE"), remote);
        assertTrue(remote.contains("[redacted:aws-access-key]"));
        assertFalse(PullTest.memory(a).contains("AKIAIOSFODNN7EXAMPLE"), "the working copy shows what was published");
    }

    @Test
    void mergeThatPassesTheHardCapDropsOldestAndLogsThem() throws Exception {
        Path a = team.initializedClone("a");
        Path b = joined("b");
        for (int i = 0; i < 40; i++) {
            PullTest.addBullet(a, "Decisions", "A decision " + i + " [aaaaaaaa, turn " + i + "]");
            PullTest.addBullet(b, "Decisions", "B decision " + i + " [bbbbbbbb, turn " + i + "]");
        }
        push(a);
        PushResult pushB = push(b);
        assertEquals(PushResult.Outcome.PUSHED, pushB.outcome(), pushB.toString());
        String merged = remoteMemory();
        long bullets = merged.lines().filter(l -> l.startsWith("- ")).count();
        assertTrue(bullets <= 60, bullets + " bullets");
        assertTrue(merged.length() <= 8000);
        String log = Team.read(b.resolve(".wyren/log"));
        long dropped = log.lines().filter(l -> l.contains("dropped: ")).count();
        assertEquals(80 - bullets, dropped, "every bullet that did not survive is in the log");
        assertTrue(team.wyren(b, "status", "--json").expect(0).out().contains("\"compaction_pending\":true"));
    }
}
