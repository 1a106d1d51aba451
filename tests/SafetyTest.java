import local.Deadline;
import local.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sync.PullResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile or mistaken inputs from the remote and races with a running session. */
class SafetyTest {

    @RegisterExtension
    final Team team = Team.create();

    @Test
    void craftedMemoryCommitCannotTouchAnythingOutsideTheMemoryFiles() throws Exception {
        Path attacker = team.initializedClone("attacker");
        Crafted crafted = new Crafted(team, attacker);
        Path victim = team.clone("victim");
        team.wyren(victim, "sync").expect(0);
        Files.writeString(victim.resolve("README.md"), "# app\n");

        String memory = crafted.blob("# Team memory\n\n## Decisions\n- Harmless [aaaaaaaa, turn 1]\n");
        String evil = crafted.blob("overwritten by the memory branch\n");
        String readme = crafted.blob("# app\n");
        String upSrc = crafted.tree("100644", "README.md", readme, "100644", "Main.java", evil);
        String state = crafted.tree("100644", "sync.json", evil);
        String wyren = crafted.tree("40000", "..", upSrc, "100644", ".gitignore", evil, "100644", "memory.md", memory,
                "40000", "state", state);
        String root = crafted.tree("40000", ".wyren", wyren);
        String parent = team.git(attacker, "rev-parse", "refs/wyren/memory");
        String commit = team.git(attacker, "commit-tree", root, "-p", parent, "-m", "crafted");
        team.git(attacker, "push", "-q", "origin", commit + ":refs/heads/wyren/memory");

        PullResult pull = team.sync(victim).pull(Deadline.in(Duration.ofSeconds(10)));
        assertEquals(PullResult.Fetch.FETCHED, pull.fetch(), pull.toString());
        assertTrue(PullTest.memory(victim).contains("Harmless"));
        assertEquals("*\n", Team.read(victim.resolve(".wyren/.gitignore")), "Wyren's own ignore file was replaced");
        assertFalse(Team.read(victim.resolve(".wyren/state/sync.json")).contains("overwritten"));
        assertFalse(Files.exists(victim.resolve("Main.java")));
        assertTrue(Team.read(victim.resolve(".wyren/log")).contains("ignored '.wyren/../Main.java'"));

        String next = team.git(attacker, "commit-tree", crafted.tree("40000", ".wyren",
                crafted.tree("100644", "memory.md", memory)), "-p", commit, "-m", "without the crafted paths");
        team.git(attacker, "push", "-q", "origin", next + ":refs/heads/wyren/memory");
        team.sync(victim).pull(Deadline.in(Duration.ofSeconds(10)));
        assertEquals("# app\n", Team.read(victim.resolve("README.md")), "a tracked file was deleted");
    }

    @Test
    void memoryBranchConfiguredAsACodeBranchIsRefusedNeverPushedOver() throws Exception {
        Path a = team.initializedClone("a");
        String mainBefore = team.git(team.remote, "rev-parse", "refs/heads/main");
        team.git(a, "config", "wyren.branch", "main");
        PullTest.addBullet(a, "Decisions", "Would overwrite main [aaaaaaaa, turn 1]");
        Team.Result r = team.wyren(a, "sync");
        assertTrue(r.exit() != 0, r.toString());
        assertEquals(mainBefore, team.git(team.remote, "rev-parse", "refs/heads/main"), "the code branch was pushed over");
        assertTrue(Team.read(a.resolve(".wyren/log")).contains("is not a memory branch"), Team.read(a.resolve(".wyren/log")));
        team.git(a, "config", "--unset", "wyren.branch");
    }

