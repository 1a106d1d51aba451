import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import local.ChildProcess;
import local.Env;
import local.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real Claude Code CLI, installed once from npm into a cache directory and run offline against
 * a {@link FakeModelApi}, with Wyren's hooks wired in a temporary user settings file.
 */
public final class ClaudeCode {

    public static final String VERSION = "2.1.330";
    static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "wyren", "claude-code-" + VERSION);

    private ClaudeCode() {
    }

    /** The installed {@code claude} executable, or why there is none (the tests are then skipped). */
    public static synchronized Result<Path> install() {
        Path claude = CACHE.resolve("node_modules/.bin/claude");
        if (Files.isExecutable(claude) && Files.exists(CACHE.resolve(".complete"))) {
            return Result.ok(claude);
        }
        Optional<Path> npm = ChildProcess.onPath("npm", Env.system());
        if (npm.isEmpty()) {
            return Result.missing("npm is not on PATH");
        }
        try {
            Files.createDirectories(CACHE);
            ChildProcess.Result r = ChildProcess.run(List.of(npm.get().toString(), "install", "--no-audit", "--no-fund",
                    "--prefix", CACHE.toString(), "@anthropic-ai/claude-code@" + VERSION), "", Env.system(), CACHE,
                    Duration.ofMinutes(5));
            if (r.exitCode() != 0 || !Files.isExecutable(claude)) {
                return Result.missing("npm install @anthropic-ai/claude-code@" + VERSION + " failed: "
                        + (r.timedOut() ? "timed out" : r.stderr().lines().reduce((a, b) -> b).orElse("exit " + r.exitCode())));
            }
            ChildProcess.Result version = ChildProcess.run(List.of(claude.toString(), "--version"), "", Env.system(), CACHE,
                    Duration.ofSeconds(30));
            if (!version.stdout().startsWith(VERSION)) {
                return Result.missing("claude --version printed '" + version.stdout().strip() + "'");
            }
            Files.writeString(CACHE.resolve(".complete"), VERSION);
            return Result.ok(claude);
        } catch (IOException e) {
            return Result.missing("installing Claude Code failed: " + e.getMessage());
        }
    }

    /** A value or the reason it is missing. */
    public record Result<T>(Optional<T> value, String reason) {
        static <T> Result<T> ok(T value) {
            return new Result<>(Optional.of(value), "");
        }

        static <T> Result<T> missing(String reason) {
            return new Result<>(Optional.empty(), reason);
        }
    }

    /** The clean environment of an offline run (SHARED/CLAUDE-CODE-E2E.md), on top of the team's git isolation. */
    public static Env environment(Team team, Path configDir, FakeModelApi api, Path claude) {
        Map<String, String> vars = new HashMap<>(team.env().vars());
        vars.put("CLAUDE_CONFIG_DIR", configDir.toString());
        vars.put("ANTHROPIC_BASE_URL", api.baseUrl());
        vars.put("ANTHROPIC_API_KEY", "test-key");
        vars.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        vars.put("DISABLE_TELEMETRY", "1");
        vars.put("DISABLE_AUTOUPDATER", "1");
        vars.put("DISABLE_ERROR_REPORTING", "1");
        vars.put("CLAUDE_CODE_MAX_RETRIES", "1");
        vars.put("PATH", claude.getParent() + ":" + vars.get("PATH"));
        vars.put("WYREN_JBANG_CACHE", jbangCache().toString());
        return new Env(vars);
    }

    /** Where this run's {@code ./jbang} keeps jbang-cli, so hooks started with another HOME find it. */
    static Path jbangCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        return Optional.ofNullable(System.getenv("WYREN_JBANG_CACHE")).map(Path::of)
                .orElse(Path.of(xdg != null ? xdg : System.getenv().getOrDefault("HOME", "/tmp") + "/.cache", "wyren"));
    }

    /** User settings wiring each Wyren hook script by path, through the launcher, plus any extra commands. */
    public static void wireHooks(Path configDir, Path checkout, Map<String, String> extraCommandPerEvent) throws IOException {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        ObjectNode hooks = settings.putObject("hooks");
        for (String event : List.of("SessionStart", "UserPromptSubmit", "Stop", "PreCompact", "SessionEnd")) {
            ObjectNode group = hooks.putArray(event).addObject();
            if (event.equals("SessionStart")) {
                group.put("matcher", "startup|resume|clear|compact");
            }
            var list = group.putArray("hooks");
            list.addObject().put("type", "command").put("timeout", session.HookEvent.named(event).orElseThrow().timeoutThroughJbang())
                    .put("command", "\"" + checkout.resolve("jbang") + "\" \"" + checkout.resolve("hooks/" + event + ".java") + "\" || true");
            if (extraCommandPerEvent.containsKey(event)) {
                list.addObject().put("type", "command").put("command", extraCommandPerEvent.get(event));
            }
        }
        Files.createDirectories(configDir);
        Files.writeString(configDir.resolve("settings.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(settings));
    }

    /** One {@code claude -p <prompt>} run. */
    public static Team.Result print(Path claude, Path cwd, Env env, String prompt) {
        return Team.runWith(cwd, env, "", Duration.ofSeconds(90), List.of(claude.toString(), "-p", prompt));
    }

    /**
     * A running multi-turn session ({@code --input-format stream-json}): each {@link #turn} sends one
     * user message and waits for its {@code result} line, as a person would.
     */
    public static final class Session implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final OutputStream in;
        private final List<String> lines = new ArrayList<>();
        private String sessionId = "";

        public Session(Path claude, Path cwd, Env env) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(claude.toString(), "-p", "--input-format", "stream-json",
                    "--output-format", "stream-json", "--verbose")
                    .directory(cwd.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().clear();
            builder.environment().putAll(env.vars());
            process = builder.start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = process.getOutputStream();
        }

        public String sessionId() {
            return sessionId;
        }

        /** Sends a prompt and returns once Claude Code reports the turn's result. */
        public JsonNode turn(String prompt, Duration limit) throws IOException, InterruptedException {
            ObjectNode message = JsonNodeFactory.instance.objectNode().put("type", "user");
            message.putObject("message").put("role", "user").put("content", prompt);
            in.write((message + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            long end = System.nanoTime() + limit.toNanos();
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                JsonNode json = Json.MAPPER.readTree(line);
                if (json.hasNonNull("session_id")) {
                    sessionId = json.get("session_id").asText();
                }
                if (json.path("type").asText().equals("result")) {
                    return json;
                }
                if (System.nanoTime() > end) {
                    break;
                }
            }
            throw new IOException("no result for '" + prompt + "'; Claude Code printed:\n" + String.join("\n", lines));
        }

        @Override
        public void close() throws InterruptedException {
            try {
                in.close();
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                ChildProcess.killTree(process);
            }
        }
    }
}
