import local.Env;
import local.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import session.Transcript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistillerTest {

    static final Path FIXTURES = Team.repoRoot().resolve("tests/fixtures/transcripts");
    static final Path DECISIONS = FIXTURES.resolve("decisions.jsonl");
    static final String DECISIONS_SESSION = "5f2c9a1e-7b3d-4c8e-9f10-2a3b4c5d6e7f";

    @RegisterExtension
    final Team team = Team.create();
    final Path a = team.clone("a");

    DistillerTest() {
        team.wyren(a, "init").expect(0);
    }

    Path script(String name, String body) throws Exception {
        Path bin = Files.createDirectories(team.dir.resolve("bin"));
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    Team.Result distill(Env env, String... args) {
        return team.wyrenWith(env, a, args);
    }

    Env withCommand(Path program) {
        return team.env().with("WYREN_DISTILL_COMMAND", program.toString());
    }

    String remoteMemory() {
        return team.git(team.remote, "show", "wyren/memory:.wyren/memory.md");
    }

    Optional<String> watermark(String session) throws Exception {
        Path file = a.resolve(".wyren/state/sessions/" + session + ".json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.ofNullable(Json.MAPPER.readTree(file.toFile()).path("watermark").textValue());
    }

    @Test
    void extractiveEngineKeepsTheFixturesDecisionsAndNoKeyMaterial() throws Exception {
        Team.Result r = distill(team.env(), "distill", "--engine", "extractive", "--transcript", DECISIONS.toString()).expect(0);
        assertTrue(r.out().contains("distilled"), r.toString());
        assertTrue(r.out().contains("pushed"), r.toString());
        String memory = remoteMemory();
        for (String expected : List.of("SQLite for the cart store", "WebSockets won't work behind the proxy",
                "Use SSE instead", "user_id=1 in CartController", "broken on Safari", "Payment integration is out of scope",
                "multi-currency")) {
            assertTrue(memory.contains(expected), expected + " missing:\n" + memory);
        }
        assertTrue(memory.indexOf("## Rejected paths") < memory.indexOf("WebSockets won't work"));
        assertTrue(memory.indexOf("## Live workarounds") < memory.indexOf("user_id=1"));
        assertTrue(memory.indexOf("## Known broken state") < memory.indexOf("broken on Safari"));
        assertTrue(memory.indexOf("## Scope changes") < memory.indexOf("Payment integration"));
        assertTrue(memory.indexOf("## Open questions") < memory.indexOf("multi-currency"));
        assertFalse(memory.contains("should we use WebSockets"), "a plain question is not knowledge:\n" + memory);
        assertFalse(memory.contains("AKIA") || memory.contains("wJalrXUtnFEMI"), memory);
        assertTrue(memory.contains("[5f2c9a1e, turn "), memory);
        assertTrue(memory.lines().filter(l -> l.startsWith("- ")).allMatch(l -> l.length() <= 202), memory);

        Team.Result again = distill(team.env(), "distill", "--engine", "extractive", "--transcript", DECISIONS.toString()).expect(0);
        assertTrue(again.out().contains("nothing_new"), "the watermark advanced: " + again);
    }

    @Test
    void promptCarriesNoKeyMaterial() throws Exception {
        Team.Result dry = distill(team.env(), "distill", "--dry-run", "--engine", "extractive", "--transcript", DECISIONS.toString()).expect(0);
        assertTrue(dry.out().contains("=== TRANSCRIPT SLICE ==="), dry.toString());
        assertFalse(dry.out().contains("AKIAIOSFODNN7EXAMPLE") || dry.out().contains("wJalrXUtnFEMI"), dry.out());
        assertTrue(dry.out().contains("[redacted:"), dry.out());
        assertFalse(dry.out().contains("Consider SQLite vs H2"), "thinking is dropped");
        assertFalse(dry.out().contains("Subagent: search"), "sidechain lines are skipped");
        assertEquals(Optional.empty(), watermark(DECISIONS_SESSION), "a dry run changes nothing");
    }

    @Test
    void lowSignalTranscriptIsSkippedWithoutAnEngineCall() throws Exception {
        Path calls = team.dir.resolve("calls");
        Path engine = script("count.sh", "cat >/dev/null; echo called >> " + calls + "; exit 1");
        Team.Result r = distill(withCommand(engine), "distill", "--engine", "command",
                "--transcript", FIXTURES.resolve("low-signal.jsonl").toString()).expect(0);
        assertTrue(r.out().contains("skipped_low_signal"), r.toString());
        assertFalse(Files.exists(calls), "the engine was called");
        assertTrue(watermark("0c1d2e3f-4a5b-4c6d-8e7f-901234567890").isPresent(), "a skip advances the watermark");
    }

    @Test
    void longTranscriptStaysWithinTheSliceCapAndKeepsTheFinalDecision() throws Exception {
        Path long_ = FIXTURES.resolve("long.jsonl");
        Transcript.Slice slice = Transcript.read(long_, Optional.empty());
        assertTrue(slice.render().length() <= Transcript.SLICE_CAP, "rendered slice " + slice.render().length());
        Team.Result dry = distill(team.env(), "distill", "--dry-run", "--engine", "extractive", "--transcript", long_.toString()).expect(0);
        String sliceText = dry.out().substring(dry.out().indexOf("=== TRANSCRIPT SLICE ==="));
        assertTrue(sliceText.length() <= Transcript.SLICE_CAP + 100, "prompt slice " + sliceText.length());
        assertTrue(sliceText.contains("keep the public API frozen until v2"));
        distill(team.env(), "distill", "--engine", "extractive", "--transcript", long_.toString()).expect(0);
        assertTrue(remoteMemory().contains("keep the public API frozen until v2"), remoteMemory());
    }

    @Test
    void badEngineOutputsChangeNeitherMemoryNorWatermark() throws Exception {
        String before = remoteMemory();
        String tipBefore = team.git(a, "rev-parse", "refs/wyren/memory");
        List<Path> engines = List.of(
                script("empty.sh", "cat >/dev/null; exit 0"),
                script("preamble.sh", "cat >/dev/null; echo 'Sure! Here is the updated memory file you asked for.'"),
                script("junk.sh", "cat >/dev/null; printf 'lorem ipsum\\n\\001\\002 dolor\\n- a bullet without a section\\n'"),
                script("sections-unknown.sh", "cat >/dev/null; printf '# Memory\\n\\n## Random\\n- x\\n'"),
                script("fails.sh", "cat >/dev/null; echo 'model overloaded' >&2; exit 3"));
        for (Path engine : engines) {
            Team.Result r = distill(withCommand(engine), "distill", "--engine", "command", "--transcript", DECISIONS.toString()).expect(1);
            assertTrue(r.err().contains("Memory and watermarks are unchanged"), r.toString());
            assertEquals(before, remoteMemory(), engine.getFileName().toString());
            assertEquals(tipBefore, team.git(a, "rev-parse", "refs/wyren/memory"), engine.getFileName().toString());
            assertEquals(Optional.empty(), watermark(DECISIONS_SESSION), engine.getFileName().toString());
        }
        assertTrue(Team.read(a.resolve(".wyren/log")).contains("command exited 3: model overloaded"));
    }

    @Test
    void hangingEngineIsKilledAtTheTimeoutAndChangesNothing() throws Exception {
        Path sleeper = team.dir.resolve("sleeper.pid");
        Path engine = script("hang.sh", "cat >/dev/null; sleep 300 & echo $! > " + sleeper + "; wait");
        long start = System.nanoTime();
        Team.Result r = distill(withCommand(engine).with("WYREN_DISTILL_TIMEOUT_S", "2"),
                "distill", "--engine", "command", "--transcript", DECISIONS.toString()).expect(1);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(seconds < 10, "took " + seconds + " s");
        assertTrue(r.err().contains("timed out"), r.toString());
        assertEquals(Optional.empty(), watermark(DECISIONS_SESSION));
        Thread.sleep(200);
        long pid = Long.parseLong(Files.readString(sleeper).strip());
        assertFalse(local.ChildProcess.isRunning(pid), "the engine's child is left running");
    }

    @Test
    void engineOutputWithPreambleAndFencesIsCleanedAndAccepted() throws Exception {
        Path engine = script("chatty.sh", """
                cat >/dev/null
                echo 'Here is the updated memory:'
                echo '```markdown'
                echo '# Team memory'
                echo ''
                echo '## Decisions'
                echo '- SQLite for the cart store [5f2c9a1e, turn 2]'
                echo '```'
                """);
        distill(withCommand(engine), "distill", "--engine", "command", "--transcript", DECISIONS.toString()).expect(0);
        String memory = remoteMemory();
        assertTrue(memory.startsWith("# Team memory"), memory);
        assertFalse(memory.contains("```") || memory.contains("Here is the updated"), memory);
        assertTrue(watermark(DECISIONS_SESSION).isPresent());
    }

    @Test
    void outputRemovingMostBulletsIsRefusedUnlessForced() throws Exception {
        distill(team.env(), "distill", "--engine", "extractive", "--transcript", DECISIONS.toString()).expect(0);
        Path other = team.dir.resolve("other.jsonl");
        Files.writeString(other, Files.readString(DECISIONS).replace(DECISIONS_SESSION, "11111111-2222-3333-4444-555555555555"));
        Path shrink = script("shrink.sh", "cat >/dev/null; printf '# Team memory\\n\\n## Decisions\\n- Only this [11111111, turn 1]\\n'");
        Team.Result refused = distill(withCommand(shrink), "distill", "--engine", "command", "--transcript", other.toString()).expect(1);
        assertTrue(refused.err().contains("output_rejected") && refused.err().contains("more than 70%"), refused.toString());
        assertTrue(remoteMemory().contains("user_id=1"));
        distill(withCommand(shrink), "distill", "--force", "--engine", "command", "--transcript", other.toString()).expect(0);
        assertFalse(remoteMemory().contains("user_id=1"), remoteMemory());
    }

    @Test
    void claudeEngineGetsIsolationFlagsInternalEnvAndAScratchDirectory() throws Exception {
        Path record = team.dir.resolve("claude-call");
        Path bin = Files.createDirectories(team.dir.resolve("fake-claude-bin"));
        Path claude = bin.resolve("claude");
        Files.writeString(claude, """
                #!/bin/sh
                for a in "$@"; do printf '%%s\\n' "$a"; done > %1$s.argv
                printf '%%s' "$WYREN_INTERNAL" > %1$s.internal
                pwd > %1$s.cwd
                cat > %1$s.stdin
                printf '# Team memory\\n\\n## Decisions\\n- Fake model says SQLite [5f2c9a1e, turn 2]\\n'
                """.formatted(record));
        Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwxr-xr-x"));
        Env env = team.env().with("PATH", bin + ":" + team.env().get("PATH").orElseThrow());
        Team.Result r = distill(env, "distill", "--transcript", DECISIONS.toString()).expect(0);
        assertTrue(r.out().contains("engine: claude"), "claude on PATH is chosen automatically: " + r);
        List<String> argv = Files.readAllLines(Path.of(record + ".argv"));
        assertEquals(List.of("-p", "--model", "haiku", "--tools", "", "--settings", "{\"disableAllHooks\":true}",
                "--no-session-persistence", "--max-budget-usd", "0.50", "--output-format", "text"), argv);
        assertEquals("1", Files.readString(Path.of(record + ".internal")));
        String cwd = Files.readString(Path.of(record + ".cwd")).strip();
        assertFalse(cwd.startsWith(a.toString()), "the model runs outside the repository: " + cwd);
        assertTrue(Files.readString(Path.of(record + ".stdin")).contains("=== CURRENT MEMORY ==="));
        assertTrue(remoteMemory().contains("Fake model says SQLite"));
    }

    @Test
    void unknownEngineIsAUsageErrorAndMissingTranscriptToo() {
        Team.Result r = distill(team.env(), "distill", "--engine", "gpt").expect(2);
        assertTrue(r.err().startsWith("wyren: unknown engine 'gpt'"), r.toString());
        Team.Result missing = distill(team.env(), "distill", "--transcript", "/nope.jsonl").expect(2);
        assertTrue(missing.err().startsWith("wyren: no such transcript"), missing.toString());
        Team.Result notInit = team.wyren(team.clone("fresh"), "distill").expect(1);
        assertTrue(notInit.err().contains("not initialized"), notInit.toString());
    }

    @Test
    void handoffNotesWrittenByPeopleSurviveDistillation() throws Exception {
        Path memory = a.resolve(".wyren/memory.md");
        Files.writeString(memory, Files.readString(memory) + "\n## Handoff notes\n- Dana owns billing until March\n");
        team.wyren(a, "sync").expect(0);
        Path engine = script("forgetful.sh", "cat >/dev/null; printf '# Team memory\\n\\n## Decisions\\n- New [5f2c9a1e, turn 2]\\n'");
        distill(withCommand(engine), "distill", "--engine", "command", "--transcript", DECISIONS.toString()).expect(0);
        assertTrue(remoteMemory().contains("Dana owns billing until March"), remoteMemory());
    }
}
