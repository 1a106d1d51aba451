import local.Deadline;
import org.junit.jupiter.api.Test;
import sync.PullResult;
import sync.PushResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The user's own setup cannot break Wyren, and Wyren does not touch it. */
class UserSetupTest {

    static final Duration CAP = Duration.ofSeconds(20);

    @Test
    void usersGitPullAndStatusAreCleanAfterATeammatesMemoryPush() throws Exception {
        try (Team team = Team.create()) {
            Path a = team.clone("a");
            team.wyren(a, "init").expect(0);
            Path b = team.clone("b");
            team.wyren(b, "sync").expect(0);
            Path c = team.clone("c");

            PullTest.addBullet(a, "Decisions", "Teammate's new decision [aaaaaaaa, turn 1]");
            Files.writeString(a.resolve("app.txt"), "code\n");
            team.git(a, "add", "app.txt");
            team.git(a, "commit", "-q", "-m", "code change");
            team.git(a, "push", "-q", "origin", "main");
            assertEquals(PushResult.Outcome.PUSHED, team.sync(a).push("aaaaaaaa", Deadline.in(CAP)).outcome());

            for (Path clone : new Path[] {b, c}) {
                team.git(clone, "pull", "-q");
                assertEquals("", team.git(clone, "status", "--porcelain"), clone + " is dirty after git pull");
                assertEquals("code\n", Files.readString(clone.resolve("app.txt")));
            }
            team.rebaseline();
            team.wyren(b, "sync").expect(0);
            assertTrue(PullTest.memory(b).contains("Teammate's new decision"));
            assertEquals("", team.git(b, "status", "--porcelain"));
            team.assertUserReposUntouched();
        }
    }

    @Test
    void failingPrePushHookOfTheUserDoesNotBlockMemoryAndStaysInPlace() throws Exception {
        try (Team team = Team.create()) {
            Path a = team.clone("a");
            Path hook = a.resolve(".git/hooks/pre-push");
            Files.writeString(hook, "#!/bin/sh\necho 'lint failed' >&2\nexit 1\n");
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
            team.rebaseline();
            Team.UserRepo before = team.userRepo(a);
            team.wyren(a, "init").expect(0);
            assertEquals(team.git(a, "rev-parse", "refs/wyren/memory"), team.git(team.remote, "rev-parse", "wyren/memory"));
            team.assertUntouched(before, a);
            Files.writeString(a.resolve("x.txt"), "x\n");
            team.git(a, "add", "x.txt");
            team.git(a, "commit", "-q", "-m", "x");
            assertNotEquals(0, team.gitAttempt(a, "push", "origin", "main").exit(), "the user's own push still runs their hook");
            team.rebaseline();
            team.assertUserReposUntouched();
        }
    }

    @Test
    void noGitIdentityConfiguredFallsBackToWyrensIdentity() {
        try (Team team = Team.create(false)) {
            Path a = team.clone("a");
            assertNotEquals(0, team.gitAttempt(a, "commit", "--allow-empty", "-q", "-m", "x").exit(), "git itself refuses here");
            team.wyren(a, "init").expect(0);
            String author = team.git(a, "log", "-1", "--format=%an <%ae>", "refs/wyren/memory");
            assertTrue(author.startsWith("Wyren ("), author);
            team.assertUserReposUntouched();
        }
    }

    @Test
    void gitattributesFilterOnMarkdownNeverRuns() throws Exception {
        try (Team team = Team.create()) {
            Path a = team.clone("a");
            Path ran = team.dir.resolve("filter-ran");
            Files.writeString(a.resolve(".gitattributes"), "*.md filter=boom\n");
            team.git(a, "config", "filter.boom.clean", "sh -c 'echo clean >> " + ran + "; tr a-z A-Z'");
            team.git(a, "config", "filter.boom.smudge", "sh -c 'echo smudge >> " + ran + "; cat'");
            team.git(a, "add", ".gitattributes");
            team.git(a, "commit", "-q", "-m", "attributes");
            team.rebaseline();
            Team.UserRepo before = team.userRepo(a);
            String runsBefore = Team.read(ran);
            team.wyren(a, "init").expect(0);
            PullTest.addBullet(a, "Decisions", "Filters are for code [aaaaaaaa, turn 1]");
            assertEquals(PushResult.Outcome.PUSHED, team.sync(a).push("aaaaaaaa", Deadline.in(CAP)).outcome());
            assertEquals(runsBefore, Team.read(ran), "a filter ran on Wyren's files");
            assertEquals(Files.readString(a.resolve(".wyren/memory.md")).strip(),
                    team.git(team.remote, "show", "wyren/memory:.wyren/memory.md"), "content stored as written, not upper-cased");
            team.assertUntouched(before, a);
            team.git(a, "hash-object", ".wyren/memory.md");
            assertNotEquals(runsBefore, Team.read(ran), "control: git's own path-based hashing does run the filter");
            team.assertUserReposUntouched();
        }
    }

