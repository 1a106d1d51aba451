import local.Env;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wyren as its users run it: the real Claude Code CLI (offline, against {@link FakeModelApi}) fires
 * Wyren's real hooks from a temporary user settings file. Skipped, with the reason, where npm or
 * the CLI is not available.
 */
class ClaudeCodeE2ETest {

    static final Path CHECKOUT = Team.repoRoot();
    static Path claude;

    @RegisterExtension
    final Team team = Team.create();

    @BeforeAll
    static void installClaudeCodeAndBuildHooks() {
        ClaudeCode.Result<Path> installed = ClaudeCode.install();
        Assumptions.assumeTrue(installed.value().isPresent(), "Claude Code CLI unavailable: " + installed.reason());
        claude = installed.value().get();
        for (String hook : List.of("SessionStart", "UserPromptSubmit", "Stop", "PreCompact", "SessionEnd")) {
            Team.runWith(CHECKOUT, Env.system(), "", Duration.ofMinutes(3),
                    List.of(CHECKOUT.resolve("jbang").toString(), "build", CHECKOUT.resolve("hooks/" + hook + ".java").toString()))
                    .expect(0);
        }
    }

    /** The model agrees briefly; asked to distill, it answers like a model that kept one decision. */
    static String reply(String prompt) {
        if (prompt.contains("=== CURRENT MEMORY ===")) {
            return "# Team memory\n\n## Decisions\n- The real claude engine ran for this [e2e00000, turn 1]\n";
        }
        return "Understood.";
    }

    Env env(Path configDir, FakeModelApi api) {
        return ClaudeCode.environment(team, configDir, api, claude)
                .with("WYREN_DISTILLER", "extractive")
                .with("WYREN_FETCH_INTERVAL_S", "1");
    }

    @Test
    void teammatesShareMemoryThroughRealClaudeCodeSessions() throws Exception {
        Path alice = team.clone("alice");
        team.wyren(alice, "init").expect(0);
        try (FakeModelApi api = new FakeModelApi(ClaudeCodeE2ETest::reply)) {
            Path aliceConfig = team.dir.resolve("alice-claude");
            ClaudeCode.wireHooks(aliceConfig, CHECKOUT, Map.of());
            Env aliceEnv = env(aliceConfig, api);
            try (ClaudeCode.Session session = new ClaudeCode.Session(claude, alice, aliceEnv)) {
                for (String prompt : List.of(
                        "We need persistence for the cart service; Postgres feels heavy for a prototype.",
                        "OK, we decided to go with SQLite for the cart store. Keep it in data/cart.db.",
                        "WebSockets won't work behind the corporate proxy. Rejected. Use SSE instead.",
                        "Hardcode user_id=1 in CartController for the demo, it's a temporary hack.",
                        "Payment integration is out of scope for this sprint.")) {
                    session.turn(prompt, Duration.ofSeconds(60));
                }
                Hook.await("Alice's Stop hooks to distill and push her session", Duration.ofSeconds(90), () ->
                        team.gitAttempt(team.remote, "show", "wyren/memory:.wyren/memory.md").out().contains("SQLite for the cart store"));
                String log = Team.read(alice.resolve(".wyren/log"));
                assertTrue(log.contains("Stop: started distiller pid"), log);

                Path bob = team.clone("bob");
                Path bobConfig = team.dir.resolve("bob-claude");
                ClaudeCode.wireHooks(bobConfig, CHECKOUT, Map.of());
                int before = api.requests().size();
                ClaudeCode.print(claude, bob, env(bobConfig, api), "What should I work on?").expect(0);
                String bobsFirstRequest = api.requests().get(before);
                assertTrue(bobsFirstRequest.contains("SQLite for the cart store"), "Bob's first model request lacks Alice's decision");
                String distilled = team.git(team.remote, "show", "wyren/memory:.wyren/memory.md");
                assertTrue(bobsFirstRequest.contains("out of scope"), "Bob's first request lacks the memory:\n" + distilled);
                assertTrue(bobsFirstRequest.contains("# Wyren team memory"));

                Path bobMemory = bob.resolve(".wyren/memory.md");
                Files.writeString(bobMemory, Files.readString(bobMemory).replaceFirst("- We decided to go with SQLite[^\\n]*\\n",
                        "- Postgres after all: SQLite locked under load [b0b00000, turn 2]\n"));
                team.wyren(bob, "sync").expect(0);
                Thread.sleep(1100);

                int beforeLive = api.requests().size();
                session.turn("Let's continue with the cart.", Duration.ofSeconds(60));
                String aliceNextRequest = api.requests().get(beforeLive);
                assertTrue(aliceNextRequest.contains("Wyren live update"), "no live update in Alice's next request");
                assertTrue(aliceNextRequest.contains("Postgres after all: SQLite locked under load"));
                assertTrue(aliceNextRequest.contains("Removed from Decisions"), "the change is shown as a change");
                assertFalse(aliceNextRequest.contains("New in Live workarounds"),
                        "Alice's own distilled bullets are not news to her session");
            }
        }
    }

