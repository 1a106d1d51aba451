import local.Env;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every hook through both commands a configuration can run, {@code jbang hooks/X.java} and the
 * installed {@code hooks/run X}, on a machine with one core kept busy: SessionStart injects, Stop
 * counts the turn and starts the distiller, UserPromptSubmit delivers a teammate's change.
 */
class HookPathsTest {

    static final Path CHECKOUT = Team.repoRoot();

    @RegisterExtension
    final Team team = Team.create();
    final Path alice = team.initializedClone("alice");
    final Path bob = team.clone("bob");
    BusyCpus busy;

    @BeforeEach
    void keepOneCoreBusy() throws IOException {
        busy = BusyCpus.start(1);
    }

    @AfterEach
    void stopTheBusyLoop() {
        busy.close();
    }

    Env env() {
        return team.env().with("WYREN_HOOK_CACHE", HookRuntime.sharedCache().toString())
                .with("WYREN_JBANG_CACHE", ClaudeCode.jbangCache().toString()).with("WYREN_DISTILLER", "extractive");
    }

    Team.Result run(String command, String event, Env env, String... extra) {
        return Team.runWith(bob, env, Hook.input(event, bob, "paths-session", team.dir.resolve("t.jsonl"), extra),
                Duration.ofSeconds(120), List.of("sh", "-c", command + " || true"));
    }

    void publish(String bullet) throws IOException {
        PullTest.addBullet(alice, "Decisions", bullet);
        team.wyren(alice, "sync").expect(0);
    }

    void everyHookDoesItsJob(String commandFor) throws Exception {
        Files.copy(DistillerTest.DECISIONS, team.dir.resolve("t.jsonl"));
        publish("Both paths share this [aaaaaaaa, turn 1]");
        String sessionStart = Hook.injected(run(commandFor.formatted("SessionStart"), "SessionStart", env(), "source", "startup"),
                "SessionStart");
        assertTrue(sessionStart.contains("Both paths share this"), sessionStart);

        Hook.silent(run(commandFor.formatted("Stop"), "Stop", env().with("WYREN_TURNS_THRESHOLD", "1")));
        assertTrue(Hook.sessionState(bob, "paths-session").path("turnsSinceDistill").asInt() <= 1);
        assertTrue(Team.read(bob.resolve(".wyren/log")).contains("Stop: started distiller pid"), Team.read(bob.resolve(".wyren/log")));
        Hook.await("bob's distiller to finish", Duration.ofSeconds(120),
                () -> session.DistillerProcess.running(bob.resolve(".wyren/state/distiller.pid")).isEmpty());
        // The distiller read the transcript (with Jackson, which the installed hooks' own classpath leaves out).
        assertTrue(Team.read(bob.resolve(".wyren/log")).contains("session paths-se: distilled ("), Team.read(bob.resolve(".wyren/log")));

        publish("A teammate changed this meanwhile [aaaaaaaa, turn 2]");
        // Live sync fetches within a one-second cap: on a loaded machine a fetch may be cut, and the
        // change then arrives at a later prompt. Three prompts bound that without depending on speed.
        String live = "";
        for (int prompt = 1; prompt <= 3 && live.isEmpty(); prompt++) {
            Path marker = bob.resolve(".wyren/state/live-fetch");
            if (Files.exists(marker)) {
                Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minusSeconds(60)));
            }
            Team.Result r = run(commandFor.formatted("UserPromptSubmit"), "UserPromptSubmit", env(), "prompt", "next " + prompt);
            live = r.out().isBlank() ? "" : Hook.injected(r, "UserPromptSubmit");
        }
        assertTrue(live.contains("## Wyren live update") && live.contains("A teammate changed this meanwhile"),
                live + "\n" + Team.read(bob.resolve(".wyren/log")));
    }

    @Test
    void everyHookDoesItsJobThroughJbangWithACoreBusy() throws Exception {
        everyHookDoesItsJob("\"" + CHECKOUT.resolve("jbang") + "\" \"" + CHECKOUT.resolve("hooks") + "/%s.java\"");
    }

    @Test
    void everyHookDoesItsJobThroughTheInstalledCommandWithACoreBusy() throws Exception {
        everyHookDoesItsJob("\"" + CHECKOUT.resolve("hooks/run") + "\" %s");
    }
}
