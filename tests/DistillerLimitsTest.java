import local.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The background distiller ends itself at its wall clock, and never runs twice at once. */
class DistillerLimitsTest {

    @RegisterExtension
    final Team team = Team.create();
    final Path a = team.initializedClone("a");
    final Path pidFile = a.resolve(".wyren/state/distiller.pid");
    final Path started = team.dir.resolve("engine-started");

    /** An engine that records its pid and then never answers. */
    Env hangingEngine(String wallSeconds) throws Exception {
        Path engine = team.dir.resolve("hanging-engine.sh");
        Files.writeString(engine, "#!/bin/sh\necho $$ >> " + started + "\nexec sleep 600\n");
        Files.setPosixFilePermissions(engine, PosixFilePermissions.fromString("rwxr-xr-x"));
        return team.env().with("WYREN_DISTILL_COMMAND", engine.toString()).with("WYREN_DISTILLER", "command")
                .with("WYREN_DISTILL_TIMEOUT_S", "600").with("WYREN_DISTILL_WALL_S", wallSeconds)
                .with("WYREN_TURNS_THRESHOLD", "1");
    }

    Team.Result stop(Env env, String session) throws Exception {
        Path transcript = team.dir.resolve(session + ".jsonl");
        if (!Files.exists(transcript)) {
            Files.copy(DistillerTest.DECISIONS, transcript);
        }
        return Hook.silent(Hook.run(team, "Stop", a, env, Hook.input("Stop", a, session, transcript)));
    }

    @Test
    void distillerWithAHangingEngineStopsAtItsWallClockAndFreesThePidFile() throws Exception {
        stop(hangingEngine("3"), "wall-session");
        Hook.await("the engine to start", Duration.ofSeconds(30), () -> Files.exists(started));
        long engine = Long.parseLong(Team.read(started).strip());
        Hook.await("the distiller to stop at its wall clock", Duration.ofSeconds(60), () -> !Files.exists(pidFile));
        Hook.await("the engine to be killed", Duration.ofSeconds(10), () -> !local.ChildProcess.isRunning(engine));
        assertTrue(Team.read(a.resolve(".wyren/log")).contains("stopped at the distiller's wall-clock limit of 3 s"));
        assertEquals(1, Hook.sessionState(a, "wall-session").path("turnsSinceDistill").asInt(), "the turn stays pending");
    }

    @Test
    void aSecondDistillerNeverStartsWhileTheFirstLivesHoweverOldItsPidFile() throws Exception {
        Env env = hangingEngine("120");
        stop(env, "first-session");
        Hook.await("the first engine to start", Duration.ofSeconds(30), () -> Files.exists(started));
        try {
            Files.setLastModifiedTime(pidFile, FileTime.from(Instant.now().minus(Duration.ofMinutes(30))));
            stop(env, "second-session");
            Thread.sleep(2000);
            assertEquals(1, Team.read(started).strip().lines().count(), "a second engine started: " + Team.read(started));
            assertTrue(Team.read(a.resolve(".wyren/log")).contains("distiller already running; not starting another"));
        } finally {
            session.DistillerProcess.running(pidFile).ifPresent(h -> ProcessHandle.of(h.owner().pid())
                    .ifPresent(p -> {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    }));
            Hook.await("the first distiller to be gone", Duration.ofSeconds(20), () -> session.DistillerProcess.running(pidFile).isEmpty());
        }
        assertFalse(session.DistillerProcess.running(pidFile).isPresent());
    }
}