    @Test
    void turnsCountedWhileTheDistillerRunsStayPending() throws Exception {
        Path a = team.initializedClone("a");
        Path transcript = team.dir.resolve("t.jsonl");
        Files.copy(DistillerTest.DECISIONS, transcript);
        Env env = team.env().with("WYREN_TURNS_THRESHOLD", "100");
        for (int i = 0; i < 3; i++) {
            Hook.silent(Hook.run(team, "Stop", a, env, Hook.input("Stop", a, DistillerTest.DECISIONS_SESSION, transcript)));
        }
        Path started = team.dir.resolve("engine-started");
        Path engine = team.dir.resolve("slow-engine.sh");
        Files.writeString(engine, "#!/bin/sh\ncat >/dev/null\ntouch " + started + "\nsleep 3\n"
                + "printf '# Team memory\\n\\n## Decisions\\n- Slow but sure [5f2c9a1e, turn 2]\\n'\n");
        Files.setPosixFilePermissions(engine, PosixFilePermissions.fromString("rwxr-xr-x"));
        CompletableFuture<Team.Result> distill = CompletableFuture.supplyAsync(() ->
                team.wyrenWith(env.with("WYREN_DISTILL_COMMAND", engine.toString()), a, "distill", "--engine", "command"));
        Hook.await("the engine to start", Duration.ofSeconds(20), () -> Files.exists(started));
        for (int i = 0; i < 2; i++) {
            Hook.silent(Hook.run(team, "Stop", a, env, Hook.input("Stop", a, DistillerTest.DECISIONS_SESSION, transcript)));
        }
        distill.get(60, TimeUnit.SECONDS).expect(0);
        assertEquals(2, Hook.sessionState(a, DistillerTest.DECISIONS_SESSION).path("turnsSinceDistill").asInt(),
                "the two turns of the running session are still pending");
    }

    @Test
    void legacyTrackedMemoryGetsTheDistillersRemovalsOnTheBranchOnly() throws Exception {
        Path a = team.clone("a");
        StringBuilder legacy = new StringBuilder("# Memory\n\n## Decisions\n");
        for (int i = 0; i < 6; i++) {
            legacy.append("- Legacy decision ").append(i).append(" [11111111, turn ").append(i).append("]\n");
        }
        Team.write(a.resolve(".wyren/memory.md"), legacy.toString());
        team.git(a, "add", ".wyren/memory.md");
        team.git(a, "commit", "-q", "-m", "legacy");
        team.rebaseline();
        team.wyren(a, "init").expect(0);
        Path engine = team.dir.resolve("drop-one.sh");
        Files.writeString(engine, "#!/bin/sh\ncat >/dev/null\nprintf '# Memory\\n\\n## Decisions\\n"
                + "- Legacy decision 1 [11111111, turn 1]\\n- Legacy decision 2 [11111111, turn 2]\\n"
                + "- Legacy decision 3 [11111111, turn 3]\\n- Legacy decision 4 [11111111, turn 4]\\n"
                + "- Legacy decision 5 [11111111, turn 5]\\n'\n");
        Files.setPosixFilePermissions(engine, PosixFilePermissions.fromString("rwxr-xr-x"));
        team.wyrenWith(team.env().with("WYREN_DISTILL_COMMAND", engine.toString()), a, "distill", "--engine", "command",
                "--transcript", DistillerTest.DECISIONS.toString()).expect(0);
        String branch = team.git(team.remote, "show", "wyren/memory:.wyren/memory.md");
        assertFalse(branch.contains("Legacy decision 0"), "the removal was undone:\n" + branch);
        assertTrue(branch.contains("Legacy decision 5"));
        assertEquals(legacy.toString(), Team.read(a.resolve(".wyren/memory.md")), "the tracked file is never written");
    }

    @Test
    void hooksInALegacyRepositoryBeforeInitWriteNothing() throws Exception {
        Path a = team.clone("a");
        Team.write(a.resolve(".wyren/memory.md"), "# Memory\n\n## Decisions\n- Legacy [11111111, turn 1]\n");
        team.git(a, "add", ".wyren/memory.md");
        team.git(a, "commit", "-q", "-m", "legacy");
        team.rebaseline();
        for (String event : new String[] {"SessionStart", "UserPromptSubmit", "Stop", "SessionEnd"}) {
            Hook.silent(Hook.run(team, event, a, team.env(), Hook.input(event, a, "legacy-session", null)));
        }
        assertEquals("", team.git(a, "status", "--porcelain", "--untracked-files=all"));
        assertFalse(Files.exists(a.resolve(".wyren/state")));
    }
}
