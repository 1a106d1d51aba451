import cli.ClaudeSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import local.Env;
import local.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wyren install}, {@code uninstall} and {@code doctor} against throwaway settings files. */
class InstallTest {

    static final Path CHECKOUT = Team.repoRoot();
    static final String FOREIGN = """
            \uFEFF{
              // hand-written, with comments and trailing commas
              "model": "opus",
              "hooks": {
                "Stop": {"hooks": [{"type": "command", "command": "~/bin/notify.sh"}]},
                "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "~/.claude/dispatch.sh pre"},]}],
                "SessionStart": [{"hooks": [{"type": "command", "command": "other-tool start", "timeout": 9}]}],
              },
              "enabledPlugins": {"other@market": true},
            }
            """;

    @RegisterExtension
    final Team team = Team.create();

    final Path settings = team.dir.resolve("claude-home/settings.json");

    Team.Result wyren(String... args) {
        return team.wyrenWith(team.env().with("WYREN_HOME", CHECKOUT.toString())
                .with("WYREN_HOOK_CACHE", HookRuntime.sharedCache().toString())
                .with("WYREN_JBANG_CACHE", ClaudeCode.jbangCache().toString()), team.dir, args);
    }

    static JsonNode lenient(String text) throws Exception {
        Path file = Files.createTempFile("settings", ".json");
        try {
            Files.writeString(file, text);
            return ClaudeSettings.load(file).tree();
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void installPinsAJdkWithTheAotCacheWhenTheDefaultOneIsOlder() throws Exception {
        Optional<Path> newer = installedJdk(25);
        Assumptions.assumeTrue(newer.isPresent() && Runtime.version().feature() < 24,
                "needs a default JDK older than 24 and a JDK 25 in /usr/lib/jvm, as on this project's machines");
        wyren("install", "--settings", settings.toString()).expect(0);
        String pin = "JAVA_HOME='" + newer.get().toRealPath() + "' \"" + CHECKOUT.resolve("hooks/run") + "\" ";
        List<ClaudeSettings.Wired> wired = ClaudeSettings.wired((ObjectNode) written());
        assertTrue(wired.stream().allMatch(w -> w.command().startsWith(pin + w.event() + " || true")), wired.toString());
        Team.Result doctor = wyren("doctor", "--settings", settings.toString());
        assertTrue(doctor.out().contains("ok    hook runtime: runtime ") && doctor.out().contains("aot archive, " + newer.get().toRealPath()),
                doctor.toString());
        assertTrue(doctor.out().contains("ok    run SessionStart: exit 0"), doctor.toString());

        wyren("install", "--settings", settings.toString(), "--java-home", "default").expect(0);
        assertTrue(ClaudeSettings.wired((ObjectNode) written()).stream().allMatch(w -> w.command().startsWith("\"")), written().toString());
        Team.Result notAJdk = wyren("install", "--settings", settings.toString(), "--java-home", team.dir.toString()).expect(2);
        assertTrue(notAJdk.err().contains("not a JDK"), notAJdk.toString());
    }

    static Optional<Path> installedJdk(int feature) throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (var all = Files.list(jvms)) {
            for (Path jdk : all.sorted().toList()) {
                Path release = jdk.resolve("release");
                if (Files.isRegularFile(release) && Files.readString(release).contains("JAVA_VERSION=\"" + feature + ".")) {
                    return Optional.of(jdk);
                }
            }
        }
        return Optional.empty();
    }

    JsonNode written() throws Exception {
        return Json.MAPPER.readTree(Files.readString(settings));
    }

    @Test
    void installIntoAMissingFileCreatesItWithEveryHookOnce() throws Exception {
        wyren("install", "--settings", settings.toString(), "--java-home", "default").expect(0);
        List<ClaudeSettings.Wired> wired = ClaudeSettings.wired((ObjectNode) written());
        assertEquals(List.of("SessionStart", "UserPromptSubmit", "Stop", "PreCompact", "SessionEnd"),
                wired.stream().map(ClaudeSettings.Wired::event).toList());
        assertTrue(wired.stream().allMatch(w -> w.command().equals("\"" + CHECKOUT.resolve("hooks/run") + "\" " + w.event()
                + " || true " + ClaudeSettings.MARKER)), wired.toString());
        assertEquals("startup|resume|clear|compact", written().path("hooks").path("SessionStart").get(0).path("matcher").asText());
        for (session.HookEvent event : session.HookEvent.values()) {
            assertEquals(event.timeoutSeconds(), written().path("hooks").path(event.hookName()).get(0).path("hooks").get(0).path("timeout").asInt());
        }
        assertFalse(Files.exists(settings.resolveSibling("settings.json.wyren-backup")), "nothing existed to back up");
    }

    @Test
    void firstSessionStartRightAfterInstallWithAnEmptyCacheInjectsTheMemory() throws Exception {
        Path repo = team.initializedClone("a");
        PullTest.addBullet(repo, "Decisions", "Warm from the first session [aaaaaaaa, turn 1]");
        team.wyren(repo, "sync").expect(0);
        Env env = team.env().with("WYREN_HOME", CHECKOUT.toString()).with("WYREN_HOOK_CACHE", team.dir.resolve("empty-cache").toString())
                .with("WYREN_JBANG_CACHE", ClaudeCode.jbangCache().toString());
        Team.Result install = team.wyrenWith(env, repo, "install", "--settings", settings.toString()).expect(0);
        assertTrue(install.out().contains("Hook runtime ready: runtime "), install.toString());
        String command = ClaudeSettings.wired((ObjectNode) written()).stream().filter(w -> w.event().equals("SessionStart"))
                .findFirst().orElseThrow().command();
        Team.Result first = Team.runWith(repo, env, Hook.input("SessionStart", repo, "first-session", null, "source", "startup"),
                java.time.Duration.ofSeconds(120), List.of("sh", "-c", command));
        assertTrue(Hook.injected(first, "SessionStart").contains("Warm from the first session"), first.toString());
        assertFalse(Team.read(repo.resolve(".wyren/log")).contains("hook runtime:"), "the first session ran without the archive");
    }

    @Test
    void foreignEntriesOfEveryShapeSurviveInstallAndUninstallExactly() throws Exception {
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, FOREIGN);
        byte[] original = Files.readAllBytes(settings);
        Team.Result install = wyren("install", "--settings", settings.toString()).expect(0);
        assertTrue(install.out().contains("comments and trailing commas in settings.json are not kept"), install.toString());
        assertArrayEquals(original, Files.readAllBytes(settings.resolveSibling("settings.json.wyren-backup")));
        JsonNode after = written();
        assertEquals("opus", after.path("model").asText());
        assertEquals("~/bin/notify.sh", after.path("hooks").path("Stop").get(0).path("hooks").get(0).path("command").asText());
        assertEquals("~/.claude/dispatch.sh pre", after.path("hooks").path("PreToolUse").get(0).path("hooks").get(0).path("command").asText());
        assertEquals("other-tool start", after.path("hooks").path("SessionStart").get(0).path("hooks").get(0).path("command").asText());
        assertEquals(1, ClaudeSettings.wired((ObjectNode) after).stream().filter(w -> w.wyrens() && w.event().equals("Stop")).count());

        String once = Files.readString(settings);
        assertTrue(wyren("install", "--settings", settings.toString()).expect(0).out().contains("already wired"));
        assertEquals(once, Files.readString(settings), "re-install changes nothing");

        wyren("uninstall", "--settings", settings.toString()).expect(0);
        assertEquals(lenient(FOREIGN), written(), "uninstall gives back the foreign entries exactly");
        assertArrayEquals(original, Files.readAllBytes(settings.resolveSibling("settings.json.wyren-backup")));

        Files.writeString(settings, "{\"model\": \"sonnet\"}");
        wyren("install", "--settings", settings.toString()).expect(0);
        assertArrayEquals(original, Files.readAllBytes(settings.resolveSibling("settings.json.wyren-backup")),
                "the pre-Wyren backup is written once and never overwritten");
        assertTrue(wyren("uninstall", "--settings", settings.toString()).expect(0).out().contains("Removed"));
        assertTrue(wyren("uninstall", "--settings", settings.toString()).expect(0).out().contains("nothing to do"));
    }

