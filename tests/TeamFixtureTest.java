import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** The "user's repository is untouched" check can fail: each kind of change is noticed. */
class TeamFixtureTest {

    @Test
    void untouchedCheckNoticesIndexRefsHeadWorktreeFetchHeadAndRemoteChanges() throws Exception {
        try (Team team = Team.create()) {
            Path a = team.clone("a");
            team.assertUserReposUntouched();
            Files.writeString(a.resolve("new.txt"), "x\n");
            assertThrows(AssertionFailedError.class, team::assertUserReposUntouched, "untracked file");
            team.git(a, "add", "new.txt");
            team.rebaseline();
            Files.writeString(a.resolve("new.txt"), "y\n");
            assertThrows(AssertionFailedError.class, team::assertUserReposUntouched, "worktree change");
            team.git(a, "checkout", "--", "new.txt");
            team.git(a, "reset", "-q");
            assertThrows(AssertionFailedError.class, team::assertUserReposUntouched, "index change");
            team.rebaseline();
            team.git(a, "branch", "topic");
            assertThrows(AssertionFailedError.class, team::assertUserReposUntouched, "new branch");
            team.rebaseline();
            team.git(a, "fetch", "-q", "origin");
            assertThrows(AssertionFailedError.class, team::assertUserReposUntouched, "FETCH_HEAD written");
            team.rebaseline();
            team.git(a, "push", "-q", "origin", "topic");
            assertThrows(AssertionFailedError.class, team::assertUserReposUntouched, "remote branch pushed");
            team.rebaseline();
            team.git(a, "checkout", "-q", "topic");
            assertThrows(AssertionFailedError.class, team::assertUserReposUntouched, "HEAD moved");
        }
    }
}
