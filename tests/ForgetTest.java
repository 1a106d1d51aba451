import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wyren forget} / {@code unforget}: taking an entry back for the whole team, for good. */
class ForgetTest {

    static final String REDIS = "Redis for the session cache";
    static final String KAFKA = "Kafka for the order events";

    @RegisterExtension
    final Team team = Team.create();


    String remoteMemory() {
        return team.git(team.remote, "show", "wyren/memory:.wyren/memory.md");
    }

    String remoteTombstones() {
        return team.git(team.remote, "show", "wyren/memory:.wyren/forgotten.md");
    }

    /** Alice's clone with a published memory of three entries, and Bob's clone joined to it. */
    Path[] teamWithMemory() throws Exception {
        Path a = team.clone("a");
        team.wyrenWith(team.as("Alice"), a, "init").expect(0);
        PullTest.addBullet(a, "Decisions", REDIS + " [aaaaaaaa, turn 1]");
        PullTest.addBullet(a, "Decisions", KAFKA + " [aaaaaaaa, turn 2]");
        PullTest.addBullet(a, "Live workarounds", "Restart the worker after a schema change");
        team.wyrenWith(team.as("Alice"), a, "sync").expect(0);
        Path b = team.clone("b");
        team.wyrenWith(team.as("Bob"), b, "sync").expect(0);
        team.rebaseline();
        return new Path[] {a, b};
    }

    @Test
    void forgetWhileATeammatePushesUnrelatedEditsIsForgottenForEveryoneAndStaysForgotten() throws Exception {
        Path[] clones = teamWithMemory();
        Path a = clones[0];
        Path b = clones[1];
        PullTest.addBullet(b, "Decisions", "Postgres 16 for billing [bbbbbbbb, turn 3]");
        CompletableFuture<Team.Result> bobPushes = CompletableFuture.supplyAsync(() -> team.wyrenWith(team.as("Bob"), b, "sync"));
        Team.Result forgot = team.wyrenWith(team.as("Alice"), a, "forget", "redis FOR the session", "--reason", "we moved to Postgres").expect(0);
        bobPushes.join().expect(0);
        assertTrue(forgot.out().contains("Forgot 1 entry for the whole team"), forgot.toString());

        team.wyrenWith(team.as("Bob"), b, "sync").expect(0);
        team.wyrenWith(team.as("Alice"), a, "sync").expect(0);
        for (String memory : List.of(remoteMemory(), PullTest.memory(a), PullTest.memory(b))) {
            assertFalse(memory.contains(REDIS), memory);
            assertTrue(memory.contains(KAFKA) && memory.contains("Postgres 16 for billing"), memory);
        }
        assertTrue(remoteTombstones().contains("- " + REDIS + "\n  forgotten by Alice on "), remoteTombstones());
        assertTrue(remoteTombstones().contains(": we moved to Postgres"), remoteTombstones());
        String commit = team.git(team.remote, "log", "--format=%an%n%B", "wyren/memory", "--grep=forget");
        assertTrue(commit.startsWith("Alice\n[wyren] forget 1 entry (Alice)"), commit);
        assertTrue(commit.contains("Reason: we moved to Postgres") && commit.contains("- " + REDIS), commit);
        assertFalse(Files.exists(a.resolve(".wyren/forgotten.md")), "tombstones live on the branch only");

        // Bob puts it back by hand: the tombstone keeps it out, and says so in his log.
        PullTest.addBullet(b, "Decisions", REDIS + " after all");
        PullTest.addBullet(b, "Decisions", "redis FOR the session   cache [cccccccc, turn 7]");
        team.wyrenWith(team.as("Bob"), b, "sync").expect(0);
        assertFalse(remoteMemory().contains("redis FOR the session   cache"), remoteMemory());
        assertFalse(PullTest.memory(b).contains("redis FOR the session   cache"), PullTest.memory(b));
        assertTrue(remoteMemory().contains(REDIS + " after all"), "a different entry is not forgotten: " + remoteMemory());
        assertTrue(Team.read(b.resolve(".wyren/log")).contains("kept out a forgotten entry"), Team.read(b.resolve(".wyren/log")));

        Path c = team.clone("c");
        team.wyren(c, "sync").expect(0);
        String injected = Hook.injected(Hook.run(team, "SessionStart", c, team.env(), Hook.input("SessionStart", c, "c-1", null)), "SessionStart");
        assertFalse(injected.contains(REDIS + " ["), "a teammate's session is never handed it:\n" + injected);

        Team.Result list = team.wyren(b, "forget", "--list").expect(0);
        assertTrue(list.out().contains("- " + REDIS) && list.out().contains("forgotten by Alice"), list.toString());
        team.assertUserReposUntouched();
    }

