import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core hook scenarios on each backend, with the same hook, distiller and CLI code: git (the
 * product) and the tests' folder store ({@link FolderSync}), chosen only by {@code WYREN_BACKEND}.
 * Everything is observed as a teammate's Claude sees it: through hook processes.
 */
class BackendScenariosTest {

    @RegisterExtension
    final Team team = Team.create();

    void use(String backend) {
        if (backend.equals("folder")) {
            team.setEnv("WYREN_BACKEND", "FolderBackend");
            team.setEnv(FolderSync.STORE, team.dir.resolve("folder-store").toString());
        }
        team.setEnv("WYREN_DISTILLER", "extractive");
    }

    /** Memory of the folder backend never touches git: no memory branch on the remote or in the clone. */
    void assertCarriedBy(String backend, Path clone) {
        boolean onGit = !team.gitAttempt(team.remote, "for-each-ref", "refs/heads/wyren/memory").out().isBlank();
        assertTrue(backend.equals("git") == onGit, backend + " backend, memory branch on the git remote: " + onGit);
        if (backend.equals("folder")) {
            assertTrue(team.gitAttempt(clone, "for-each-ref", "refs/wyren").out().isBlank(), "no Wyren ref in the clone");
            assertTrue(Files.isDirectory(team.dir.resolve("folder-store")), "the folder store exists");
        }
    }

    Team.Result hook(String event, Path repo, String session, Path transcript, String... extra) {
        return Hook.run(team, event, repo, team.env(), Hook.input(event, repo, session, transcript, extra));
    }

    /** Alice's clone, joined, with one decision published. */
    Path aliceWithAPublishedDecision() throws Exception {
        Path a = team.clone("a");
        team.wyren(a, "init").expect(0);
        PullTest.addBullet(a, "Decisions", "SQLite for the cart store [aaaaaaaa, turn 1]");
        team.wyren(a, "sync").expect(0);
        return a;
    }

    @ParameterizedTest
    @ValueSource(strings = {"git", "folder"})
    void sessionStartInjectsWhatATeammatePublished(String backend) throws Exception {
        use(backend);
        Path a = aliceWithAPublishedDecision();
        Path b = team.clone("b");
        Team.UserRepo bBefore = team.userRepo(b);
        String injected = Hook.injected(hook("SessionStart", b, "b-session", null, "source", "startup"), "SessionStart");
        assertTrue(injected.contains("SQLite for the cart store"), injected);
        assertCarriedBy(backend, b);
        team.assertUntouched(bBefore, b);
    }

    @ParameterizedTest
    @ValueSource(strings = {"git", "folder"})
    void stopStartsTheDistillerWhosePublishedMemoryReachesATeammate(String backend) throws Exception {
        use(backend);
        team.setEnv("WYREN_TURNS_THRESHOLD", "1");
        Path a = team.clone("a");
        team.wyren(a, "init").expect(0);
        Path transcript = team.dir.resolve("transcript.jsonl");
        Files.copy(DistillerTest.DECISIONS, transcript);
        Hook.silent(hook("Stop", a, DistillerTest.DECISIONS_SESSION, transcript));
        Hook.await("the distiller to publish", Duration.ofSeconds(60),
                () -> Team.read(a.resolve(".wyren/log")).contains("pushed "));
        Hook.await("the distiller to release its pid file", Duration.ofSeconds(20),
                () -> !Files.exists(a.resolve(".wyren/state/distiller.pid")));
        Path b = team.clone("b");
        String injected = Hook.injected(hook("SessionStart", b, "b-session", null, "source", "startup"), "SessionStart");
        assertTrue(injected.contains("SQLite for the cart store"), injected);
        assertCarriedBy(backend, b);
    }

    @ParameterizedTest
    @ValueSource(strings = {"git", "folder"})
    void aTeammatesChangeReachesARunningSessionAsALiveUpdate(String backend) throws Exception {
        use(backend);
        Path a = aliceWithAPublishedDecision();
        Path b = team.clone("b");
        String first = Hook.injected(hook("SessionStart", b, "b-session", null, "source", "startup"), "SessionStart");
        assertFalse(first.contains("Kafka for the order events"), first);
        PullTest.addBullet(a, "Decisions", "Kafka for the order events [aaaaaaaa, turn 2]");
        team.wyren(a, "sync").expect(0);
        String live = Hook.injected(hook("UserPromptSubmit", b, "b-session", null, "prompt", "next step"), "UserPromptSubmit");
        assertTrue(live.contains("Kafka for the order events"), live);
        assertCarriedBy(backend, b);
    }
}