    @Test
    void claudeEngineRunsTheRealCliWithItsIsolationFlagsAndNoHookFires() throws Exception {
        Path alice = team.clone("alice");
        team.wyren(alice, "init").expect(0);
        try (FakeModelApi api = new FakeModelApi(ClaudeCodeE2ETest::reply)) {
            Path config = team.dir.resolve("claude-config");
            Path fired = team.dir.resolve("hook-fired");
            Map<String, String> markers = Map.of("SessionStart", "echo SessionStart >> " + fired,
                    "UserPromptSubmit", "echo UserPromptSubmit >> " + fired, "Stop", "echo Stop >> " + fired,
                    "SessionEnd", "echo SessionEnd >> " + fired);
            ClaudeCode.wireHooks(config, CHECKOUT, markers);
            Env env = ClaudeCode.environment(team, config, api, claude);

            ClaudeCode.print(claude, alice, env, "hello").expect(0);
            assertTrue(Files.exists(fired), "control: a plain claude -p fires the marker hooks");
            Files.delete(fired);
            // The session's own SessionEnd started the background distiller: let it finish first.
            Hook.await("the session's background distiller to finish", Duration.ofSeconds(60),
                    () -> session.DistillerProcess.running(alice.resolve(".wyren/state/distiller.pid")).isEmpty());
            String logBefore = Team.read(alice.resolve(".wyren/log"));

            Team.Result distill = team.wyrenWith(env, alice, "distill", "--engine", "claude", "--transcript",
                    DistillerTest.DECISIONS.toString());
            distill.expect(0);
            assertTrue(distill.out().contains("engine: claude") && distill.out().contains("distilled"), distill.toString());
            assertFalse(Files.exists(fired), "a hook fired inside the distiller's claude -p: " + Team.read(fired));
            String request = api.requests().get(api.requests().size() - 1);
            assertTrue(request.contains("=== CURRENT MEMORY ==="), "the prompt reached the model on stdin");
            assertTrue(request.contains("\"model\":\"haiku\"") || request.contains("haiku"), "the small model was asked for");
            assertEquals(List.of(), Team.read(alice.resolve(".wyren/log")).replace(logBefore, "").lines()
                    .filter(l -> l.contains(" SessionStart: ") || l.contains(" Stop: ")).toList(), "Wyren hooks ran inside the engine");
            assertTrue(team.git(team.remote, "show", "wyren/memory:.wyren/memory.md").contains("The real claude engine ran for this"));
        }
    }

    @Test
    void installedHooksRunThroughTheFastCommandAndDoctorIsHealthy() throws Exception {
        Path alice = team.initializedClone("alice");
        PullTest.addBullet(alice, "Decisions", "Installed hooks carry this [aaaaaaaa, turn 1]");
        team.wyren(alice, "sync").expect(0);
        try (FakeModelApi api = new FakeModelApi(ClaudeCodeE2ETest::reply)) {
            Path config = team.dir.resolve("installed-claude");
            Env env = ClaudeCode.environment(team, config, api, claude)
                    .with("WYREN_HOOK_CACHE", HookRuntime.sharedCache().toString()).with("WYREN_HOME", CHECKOUT.toString());
            team.wyrenWith(env, alice, "install").expect(0);
            assertTrue(Files.readString(config.resolve("settings.json")).contains("hooks/run\\\" SessionStart"));
            Team.Result doctor = team.wyrenWith(env, alice, "doctor");
            assertEquals(0, doctor.exit(), doctor.toString());
            assertTrue(doctor.out().contains("ok    claude login: logged in"), doctor.toString());

            Path bob = team.clone("bob");
            int before = api.requests().size();
            ClaudeCode.print(claude, bob, env, "What did the team decide?").expect(0);
            assertTrue(api.requests().get(before).contains("Installed hooks carry this"),
                    "the installed SessionStart hook did not reach the model");
            team.wyrenWith(env, alice, "uninstall").expect(0);
            assertFalse(Files.readString(config.resolve("settings.json")).contains("wyren"));
        }
    }

    @Test
    void theRealCliValidatesThePluginAndTheMarketplace() {
        for (Path target : List.of(CHECKOUT, CHECKOUT.resolve(".claude-plugin/marketplace.json"))) {
            Team.Result r = Team.runWith(team.dir, team.env(), "", Duration.ofSeconds(60),
                    List.of(claude.toString(), "plugin", "validate", target.toString())).expect(0);
            assertTrue(r.out().contains("Validation passed"), r.toString());
        }
    }
}