    @Test
    void fetchHeadIsNeverWritten() throws Exception {
        try (Team team = Team.create()) {
            Path a = team.clone("a");
            team.wyren(a, "init").expect(0);
            Path b = team.clone("b");
            assertFalse(Files.exists(b.resolve(".git/FETCH_HEAD")));
            team.wyren(b, "sync").expect(0);
            assertFalse(Files.exists(b.resolve(".git/FETCH_HEAD")), "Wyren's fetch wrote FETCH_HEAD");
            team.git(b, "fetch", "-q", "origin", "main");
            String userFetchHead = Files.readString(b.resolve(".git/FETCH_HEAD"));
            team.rebaseline();
            PullTest.addBullet(a, "Decisions", "More [aaaaaaaa, turn 1]");
            team.sync(a).push("aaaaaaaa", Deadline.in(CAP));
            team.wyren(b, "sync").expect(0);
            assertEquals(userFetchHead, Files.readString(b.resolve(".git/FETCH_HEAD")));
            team.assertUserReposUntouched();
        }
    }

    @Test
    void deletedMemoryIsRewrittenNeverPublishedAsADeletion() throws Exception {
        try (Team team = Team.create()) {
            Path a = team.clone("a");
            team.wyren(a, "init").expect(0);
            PullTest.addBullet(a, "Decisions", "Survives deletion [aaaaaaaa, turn 1]");
            team.sync(a).push("aaaaaaaa", Deadline.in(CAP));
            String published = team.git(team.remote, "rev-parse", "wyren/memory");

            Files.delete(a.resolve(".wyren/memory.md"));
            PushResult push = team.sync(a).push("aaaaaaaa", Deadline.in(CAP));
            assertEquals(PushResult.Outcome.NO_CHANGES, push.outcome(), push.toString());
            assertEquals(published, team.git(team.remote, "rev-parse", "wyren/memory"));
            assertTrue(PullTest.memory(a).contains("Survives deletion"), "rewritten");

            team.git(a, "clean", "-q", "-f", "-d", "-X");
            assertFalse(Files.exists(a.resolve(".wyren")), "git clean -X removed all of .wyren/");
            team.wyren(a, "sync").expect(0);
            assertTrue(PullTest.memory(a).contains("Survives deletion"));
            assertEquals(published, team.git(team.remote, "rev-parse", "wyren/memory"));
            team.assertUserReposUntouched();
        }
    }

    @Test
    void memoryFileThatIsADirectoryOrBinaryIsMovedAsideAndRewritten() throws Exception {
        try (Team team = Team.create()) {
            Path a = team.clone("a");
            team.wyren(a, "init").expect(0);
            String published = team.git(team.remote, "rev-parse", "wyren/memory");
            Path memory = a.resolve(".wyren/memory.md");
            Files.delete(memory);
            Files.createDirectories(memory.resolve("inner"));
            PullResult pull = team.sync(a).pull(Deadline.in(CAP));
            assertEquals(PullResult.Working.UPDATED, pull.working(), pull.toString());
            assertTrue(Files.isRegularFile(memory));

            Files.write(memory, new byte[] {0, (byte) 0xff, 0x10, 0});
            assertEquals(PushResult.Outcome.NO_CHANGES, team.sync(a).push("x", Deadline.in(CAP)).outcome());
            team.sync(a).pull(Deadline.in(CAP));
            assertTrue(PullTest.memory(a).startsWith("# Team memory"));
            assertEquals(published, team.git(team.remote, "rev-parse", "wyren/memory"));
            assertTrue(Team.read(a.resolve(".wyren/log")).contains("moved to memory.md.moved-"));
            team.assertUserReposUntouched();
        }
    }

    @Test
    void corruptStateFileFallsBackToDefaults() throws Exception {
        try (Team team = Team.create()) {
            Path a = team.clone("a");
            team.wyren(a, "init").expect(0);
            Files.write(a.resolve(".wyren/state/sync.json"), new byte[] {'{', 0, 1, 2});
            PullResult pull = team.sync(a).pull(Deadline.in(CAP));
            assertEquals(PullResult.Fetch.FETCHED, pull.fetch(), pull.toString());
            assertTrue(Team.read(a.resolve(".wyren/log")).contains("unreadable; using defaults"));
            team.wyren(a, "status").expect(0);
            team.assertUserReposUntouched();
        }
    }

    @Test
    void optOutByConfigOrEnvironmentDoesNothingAndWritesNothing() throws Exception {
        try (Team team = Team.create()) {
            Path a = team.clone("a");
            team.wyren(a, "init").expect(0);
            String remoteTip = team.git(team.remote, "rev-parse", "wyren/memory");

            Path b = team.clone("b");
            team.git(b, "config", "wyren.enabled", "false");
            assertEquals(PullResult.Working.DISABLED, team.sync(b).pull(Deadline.in(CAP)).working());
            assertEquals(PushResult.Outcome.DISABLED, team.sync(b).push("x", Deadline.in(CAP)).outcome());
            assertTrue(team.wyren(b, "sync").expect(0).out().contains("disabled"));
            assertFalse(Files.exists(b.resolve(".wyren")), "an opted-out clone gets no files");
            assertEquals("", team.git(b, "for-each-ref", "refs/wyren/"));

            PullTest.addBullet(a, "Decisions", "Not published while disabled [aaaaaaaa, turn 1]");
            team.setEnv("WYREN_DISABLE", "1");
            assertEquals(PushResult.Outcome.DISABLED, team.sync(a).push("x", Deadline.in(CAP)).outcome());
            assertEquals(remoteTip, team.git(team.remote, "rev-parse", "wyren/memory"));
            team.setEnv("WYREN_DISABLE", "0");
            assertEquals(PushResult.Outcome.PUSHED, team.sync(a).push("x", Deadline.in(CAP)).outcome(), "0 is not truthy");
            team.assertUserReposUntouched();
        }
    }
}
