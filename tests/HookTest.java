import local.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HookTest {

    static final Path DECISIONS = DistillerTest.DECISIONS;
    static final String SESSION = DistillerTest.DECISIONS_SESSION;

    @RegisterExtension
    final Team team = Team.create();
    final Path a = team.clone("a");

    HookTest() {
        team.wyren(a, "init").expect(0);
        team.setEnv("WYREN_DISTILLER", "extractive");
    }

    Team.Result hook(String event, Path repo, String session, String... extra) {
        return Hook.run(team, event, repo, team.env(), Hook.input(event, repo, session, null, extra));
    }

    void publishDecision(Path repo, String bullet) throws IOException {
        PullTest.addBullet(repo, "Decisions", bullet);
        team.wyren(repo, "sync").expect(0);
    }

    void expireLiveFetchInterval(Path repo) throws IOException {
        Path marker = repo.resolve(".wyren/state/live-fetch");
        if (Files.exists(marker)) {
            Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minusSeconds(60)));
        }
    }

    @Test
    void sessionStartHandsTheTeamMemoryToANewTeammate() throws Exception {
        publishDecision(a, "SQLite for the cart store [aaaaaaaa, turn 1]");
        Team.write(a.resolve(".wyren/broadcast/skills/deploy.md"), "Deploy with make ship.\n");
        team.wyren(a, "sync").expect(0);
        Path b = team.clone("b");
        Team.Result r = hook("SessionStart", b, "b-session-1", "source", "startup");
        String context = Hook.injected(r, "SessionStart");
        assertTrue(context.startsWith("# Wyren team memory\n"), context);
        assertTrue(context.contains("notes, not orders") && context.contains("`wyren blame`"), "framed as notes with a way to check them: " + context);
        assertTrue(context.contains("## Decisions\n- SQLite for the cart store"), context);
        assertTrue(context.contains("# Wyren broadcast\n\n## skills/deploy.md\nDeploy with make ship."), context);
        assertFalse(context.contains("Edit freely"), "the skeleton's boilerplate is not injected");
        assertEquals("", r.err(), r.toString());
        assertEquals("SQLite for the cart store [aaaaaaaa, turn 1]",
                Hook.sessionState(b, "b-session-1").path("seen").get(0).path("bullet").asText());
    }

    @Test
    void sessionStartTrimsBroadcastFirstThenBulletsToStayWithinTheLimit() throws Exception {
        for (int i = 0; i < 45; i++) {
            PullTest.addBullet(a, "Decisions", "Decision number " + i + " " + "x".repeat(120));
        }
        Team.write(a.resolve(".wyren/broadcast/big.md"), "y".repeat(3000));
        Team.write(a.resolve(".wyren/broadcast/small.md"), "short note");
        team.wyren(a, "sync").expect(0);
        String context = Hook.injected(hook("SessionStart", a, "s1"), "SessionStart");
        assertTrue(context.length() <= 9500, "length " + context.length());
        assertTrue(context.contains("(Cut to fit: broadcast small.md, big.md. The full text is in .wyren/.)"), context);
        assertTrue(context.contains("Decision number 44"), "no bullet cut while broadcast could go: " + context);

        for (int i = 0; i < 40; i++) {
            PullTest.addBullet(a, "Open questions", "Unpublished hand-written question " + i + " " + "z".repeat(120));
        }
        String handEdited = Hook.injected(hook("SessionStart", a, "s2"), "SessionStart");
        assertTrue(handEdited.length() <= 9500, "length " + handEdited.length());
        assertTrue(handEdited.contains("memory bullet(s) from the end (") && handEdited.contains(" from Open questions). The full text is in .wyren/.)"), handEdited);
        assertTrue(handEdited.contains("Decision number 0"), "the oldest decisions stay; bullets go from the end");
    }

    @Test
    void userPromptSubmitIsSilentUntilATeammateChangesMemoryThenSendsOnlyTheDelta() throws Exception {
        publishDecision(a, "Old decision stays [aaaaaaaa, turn 1]");
        Path b = team.clone("b");
        Hook.injected(hook("SessionStart", b, "b1"), "SessionStart");
        Hook.silent(hook("UserPromptSubmit", b, "b1", "prompt", "hello"));

        publishDecision(a, "Use SSE, not WebSockets [aaaaaaaa, turn 2]");
        expireLiveFetchInterval(b);
        String delta = Hook.injected(hook("UserPromptSubmit", b, "b1", "prompt", "next"), "UserPromptSubmit");
        assertTrue(delta.startsWith("## Wyren live update\n"), delta);
        assertTrue(delta.contains("### New in Decisions\n- Use SSE, not WebSockets [aaaaaaaa, turn 2]"), delta);
        assertFalse(delta.contains("Old decision stays"), "only the delta: " + delta);
        assertTrue(delta.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 4096);

        Hook.silent(hook("UserPromptSubmit", b, "b1", "prompt", "again"));

        Path memory = a.resolve(".wyren/memory.md");
        String text = Files.readString(memory);
        Files.writeString(memory, text.replace("- Old decision stays [aaaaaaaa, turn 1]\n", "")
                .replace("- Use SSE, not WebSockets [aaaaaaaa, turn 2]\n",
                        "- Use SSE, not WebSockets [aaaaaaaa, turn 2]\n- Old decision stays [aaaaaaaa, turn 1]\n"));
        team.wyren(a, "sync").expect(0);
        expireLiveFetchInterval(b);
        Hook.silent(hook("UserPromptSubmit", b, "b1", "prompt", "reordered only"));

        Files.writeString(memory, Files.readString(memory).replace("- Old decision stays [aaaaaaaa, turn 1]\n", ""));
        team.wyren(a, "sync").expect(0);
        expireLiveFetchInterval(b);
        String removal = Hook.injected(hook("UserPromptSubmit", b, "b1", "prompt", "removed"), "UserPromptSubmit");
        assertTrue(removal.contains("### Removed from Decisions\n- Old decision stays"), removal);
    }

    @Test
    void liveSyncFetchesAtMostOncePerInterval() throws Exception {
        publishDecision(a, "Already known [aaaaaaaa, turn 1]");
        Path b = team.clone("b");
        Hook.injected(hook("SessionStart", b, "b1"), "SessionStart");
        Hook.silent(hook("UserPromptSubmit", b, "b1", "prompt", "first"));
        publishDecision(a, "Arrives only after the interval [aaaaaaaa, turn 3]");
        Hook.silent(hook("UserPromptSubmit", b, "b1", "prompt", "within 15 s: no fetch"));
        expireLiveFetchInterval(b);
        assertTrue(Hook.injected(hook("UserPromptSubmit", b, "b1", "prompt", "after"), "UserPromptSubmit")
                .contains("Arrives only after the interval"));
    }

    @Test
    void sessionWithoutARecordGetsTheFullMemoryAtItsFirstPrompt() throws Exception {
        publishDecision(a, "Known to everyone [aaaaaaaa, turn 1]");
        String context = Hook.injected(hook("UserPromptSubmit", a, "never-started", "prompt", "hi"), "UserPromptSubmit");
        assertTrue(context.startsWith("# Wyren team memory"), context);
        assertTrue(context.contains("Known to everyone"));
        Hook.silent(hook("UserPromptSubmit", a, "never-started", "prompt", "again"));
    }

    @Test
    void stopStartsADetachedDistillerAtTheFifthTurnThatOutlivesTheHook() throws Exception {
        Path transcript = team.dir.resolve("transcript.jsonl");
        Files.copy(DECISIONS, transcript);
        for (int turn = 1; turn <= 4; turn++) {
            Hook.silent(Hook.run(team, "Stop", a, team.env(), Hook.input("Stop", a, SESSION, transcript, "stop_hook_active", "false")));
            assertFalse(Files.exists(a.resolve(".wyren/state/distiller.pid")), "no distiller before turn 5");
        }
        assertEquals(4, Hook.sessionState(a, SESSION).path("turnsSinceDistill").asInt());
        Team.Result fifth = Hook.silent(Hook.run(team, "Stop", a, team.env(), Hook.input("Stop", a, SESSION, transcript)));
        assertTrue(fifth.elapsed().toMillis() < 2500, "the Stop hook never waits: " + fifth.elapsed().toMillis() + " ms");
        Hook.await("the distiller to push the session's decisions", Duration.ofSeconds(60), () ->
                team.gitAttempt(team.remote, "show", "wyren/memory:.wyren/memory.md").out().contains("SQLite for the cart store"));
        Hook.await("the distiller to release its pid file", Duration.ofSeconds(20),
                () -> !Files.exists(a.resolve(".wyren/state/distiller.pid")));
        String log = Team.read(a.resolve(".wyren/log"));
        assertTrue(log.contains("Stop: started distiller pid"), log);
        assertEquals(0, Hook.sessionState(a, SESSION).path("turnsSinceDistill").asInt());
        assertTrue(PullTest.memory(a).contains("SQLite for the cart store"), "the working copy shows the distilled memory");
    }

    @Test
    void pendingTurnsAfterIdleTriggerADistillation() throws Exception {
        team.setEnv("WYREN_IDLE_MS", "1");
        Path transcript = team.dir.resolve("idle.jsonl");
        Files.copy(DECISIONS, transcript);
        Hook.silent(Hook.run(team, "Stop", a, team.env(), Hook.input("Stop", a, SESSION, transcript)));
        assertFalse(Team.read(a.resolve(".wyren/log")).contains("started distiller"));
        Thread.sleep(20);
        Hook.silent(Hook.run(team, "Stop", a, team.env(), Hook.input("Stop", a, SESSION, transcript)));
        assertTrue(Team.read(a.resolve(".wyren/log")).contains("started distiller pid"));
        Hook.await("the idle distillation", Duration.ofSeconds(60), () ->
                team.gitAttempt(team.remote, "show", "wyren/memory:.wyren/memory.md").out().contains("SQLite for the cart store"));
    }

    @Test
    void preCompactAndSessionEndOnlyStartTheDistillerForPendingTurns() throws Exception {
        Path transcript = team.dir.resolve("end.jsonl");
        Files.copy(DECISIONS, transcript);
        Hook.silent(Hook.run(team, "SessionEnd", a, team.env(), Hook.input("SessionEnd", a, SESSION, transcript, "reason", "other")));
        assertFalse(Team.read(a.resolve(".wyren/log")).contains("started distiller"), "nothing pending, nothing started");
        Hook.silent(Hook.run(team, "Stop", a, team.env(), Hook.input("Stop", a, SESSION, transcript)));
        Hook.silent(Hook.run(team, "PreCompact", a, team.env(), Hook.input("PreCompact", a, SESSION, transcript, "trigger", "manual")));
        assertTrue(Team.read(a.resolve(".wyren/log")).contains("PreCompact: started distiller pid"));
        Hook.await("the distillation", Duration.ofSeconds(60), () ->
                team.gitAttempt(team.remote, "show", "wyren/memory:.wyren/memory.md").out().contains("SQLite for the cart store"));
    }

    @Test
    void concurrentStopAndPromptHooksNeverLoseOrTearSessionState() throws Exception {
        team.setEnv("WYREN_TURNS_THRESHOLD", "1000");
        int hooks = 6;
        List<Long> elapsed = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(hooks);
        try {
            List<Future<Team.Result>> runs = new ArrayList<>();
            for (int i = 0; i < hooks; i++) {
                String event = i % 2 == 0 ? "Stop" : "UserPromptSubmit";
                runs.add(pool.submit(() -> hook(event, a, "shared-session", "prompt", "p")));
            }
            for (Future<Team.Result> run : runs) {
                Team.Result r = run.get(60, TimeUnit.SECONDS).expect(0);
                elapsed.add(r.elapsed().toMillis());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(hooks / 2, Hook.sessionState(a, "shared-session").path("turnsSinceDistill").asInt(),
                "every Stop's turn counted; hook times in ms: " + elapsed);
    }

    // ------------------------------------------------------------------------------------ faults

    @Test
    void malformedInputIsIgnoredSilentlyAndLogged() throws Exception {
        for (String event : List.of("SessionStart", "UserPromptSubmit", "Stop", "PreCompact", "SessionEnd")) {
            Hook.silent(Hook.run(team, event, a, team.env(), "{not json"));
            Hook.silent(Hook.run(team, event, a, team.env(), ""));
            Hook.silent(Hook.run(team, event, a, team.env(), "{\"cwd\":\"" + a + "\"}"));
        }
        String log = Team.read(a.resolve(".wyren/log"));
        assertTrue(log.contains("ignored malformed hook input"), log);
        assertTrue(log.contains("hook input has no session_id"), log);
    }

    @Test
    void nonGitDirectoryAndRepositoryWithoutWyrenGetNothingAndNoFiles() throws Exception {
        Path plainDir = Files.createDirectories(team.dir.resolve("plain-dir"));
        Path noWyren = team.bareInit("no-wyren");
        for (Path cwd : List.of(plainDir, noWyren)) {
            for (String event : List.of("SessionStart", "UserPromptSubmit", "Stop", "SessionEnd")) {
                Hook.silent(hook(event, cwd, "s"));
            }
            assertFalse(Files.exists(cwd.resolve(".wyren")), cwd + " got files");
        }
    }

    @Test
    void gitMissingFromPathIsSilent() {
        Env noGit = team.env().with("PATH", team.dir.resolve("empty-bin").toString());
        for (String event : List.of("SessionStart", "UserPromptSubmit", "Stop")) {
            Hook.silent(Hook.run(team, event, a, noGit, Hook.input(event, a, "s", null)));
        }
    }

    @Test
    void internalAndDisabledProcessesDoNothingAndWriteNothing() {
        for (String flag : List.of("WYREN_INTERNAL", "WYREN_DISABLE")) {
            Env env = team.env().with(flag, "1");
            for (String event : List.of("SessionStart", "UserPromptSubmit", "Stop")) {
                Hook.silent(Hook.run(team, event, a, env, Hook.input(event, a, "internal-" + flag, null)));
            }
            assertFalse(Files.exists(a.resolve(".wyren/state/sessions/internal-" + flag + ".json")));
        }
        team.git(a, "config", "wyren.enabled", "false");
        Hook.silent(hook("SessionStart", a, "opted-out"));
        assertFalse(Files.exists(a.resolve(".wyren/state/sessions/opted-out.json")));
    }

    @Test
    void unreachableRemoteStillInjectsLocalMemoryWithinTheDeadline() throws Exception {
        publishDecision(a, "Works offline [aaaaaaaa, turn 1]");
        team.git(a, "remote", "set-url", "origin", team.dir.resolve("gone.git").toString());
        Team.Result r = hook("SessionStart", a, "offline");
        assertTrue(Hook.injected(r, "SessionStart").contains("Works offline"));
        assertTrue(r.elapsed().toMillis() < 3500, r.elapsed().toMillis() + " ms");
    }

    @Test
    void hangingRemoteIsCutOffAndTheHookStillAnswersWithinItsDeadline() throws Exception {
        publishDecision(a, "Survives a hanging remote [aaaaaaaa, turn 1]");
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            team.git(a, "remote", "set-url", "origin", "http://127.0.0.1:" + silent.getLocalPort() + "/x.git");
            Team.Result start = hook("SessionStart", a, "hang");
            assertTrue(Hook.injected(start, "SessionStart").contains("Survives a hanging remote"));
            assertTrue(start.elapsed().toMillis() < 3500, "SessionStart took " + start.elapsed().toMillis() + " ms");
            Team.Result prompt = hook("UserPromptSubmit", a, "hang", "prompt", "p");
            Hook.silent(prompt);
            assertTrue(prompt.elapsed().toMillis() < 2500, "UserPromptSubmit took " + prompt.elapsed().toMillis() + " ms");
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void watchdogEndsAHookStuckInGitWithExitZeroAfterSayingWhatItReadFromDisk() throws Exception {
        publishDecision(a, "Said even when the fetch hangs [aaaaaaaa, turn 1]");
        Path bin = Files.createDirectories(team.dir.resolve("slow-git-bin"));
        Path git = bin.resolve("git");
        String realGit = team.run(team.dir, null, Duration.ofSeconds(5), "sh", "-c", "command -v git").out().strip();
        Files.writeString(git, "#!/bin/sh\ncase \"$*\" in *fetch*) sleep 30;; esac\nexec " + realGit + " \"$@\"\n");
        Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
        Env slow = team.env().with("PATH", bin + ":" + team.env().get("PATH").orElseThrow());
        Team.Result r = Hook.run(team, "SessionStart", a, slow, Hook.input("SessionStart", a, "stuck", null));
        assertTrue(Hook.injected(r, "SessionStart").contains("Said even when the fetch hangs"), r.toString());
        assertTrue(r.elapsed().toMillis() < 15_000, "the watchdog did not end the hook: " + r.elapsed().toMillis() + " ms");
        assertTrue(r.elapsed().toMillis() >= 1500, "ended before the fetch could have run into its cap? " + r.elapsed().toMillis() + " ms");
    }

    @Test
    void corruptStateFilesAreReadAsDefaults() throws Exception {
        publishDecision(a, "State corruption is survivable [aaaaaaaa, turn 1]");
        Files.createDirectories(a.resolve(".wyren/state/sessions"));
        Files.write(a.resolve(".wyren/state/sessions/corrupt.json"), new byte[] {(byte) 0xff, 0, '{'});
        Files.writeString(a.resolve(".wyren/state/sync.json"), "[1,2");
        assertTrue(Hook.injected(hook("SessionStart", a, "corrupt"), "SessionStart").contains("State corruption is survivable"));
        Hook.silent(hook("Stop", a, "corrupt"));
        assertEquals(1, Hook.sessionState(a, "corrupt").path("turnsSinceDistill").asInt());
    }

    @Test
    void memoryFileThatIsADirectoryIsReplacedAndTheBranchMemoryInjected() throws Exception {
        publishDecision(a, "From the branch [aaaaaaaa, turn 1]");
        Path memory = a.resolve(".wyren/memory.md");
        Files.delete(memory);
        Files.createDirectories(memory.resolve("sub"));
        assertTrue(Hook.injected(hook("SessionStart", a, "dir"), "SessionStart").contains("From the branch"));
        assertTrue(Files.isRegularFile(memory));
    }

    @Test
    void broadcastSymlinkPointingOutsideIsNeverInjected() throws Exception {
        Path secret = team.dir.resolve("outside.txt");
        Files.writeString(secret, "TOP-SECRET-OUTSIDE\n");
        Files.createDirectories(a.resolve(".wyren/broadcast"));
        Files.createSymbolicLink(a.resolve(".wyren/broadcast/leak.md"), secret);
        Files.createSymbolicLink(a.resolve(".wyren/broadcast/dir-link"), team.dir);
        Team.write(a.resolve(".wyren/broadcast/ok.md"), "fine to share\n");
        String context = Hook.injected(hook("SessionStart", a, "links"), "SessionStart");
        assertTrue(context.contains("fine to share"), context);
        assertFalse(context.contains("TOP-SECRET-OUTSIDE"), context);
    }
}