    @Test
    void forgottenEntryIsNotBroughtBackByRedistillingTheSameTranscriptWithAnyEngine() throws Exception {
        Path a = team.clone("a");
        team.wyren(a, "init").expect(0);
        String transcript = DistillerTest.DECISIONS.toString();
        team.wyren(a, "distill", "--engine", "extractive", "--transcript", transcript).expect(0);
        assertTrue(remoteMemory().contains("SQLite for the cart store"), remoteMemory());
        team.wyren(a, "forget", "SQLite for the cart store", "--all").expect(0);
        assertFalse(remoteMemory().contains("SQLite for the cart store"), remoteMemory());

        String sqlite = remoteTombstones().lines().filter(l -> l.startsWith("- ")).findFirst().orElseThrow().substring(2);
        assertTrue(sqlite.contains("SQLite for the cart store"), sqlite);
        // Model engines that hand the forgotten entry back word for word, next to a new one.
        Path fakeModel = Files.createDirectories(team.dir.resolve("fake-model"));
        for (String engine : List.of("command", "claude")) {
            Files.writeString(fakeModel.resolve(engine + ".out"), "# Team memory\n\n## Decisions\n- " + sqlite
                    + " [5f2c9a1e, turn 2]\n- Fresh decision from engine " + engine + " [5f2c9a1e, turn 3]\n");
        }
        Path command = script(fakeModel.resolve("engine.sh"), "cat >/dev/null; cat '" + fakeModel.resolve("command.out") + "'");
        script(fakeModel.resolve("claude"), "cat >/dev/null; cat '" + fakeModel.resolve("claude.out") + "'");

        // Every engine, fed the same transcript again from the start (a model engine returns the whole memory).
        team.wyren(a, "distill", "--force", "--engine", "extractive", "--transcript", transcript, "--session", "again-extractive").expect(0);
        assertFalse(remoteMemory().toLowerCase().contains(sqlite.toLowerCase()), "extractive brought it back:\n" + remoteMemory());
        team.wyrenWith(team.env().with("WYREN_DISTILL_COMMAND", command.toString()), a,
                "distill", "--force", "--engine", "command", "--transcript", transcript, "--session", "again-command").expect(0);
        assertTrue(remoteMemory().contains("Fresh decision from engine command"), remoteMemory());
        assertFalse(remoteMemory().toLowerCase().contains(sqlite.toLowerCase()), "command brought it back:\n" + remoteMemory());
        team.wyrenWith(team.env().with("PATH", fakeModel + ":" + team.env().get("PATH").orElseThrow()), a,
                "distill", "--force", "--engine", "claude", "--transcript", transcript, "--session", "again-claude").expect(0);
        assertTrue(remoteMemory().contains("Fresh decision from engine claude"), remoteMemory());
        for (String where : List.of(remoteMemory(), PullTest.memory(a))) {
            assertFalse(where.toLowerCase().contains(sqlite.toLowerCase()), "claude brought it back:\n" + where);
        }
        assertTrue(Team.read(a.resolve(".wyren/log")).contains("kept out a forgotten entry"));
        team.assertUserReposUntouched();
    }

    @Test
    void twoPeopleForgetDifferentEntriesAtOnceAndBothStayForgotten() throws Exception {
        Path[] clones = teamWithMemory();
        CompletableFuture<Team.Result> alice = CompletableFuture.supplyAsync(() -> team.wyrenWith(team.as("Alice"), clones[0], "forget", REDIS));
        CompletableFuture<Team.Result> bob = CompletableFuture.supplyAsync(() -> team.wyrenWith(team.as("Bob"), clones[1], "forget", KAFKA));
        alice.join().expect(0);
        bob.join().expect(0);
        team.wyren(clones[0], "sync").expect(0);
        team.wyren(clones[1], "sync").expect(0);
        for (String memory : List.of(remoteMemory(), PullTest.memory(clones[0]), PullTest.memory(clones[1]))) {
            assertFalse(memory.contains(REDIS) || memory.contains(KAFKA), memory);
            assertTrue(memory.contains("Restart the worker"), memory);
        }
        assertTrue(remoteTombstones().contains(REDIS) && remoteTombstones().contains(KAFKA), remoteTombstones());
        assertEquals("", team.git(team.remote, "rev-list", "--merges", "wyren/memory").strip(), "history stays linear");
        team.assertUserReposUntouched();
    }

    @Test
    void unforgetLiftsTheTombstoneSoTheEntryMayBeAddedAgain() throws Exception {
        Path[] clones = teamWithMemory();
        Path a = clones[0];
        team.wyren(a, "forget", REDIS).expect(0);
        team.wyren(a, "forget", KAFKA).expect(0);
        Team.Result lifted = team.wyrenWith(team.as("Alice"), a, "unforget", "redis", "--reason", "Redis is back").expect(0);
        assertTrue(lifted.out().contains("Lifted 1 tombstone"), lifted.toString());
        assertFalse(remoteTombstones().contains(REDIS), remoteTombstones());
        assertTrue(remoteTombstones().contains(KAFKA), remoteTombstones());
        assertFalse(remoteMemory().contains(REDIS), "unforget does not restore the entry");
        team.wyren(clones[1], "sync").expect(0);
        assertFalse(PullTest.memory(clones[1]).contains(REDIS));
        PullTest.addBullet(clones[1], "Decisions", REDIS + " [bbbbbbbb, turn 9]");
        team.wyren(clones[1], "sync").expect(0);
        assertTrue(remoteMemory().contains(REDIS), remoteMemory());
        assertTrue(team.git(team.remote, "log", "-1", "--format=%B", "wyren/memory", "--grep=unforget").contains("Reason: Redis is back"));
        Team.Result nothing = team.wyren(a, "unforget", "no such tombstone").expect(1);
        assertTrue(nothing.err().contains("no forgotten entry contains"), nothing.toString());
        team.assertUserReposUntouched();
    }

