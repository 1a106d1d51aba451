import com.fasterxml.jackson.databind.JsonNode;
import local.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {

    static final List<String> COMMANDS = List.of("init", "status", "sync");

    @RegisterExtension
    final Team team = Team.create();

    @Test
    void everyCommandOutsideARepositorySaysSoAndExitsOne() throws Exception {
        Path notRepo = Files.createDirectories(team.dir.resolve("not-a-repo"));
        for (String command : COMMANDS) {
            Team.Result r = team.wyren(notRepo, command).expect(1);
            assertTrue(r.err().startsWith("wyren: not a git repository"), r.toString());
            assertTrue(r.err().contains("Run wyren inside your project's git checkout."), r.toString());
            assertEquals("", r.out(), r.toString());
        }
        assertFalse(Files.exists(notRepo.resolve(".wyren")));
    }

    @Test
    void everyCommandWithoutGitOnPathSaysSoAndExitsOne() {
        Path a = team.clone("a");
        for (String command : COMMANDS) {
            Team.Result r = team.wyrenWith(team.env().with("PATH", team.dir.resolve("empty-bin").toString()), a, command).expect(1);
            assertTrue(r.err().startsWith("wyren: git not found on PATH"), r.toString());
            assertTrue(r.err().contains("Install git"), r.toString());
        }
    }

    @Test
    void unknownOptionIsAUsageErrorWithOneLineReason() {
        Path a = team.clone("a");
        List<String> invocations = new ArrayList<>(COMMANDS);
        invocations.add("");
        for (String command : invocations) {
            String[] args = command.isEmpty() ? new String[] {"--bogus"} : new String[] {command, "--bogus"};
            Team.Result r = team.wyren(a, args).expect(2);
            List<String> lines = r.err().lines().toList();
            assertEquals(2, lines.size(), r.toString());
            assertEquals("wyren: Unknown option: '--bogus'", lines.get(0));
            assertTrue(lines.get(1).startsWith("Try 'wyren"), r.toString());
        }
        Team.Result noCommand = team.wyren(a).expect(2);
        assertTrue(noCommand.err().startsWith("wyren: a command is required"), noCommand.toString());
        Team.Result unknownCommand = team.wyren(a, "frobnicate").expect(2);
        assertTrue(unknownCommand.err().startsWith("wyren: Unmatched argument"), unknownCommand.toString());
    }

    @Test
    void helpAndVersionExitZero() {
        Path a = team.clone("a");
        assertTrue(team.wyren(a, "--help").expect(0).out().contains("Commands:"));
        assertEquals("wyren 0.1.0\n", team.wyren(a, "--version").expect(0).out());
        for (String command : COMMANDS) {
            assertTrue(team.wyren(a, command, "--help").expect(0).out().contains("Examples:"), command);
        }
    }

    @Test
    void realProcessesReturnTheSameExitCodes() throws Exception {
        Path notRepo = Files.createDirectories(team.dir.resolve("plain"));
        Duration limit = Duration.ofSeconds(30);
        team.java(notRepo, team.env(), "", limit, "wyren", "status").expect(1);
        team.java(notRepo, team.env(), "", limit, "wyren", "status", "--bogus").expect(2);
        team.java(notRepo, team.env(), "", limit, "wyren", "--version").expect(0);
        Path a = team.clone("a");
        team.java(a, team.env(), "", limit, "WyrenInit").expect(0);
        Team.Result status = team.java(a, team.env(), "", limit, "WyrenStatus", "--json").expect(0);
        assertTrue(status.out().startsWith("{"), status.toString());
        team.java(a, team.env(), "", limit, "WyrenSyncNow").expect(0);
    }

    @Test
    void initIsIdempotent() {
        Path a = team.clone("a");
        Team.UserRepo before = team.userRepo(a);
        Team.Result first = team.wyren(a, "init").expect(0);
        assertTrue(first.out().contains("Created the team memory branch wyren/memory"), first.toString());
        String tip = team.git(a, "rev-parse", "refs/wyren/memory");
        String memory = PullTest.memory(a);
        Team.Result second = team.wyren(a, "init").expect(0);
        assertTrue(second.out().contains("Already initialized"), second.toString());
        assertEquals(tip, team.git(a, "rev-parse", "refs/wyren/memory"));
        assertEquals(tip, team.git(team.remote, "rev-parse", "wyren/memory"));
        assertEquals(memory, PullTest.memory(a));
        assertEquals("*\n", Team.read(a.resolve(".wyren/.gitignore")));
        team.assertUntouched(before, a);

        Path b = team.clone("b");
        assertTrue(team.wyren(b, "init").expect(0).out().contains("Joined the team memory from origin/wyren/memory"));
        assertEquals(tip, team.git(b, "rev-parse", "refs/wyren/memory"));
    }

    @Test
    void syncWithoutTeamMemoryOnTheRemoteSaysToRunInit() {
        Path a = team.clone("a");
        Team.Result r = team.wyren(a, "sync").expect(1);
        assertTrue(r.err().contains("has no team memory yet"), r.toString());
        assertTrue(r.err().contains("Run 'wyren init'"), r.toString());
        assertFalse(Files.exists(a.resolve(".wyren")));
    }

    @Test
    void syncReportsAPushFailureWithTheNextStep() throws Exception {
        Path a = team.clone("a");
        team.wyren(a, "init").expect(0);
        Team.write(a.resolve(".wyren/broadcast/notes.md"), "note\n");
        team.git(a, "remote", "set-url", "origin", team.dir.resolve("vanished.git").toString());
        Team.Result r = team.wyren(a, "sync").expect(1);
        assertTrue(r.out().contains("fetch failed"), r.toString());
        assertTrue(r.err().contains("wyren: push push_failed"), r.toString());
        assertTrue(r.err().contains("run 'wyren sync' again"), r.toString());
        assertTrue(team.git(a, "ls-tree", "-r", "--name-only", "refs/wyren/memory").contains(".wyren/broadcast/notes.md"),
                "the change is committed locally");
    }

    @Test
    void statusJsonHasStableSnakeCaseKeys() throws Exception {
        Path a = team.clone("a");
        team.wyren(a, "init").expect(0);
        PullTest.addBullet(a, "Decisions", "One [aaaaaaaa, turn 1]");
        JsonNode json = Json.MAPPER.readTree(team.wyren(a, "status", "--json").expect(0).out());
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("repository", "enabled", "opt_out", "initialized", "memory_path", "memory_bytes",
                "memory_lines", "memory_bullets", "bullets_per_section", "legacy_tracked_memory", "remote", "branch",
                "local_ref", "local_commit", "remote_commit", "ahead", "behind", "remote_tip_author", "remote_tip_time",
                "last_pull", "last_pull_result", "last_push", "last_push_result", "compaction_pending",
                "dropped_by_cap_30d", "dropped_by_cap_latest", "lock", "lock_age_seconds", "hand_edits", "held_back_for_review", "possibly_stale", "sessions", "last_distill", "last_distill_engine", "last_distill_result",
                "distiller_running"), keys);
        assertEquals(1, json.get("memory_bullets").asInt());
        assertEquals(List.of(".wyren/memory.md"), List.of(json.get("hand_edits").get(0).asText()));
        String text = team.wyren(a, "status").expect(0).out();
        for (String key : keys) {
            assertTrue(text.contains("\n" + key + ": ") || text.startsWith(key + ": "), key + " missing in text form");
        }
        assertTrue(text.contains("bullets_per_section: Decisions 1"), text);
    }

    @Test
    void statusShowsAheadBehindAndTheRemoteTipAuthor() throws Exception {
        Path a = team.clone("a");
        team.wyren(a, "init").expect(0);
        team.git(a, "remote", "set-url", "origin", team.dir.resolve("gone.git").toString());
        PullTest.addBullet(a, "Decisions", "Local only [aaaaaaaa, turn 1]");
        team.wyren(a, "sync").expect(1);
        String text = team.wyren(a, "status").expect(0).out();
        assertTrue(text.contains("ahead: 1\n"), text);
        assertTrue(text.contains("behind: 0\n"), text);
        assertTrue(text.contains("remote_tip_author: Test User <test@example.com>"), text);
        assertTrue(text.contains("last_push_result: push_failed"), text);
    }

    @Test
    void legacyTrackedMemoryIsImportedAndNeverWrittenAgain() throws Exception {
        Path a = team.clone("a");
        Team.write(a.resolve(".wyren/memory.md"), "# Memory\n\n## Decisions\n- Legacy decision [11111111, turn 1]\n");
        team.git(a, "add", ".wyren/memory.md");
        team.git(a, "commit", "-q", "-m", "legacy wyren memory");
        team.git(a, "push", "-q", "origin", "main");
        team.rebaseline();
        Team.UserRepo before = team.userRepo(a);
        Team.Result init = team.wyren(a, "init").expect(0);
        assertTrue(init.out().contains("git rm --cached .wyren/memory.md"), init.toString());
        assertTrue(team.git(team.remote, "show", "wyren/memory:.wyren/memory.md").contains("Legacy decision"));
        team.assertUntouched(before, a);

        Path b = team.clone("b");
        Team.UserRepo bBefore = team.userRepo(b);
        team.wyren(b, "sync").expect(0);
        team.assertUntouched(bBefore, b);
        assertTrue(team.wyren(b, "status").expect(0).out().contains("legacy_tracked_memory: yes"));
    }

    @Test
    void seedFromClaudeMdStartsTheMemoryWithItsBullets() throws Exception {
        Path a = team.clone("a");
        Files.writeString(a.resolve("CLAUDE.md"), "# Project\n## Decisions\n- Postgres 16 only\n## Style\n- Tabs, not spaces\n");
        team.rebaseline();
        team.wyren(a, "init", "--seed-from-claude-md").expect(0);
        String memory = PullTest.memory(a);
        assertTrue(memory.contains("## Decisions\n- Postgres 16 only"), memory);
        assertTrue(memory.contains("## Handoff notes\n- Tabs, not spaces"), memory);
        Path b = team.clone("b");
        Team.Result missing = team.wyren(b, "init", "--seed-from-claude-md").expect(1);
        assertTrue(missing.err().contains("no CLAUDE.md"), missing.toString());
    }

    @Test
    void logShowsTheLastLinesAndFollowsNewOnes() throws Exception {
        Path a = team.clone("a");
        assertTrue(team.wyren(a, "log").expect(1).err().contains("no log yet"));
        team.wyren(a, "init").expect(0);
        Path log = a.resolve(".wyren/log");
        Files.writeString(log, "line one\nline two\nline three\n", java.nio.file.StandardOpenOption.APPEND);
        assertEquals("line two\nline three\n", team.wyren(a, "log", "-n", "2").expect(0).out());
        assertEquals(2, team.wyren(a, "log", "-n", "-1").expect(2).exit());

        ProcessBuilder follow = new ProcessBuilder(Team.javaBinary(), "-cp", System.getProperty("java.class.path"),
                "wyren", "log", "-n", "0", "--follow").directory(a.toFile()).redirectErrorStream(true);
        follow.environment().putAll(team.env().vars());
        Process process = follow.start();
        try {
            Thread.sleep(1500);
            Files.writeString(log, "appended while following\n", java.nio.file.StandardOpenOption.APPEND);
            java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
            assertEquals("appended while following", reader.readLine());
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void distillWithoutATranscriptTakesEverySessionWithPendingTurns() throws Exception {
        Path a = team.clone("a");
        team.wyren(a, "init").expect(0);
        Path transcript = team.dir.resolve("pending.jsonl");
        Files.copy(DistillerTest.DECISIONS, transcript);
        local.Env env = team.env().with("WYREN_TURNS_THRESHOLD", "100");
        Hook.silent(Hook.run(team, "Stop", a, env, Hook.input("Stop", a, DistillerTest.DECISIONS_SESSION, transcript)));
        assertTrue(team.wyren(a, "status").expect(0).out().contains("sessions: 5f2c9a1e 1/5 turns pending"));
        Team.Result r = team.wyren(a, "distill", "--engine", "extractive").expect(0);
        assertTrue(r.out().contains("session 5f2c9a1e: distilled"), r.toString());
        String status = team.wyren(a, "status").expect(0).out();
        assertTrue(status.contains("sessions: 5f2c9a1e 0/5 turns pending"), status);
        assertTrue(status.contains("last_distill_engine: extractive"), status);
        assertTrue(status.contains("distiller_running: none"), status);
        assertTrue(team.wyren(a, "distill").expect(0).out().contains("nothing to distill"));
    }

    @Test
    void broadcastSkillValidatesCopiesAndPublishes() throws Exception {
        Path a = team.initializedClone("a");
        Path skill = team.dir.resolve("release-checklist.md");
        Files.writeString(skill, "1. Tag\n2. Ship\n");
        Team.Result r = team.wyren(a, "broadcast-skill", skill.toString()).expect(0);
        assertTrue(r.out().contains("Broadcast: .wyren/broadcast/skills/release-checklist.md"), r.toString());
        assertEquals("1. Tag\n2. Ship", team.git(team.remote, "show", "wyren/memory:.wyren/broadcast/skills/release-checklist.md"));

        assertTrue(team.wyren(a, "broadcast-skill", "missing.md").expect(1).err().startsWith("wyren: no such file"));
        assertTrue(team.wyren(a, "broadcast-skill", team.dir.toString()).expect(1).err().contains("is not a regular file"));
        Path binary = team.dir.resolve("logo.png");
        Files.write(binary, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, (byte) 0xff});
        assertTrue(team.wyren(a, "broadcast-skill", binary.toString()).expect(1).err().contains("is not UTF-8 text"));
        Path empty = team.dir.resolve("empty.md");
        Files.writeString(empty, " \n");
        assertTrue(team.wyren(a, "broadcast-skill", empty.toString()).expect(1).err().contains("is empty"));
        Path big = team.dir.resolve("big.md");
        Files.writeString(big, "x".repeat(70_000));
        assertTrue(team.wyren(a, "broadcast-skill", big.toString()).expect(1).err().contains("larger than 64 KB"));
        assertTrue(team.wyren(a, "broadcast-skill").expect(2).err().startsWith("wyren: Missing required parameter"));
        assertTrue(team.wyren(team.clone("b"), "broadcast-skill", skill.toString()).expect(1).err().contains("not initialized"));
    }
}