    @Test
    void emptyFileIsAnEmptyObjectAndDryRunWritesNothing() throws Exception {
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, "  \n");
        Team.Result dry = wyren("install", "--dry-run", "--settings", settings.toString()).expect(0);
        assertTrue(dry.out().contains("Would write " + settings) && dry.out().contains(ClaudeSettings.MARKER), dry.toString());
        assertEquals("  \n", Files.readString(settings));
        assertFalse(Files.exists(settings.resolveSibling("settings.json.wyren-backup")));
        wyren("install", "--settings", settings.toString()).expect(0);
        assertEquals(5, ClaudeSettings.wired((ObjectNode) written()).size());
    }

    @Test
    void readOnlyOrBrokenFilesGetAClearErrorAndNothingIsWritten() throws Exception {
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, "{\"model\": \"opus\"}");
        Files.setPosixFilePermissions(settings, PosixFilePermissions.fromString("r--r--r--"));
        try {
            Team.Result r = wyren("install", "--settings", settings.toString()).expect(1);
            assertTrue(r.err().contains("read-only") && r.err().contains("chmod u+w"), r.toString());
            assertEquals("{\"model\": \"opus\"}", Files.readString(settings));
            assertFalse(Files.exists(settings.resolveSibling("settings.json.wyren-backup")));
        } finally {
            Files.setPosixFilePermissions(settings, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.writeString(settings, "[1, 2]");
        assertTrue(wyren("install", "--settings", settings.toString()).expect(1).err().contains("does not hold a JSON object"));
        Files.writeString(settings, "{\"model\": ");
        assertTrue(wyren("install", "--settings", settings.toString()).expect(1).err().contains("is not valid JSON"));
        assertEquals("{\"model\": ", Files.readString(settings));
    }

    @Test
    void installRefusesWhenThePluginIsEnabledAndDoctorReportsDoubleFiring() throws Exception {
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, "{\"enabledPlugins\": {\"wyren@wyren\": true}}");
        Team.Result refused = wyren("install", "--settings", settings.toString()).expect(1);
        assertTrue(refused.err().contains("fire twice") && refused.err().contains("/plugin uninstall wyren"), refused.toString());

        Files.writeString(settings, "{}");
        wyren("install", "--settings", settings.toString()).expect(0);
        ObjectNode both = (ObjectNode) written();
        both.putObject("enabledPlugins").put("wyren@wyren", true);
        Files.writeString(settings, Json.MAPPER.writeValueAsString(both));
        Team.Result doctor = wyren("doctor", "--settings", settings.toString()).expect(1);
        assertTrue(doctor.out().contains("FAIL  hook Stop: wired 2 times (plugin + "), doctor.toString());
        assertTrue(doctor.out().contains("fix: Keep one: 'wyren uninstall'"), doctor.toString());
    }

    Env withFakeClaude() throws Exception {
        Path bin = Files.createDirectories(team.dir.resolve("fake-claude"));
        Path claude = bin.resolve("claude");
        Files.writeString(claude, "#!/bin/sh\ncase \"$1\" in --version) echo '2.1.330 (Claude Code)';; auth) echo '{\"loggedIn\": true}';; esac\n");
        Files.setPosixFilePermissions(claude, PosixFilePermissions.fromString("rwxr-xr-x"));
        return team.env().with("PATH", bin + ":" + team.env().get("PATH").orElseThrow())
                .with("WYREN_HOME", CHECKOUT.toString()).with("WYREN_HOOK_CACHE", HookRuntime.sharedCache().toString())
                .with("WYREN_JBANG_CACHE", ClaudeCode.jbangCache().toString());
    }

    @Test
    void doctorSaysHealthyAfterInstallAndNamesEachProblemWithItsFix() throws Exception {
        Env env = withFakeClaude();
        Path repo = team.initializedClone("a");
        team.wyrenWith(env, repo, "install", "--settings", settings.toString()).expect(0);
        Team.Result healthy = team.wyrenWith(env, repo, "doctor", "--settings", settings.toString());
        assertEquals(0, healthy.exit(), healthy.toString());
        assertTrue(healthy.out().contains("ok    run SessionEnd: exit 0 in "), healthy.toString());
        assertTrue(healthy.out().contains("ok    memory branch: refs/wyren/memory at"), healthy.toString());
        assertTrue(healthy.out().endsWith("Healthy.\n"), healthy.toString());

        ObjectNode tree = (ObjectNode) written();
        ((ObjectNode) tree.get("hooks")).remove("Stop");
        Files.writeString(settings, Json.MAPPER.writeValueAsString(tree));
        Team.Result missing = team.wyrenWith(env, repo, "doctor", "--settings", settings.toString()).expect(1);
        assertTrue(missing.out().contains("FAIL  hook Stop: not wired\n      fix: Run 'wyren install'."), missing.toString());

        team.wyrenWith(env, repo, "install", "--settings", settings.toString()).expect(0);
        tree = (ObjectNode) written();
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.path("hooks").path("Stop")).add(tree.path("hooks").path("Stop").get(0).deepCopy());
        Files.writeString(settings, Json.MAPPER.writeValueAsString(tree));
        Team.Result duplicated = team.wyrenWith(env, repo, "doctor", "--settings", settings.toString()).expect(1);
        assertTrue(duplicated.out().contains("FAIL  hook Stop: wired 2 times"), duplicated.toString());

        team.wyrenWith(env, repo, "install", "--settings", settings.toString()).expect(0);
        Files.writeString(settings, Files.readString(settings).replace(CHECKOUT + "/hooks/run", team.dir + "/moved/hooks/run"));
        Team.Result broken = team.wyrenWith(env, repo, "doctor", "--settings", settings.toString()).expect(1);
        assertTrue(broken.out().contains("does not exist (moved checkout?)"), broken.toString());
        assertTrue(broken.out().contains("fix: Run 'wyren install' from the checkout you use now."), broken.toString());
    }

    @Test
    void pluginManifestAndHooksPointAtTheFastCommandThroughThePluginRoot() throws Exception {
        JsonNode plugin = Json.MAPPER.readTree(CHECKOUT.resolve(".claude-plugin/plugin.json").toFile());
        assertEquals("wyren", plugin.path("name").asText());
        JsonNode marketplace = Json.MAPPER.readTree(CHECKOUT.resolve(".claude-plugin/marketplace.json").toFile());
        assertEquals("./", marketplace.path("plugins").get(0).path("source").asText());
        ObjectNode hooks = (ObjectNode) Json.MAPPER.readTree(Files.readString(CHECKOUT.resolve("hooks/hooks.json"), StandardCharsets.UTF_8));
        for (ClaudeSettings.Wired w : ClaudeSettings.wired(hooks)) {
            assertEquals("\"${CLAUDE_PLUGIN_ROOT}/hooks/run\" " + w.event() + " || true", w.command());
        }
        assertEquals(5, ClaudeSettings.wired(hooks).size());
        String launcher = Files.readString(CHECKOUT.resolve("hooks/run"));
        for (session.HookEvent event : session.HookEvent.values()) {
            JsonNode group = hooks.path("hooks").path(event.hookName()).get(0);
            assertEquals(event.timeoutSeconds(), group.path("hooks").get(0).path("timeout").asInt(), event + " timeout in hooks.json");
            assertEquals(event.matcher().orElse(""), group.path("matcher").asText(""), event + " matcher in hooks.json");
            assertTrue(launcher.contains(event.hookName()), "hooks/run does not know " + event);
        }
    }
}