    @Test
    void forgetOfTextThatMatchesNothingFailsAndOfTooMuchListsTheMatchesAndChangesNothing() throws Exception {
        Path[] clones = teamWithMemory();
        Path a = clones[0];
        String before = team.git(team.remote, "rev-parse", "wyren/memory");
        Team.Result none = team.wyren(a, "forget", "GraphQL").expect(1);
        assertTrue(none.err().startsWith("wyren: no entry of the team memory contains \"GraphQL\""), none.toString());
        assertTrue(none.err().contains("wyren blame"), "names what to do next: " + none);
        Team.Result many = team.wyren(a, "forget", " for the ").expect(2);
        assertTrue(many.err().contains("matches 2 entries"), many.toString());
        assertTrue(many.err().contains(REDIS) && many.err().contains(KAFKA), many.toString());
        assertEquals(before, team.git(team.remote, "rev-parse", "wyren/memory"), "nothing was published");
        team.wyren(a, "forget", "", "--all").expect(2);
        team.wyren(a, "forget").expect(2);
        Team.Result all = team.wyren(a, "forget", " for the ", "--all").expect(0);
        assertTrue(all.out().contains("Forgot 2 entries"), all.toString());
        assertFalse(remoteMemory().contains(REDIS) || remoteMemory().contains(KAFKA), remoteMemory());
        assertTrue(team.wyren(team.clone("fresh"), "forget", "x").expect(1).err().contains("wyren init"));
        team.assertUserReposUntouched();
    }

    @Test
    void aCommitWithoutTheTombstoneFileFromAnOlderWyrenLiftsNothing() throws Exception {
        Path[] clones = teamWithMemory();
        Path a = clones[0];
        team.wyren(a, "forget", REDIS).expect(0);
        // An older Wyren knows only memory.md: its commit carries that file and drops forgotten.md.
        Path old = team.clone("old");
        team.git(old, "fetch", "-q", "origin", "wyren/memory");
        String memory = team.git(old, "show", "FETCH_HEAD:.wyren/memory.md").stripTrailing() + "\n- " + REDIS + " [0ld0ld00, turn 1]\n";
        Path blob = team.dir.resolve("old-memory.md");
        Files.writeString(blob, memory);
        String id = team.git(old, "hash-object", "-w", blob.toString()).strip();
        Path index = team.dir.resolve("old-index");
        team.run(old, "", java.time.Duration.ofSeconds(20), "sh", "-c", "GIT_INDEX_FILE=" + index + " git update-index --add --cacheinfo 100644,"
                + id + ",.wyren/memory.md && GIT_INDEX_FILE=" + index + " git write-tree > " + team.dir.resolve("tree")).expect(0);
        String tree = Files.readString(team.dir.resolve("tree")).strip();
        String commit = team.git(old, "commit-tree", tree, "-p", "FETCH_HEAD", "-m", "old wyren").strip();
        team.git(old, "push", "-q", "origin", commit + ":refs/heads/wyren/memory");
        team.rebaseline();

        team.wyren(clones[1], "sync").expect(0);
        PullTest.addBullet(clones[1], "Decisions", "Postgres 16 for billing [bbbbbbbb, turn 3]");
        team.wyren(clones[1], "sync").expect(0);
        assertTrue(remoteTombstones().contains(REDIS), "the tombstones came back with the next commit");
        assertFalse(remoteMemory().contains(REDIS), remoteMemory());
        assertFalse(PullTest.memory(clones[1]).contains(REDIS), PullTest.memory(clones[1]));
    }

    @Test
    void tombstonesAreBoundedAndForgetRefusesPastTheLimit() {
        memory.Tombstones many = memory.Tombstones.none();
        List<memory.Tombstones.Tombstone> batch = new java.util.ArrayList<>();
        for (int i = 0; i < memory.Tombstones.MAX; i++) {
            batch.add(new memory.Tombstones.Tombstone("entry number " + i, "forgotten by X"));
        }
        many = many.with(batch);
        assertFalse(many.roomFor(List.of(new memory.Tombstones.Tombstone("one more", ""))));
        assertTrue(memory.Tombstones.none().roomFor(List.of(new memory.Tombstones.Tombstone("one", ""))));
        assertEquals(memory.Tombstones.MAX, memory.Tombstones.parse(many.render()).all().size(), "read back whole");
    }

    static Path script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
