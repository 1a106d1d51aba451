import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SortedMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile teammate's commits (symlinks on the code branch, crafted and oversized memory commits)
 * cannot make Wyren write outside {@code .wyren/}, run anything, hang, or fill the disk.
 */
class HostileRepoTest {

    @RegisterExtension
    final Team team = Team.create();
    final Path attacker = team.initializedClone("attacker");

    /** A teammate commits {@code path} on main as a symlink to {@code target} (git add -f) and pushes it. */
    void commitSymlink(String path, String target) throws Exception {
        Path committer = team.clone("committer-" + System.nanoTime());
        Path link = committer.resolve(path);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of(target));
        team.git(committer, "add", "-f", path);
        team.git(committer, "commit", "-q", "-m", "innocent-looking change");
        team.git(committer, "push", "-q", "origin", "main");
        team.rebaseline();
    }

    Team.Result hook(String event, Path repo) {
        return Hook.run(team, event, repo, team.env(), Hook.input(event, repo, "victim-session", null, "source", "startup"));
    }

    void assertRefusedEverywhere(Path victim, String why) {
        for (String event : new String[] {"SessionStart", "UserPromptSubmit", "Stop", "SessionEnd"}) {
            Hook.silent(hook(event, victim));
        }
        Team.Result sync = team.wyren(victim, "sync");
        sync.expect(1);
        assertTrue(sync.err().contains(why) && sync.err().contains("Wyren does nothing"), sync.toString());
        Team.Result doctor = team.wyren(victim, "doctor", "--settings", team.dir.resolve("settings.json").toString());
        assertTrue(doctor.out().contains("FAIL  .wyren/: " + why), doctor.toString());
    }

    @Test
    void symlinkedLogAndACraftedPathNeverReachTheShellRcFile() throws Exception {
        Path bashrc = team.dir.resolve("home/.bashrc");
        Files.writeString(bashrc, "export PATH=$PATH:/opt/bin\n");
        Crafted crafted = new Crafted(team, attacker);
        crafted.pushMemoryTree("100644", "memory.md", crafted.blob("# Team memory\n\n## Decisions\n- Fine [aaaaaaaa, turn 1]\n"),
                "100644", "x;touch PWNED;#", crafted.blob("payload\n"));
        commitSymlink(".wyren/log", "../../home/.bashrc");
        Path victim = team.clone("victim");
        SortedMap<String, String> before = team.outsideWyren(attacker, team.remote);

        assertRefusedEverywhere(victim, ".wyren/log is a symlink");

        assertEquals(before, team.outsideWyren(attacker, team.remote), "something outside .wyren/ changed");
        assertEquals("export PATH=$PATH:/opt/bin\n", Files.readString(bashrc));
        try (Stream<Path> all = Files.walk(team.dir)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().equals("PWNED")));
        }
    }

    @Test
    void craftedPathIsLoggedInertWhenTheLogIsReal() throws Exception {
        Crafted crafted = new Crafted(team, attacker);
        crafted.pushMemoryTree("100644", "memory.md", crafted.blob("# Team memory\n\n## Decisions\n- Fine [aaaaaaaa, turn 1]\n"),
                "100644", "x;touch PWNED;#$(reboot)`id`", crafted.blob("payload\n"));
        Path victim = team.clone("victim");
        Hook.injected(hook("SessionStart", victim), "SessionStart");
        String log = Team.read(victim.resolve(".wyren/log"));
        assertTrue(log.contains("ignored '.wyren/x%3Btouch PWNED%3B%23%24%28reboot%29%60id%60'"), log);
        assertFalse(log.contains(";touch") || log.contains("$(") || log.contains("`"), log);
    }

    @Test
    void wyrenFolderThatIsASymlinkToTheRepositoryIsLeftAlone() throws Exception {
        Path plain = team.clone("plain");
        Files.createSymbolicLink(plain.resolve(".wyren"), Path.of("."));
        Files.writeString(plain.resolve(".gitignore"), "build/\n");
        team.git(plain, "add", ".wyren", ".gitignore");
        team.git(plain, "commit", "-q", "-m", "tidy");
        team.git(plain, "push", "-q", "origin", "main");
        team.rebaseline();
        Path victim = team.clone("victim");
        SortedMap<String, String> before = team.outsideWyren(attacker, plain, team.remote);

        assertRefusedEverywhere(victim, ".wyren is a symlink");

        assertEquals(before, team.outsideWyren(attacker, plain, team.remote));
        assertEquals("build/\n", Files.readString(victim.resolve(".gitignore")), "the tracked .gitignore was rewritten");
    }

    @Test
    void stateFolderPointingOutsideGetsNothingWritten() throws Exception {
        Path outside = Files.createDirectories(team.dir.resolve("outside"));
        commitSymlink(".wyren/state", "../../outside");
        Path victim = team.clone("victim");
        SortedMap<String, String> before = team.outsideWyren(attacker, team.remote);
        assertRefusedEverywhere(victim, ".wyren/state is a symlink");
        assertEquals(before, team.outsideWyren(attacker, team.remote));
        try (Stream<Path> written = Files.list(outside)) {
            assertEquals(0, written.count(), "state was written outside the repository");
        }
    }

    @Test
    void sessionsFolderPointingOutsideGetsNothingWritten() throws Exception {
        Path outside = Files.createDirectories(team.dir.resolve("outside"));
        commitSymlink(".wyren/state/sessions", "../../../outside");
        Path victim = team.clone("victim");
        SortedMap<String, String> before = team.outsideWyren(attacker, team.remote);
        assertRefusedEverywhere(victim, ".wyren/state/sessions is a symlink");
        assertEquals(before, team.outsideWyren(attacker, team.remote));
        try (Stream<Path> written = Files.list(outside)) {
            assertEquals(0, written.count(), "sessions were written outside the repository");
        }
    }

    @Test
    void oversizedBroadcastFileOnTheBranchIsRefusedOnceAndSyncStaysQuick() throws Exception {
        Path victim = team.initializedClone("victim");
        Crafted crafted = new Crafted(team, attacker);
        String memory = team.git(team.remote, "rev-parse", "wyren/memory:.wyren/memory.md");
        String big = crafted.blob("a.".repeat(100_000));
        crafted.pushMemoryTree("100644", "memory.md", memory, "40000", "broadcast",
                crafted.tree("100644", "huge.md", big));

        Team.Result first = team.wyren(victim, "sync");
        Team.Result second = team.wyren(victim, "sync");
        first.expect(0);
        second.expect(0);
        assertTrue(first.elapsed().plus(second.elapsed()).compareTo(Duration.ofSeconds(60)) < 0, first + "\n" + second);
        assertFalse(Files.exists(victim.resolve(".wyren/broadcast/huge.md")), "the oversized file was materialized");
        String log = Team.read(victim.resolve(".wyren/log"));
        assertEquals(1, log.lines().filter(l -> l.contains("refused '.wyren/broadcast/huge.md'")).count(), log);
    }

    @Test
    void twentyMegabyteMemoryOnTheBranchKeepsTheLastGoodOneAndIsRepairedByTheNextPush() throws Exception {
        Path victim = team.initializedClone("victim");
        PullTest.addBullet(victim, "Decisions", "The good memory [aaaaaaaa, turn 1]");
        Files.setLastModifiedTime(victim.resolve(".wyren/memory.md"), java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minusSeconds(5)));
        team.wyren(victim, "sync").expect(0);
        Crafted crafted = new Crafted(team, attacker);
        byte[] huge = ("# Team memory\n\n## Decisions\n" + "- filler bullet\n".repeat(1_300_000)).getBytes();
        crafted.pushMemoryTree("100644", "memory.md", crafted.blob(huge));
        team.rebaseline();

        for (int i = 0; i < 3; i++) {
            String context = Hook.injected(hook("SessionStart", victim), "SessionStart");
            assertTrue(context.contains("The good memory"), context.substring(0, Math.min(500, context.length())));
        }
        try (Stream<Path> files = Files.list(victim.resolve(".wyren"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".moved-")), "a copy was moved aside");
        }
        Team.Result sync = team.wyren(victim, "sync").expect(0);
        assertTrue(sync.elapsed().compareTo(Duration.ofSeconds(60)) < 0, sync.toString());
        String remote = team.git(team.remote, "show", "wyren/memory:.wyren/memory.md");
        assertTrue(remote.contains("The good memory") && remote.length() < 10_000, "not repaired: " + remote.length() + " chars");
    }
}
