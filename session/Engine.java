package session;

import local.ChildProcess;
import local.Env;
import local.Json;
import local.Settings;
import memory.MemoryDocument;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A way to turn the existing memory plus a transcript slice into the new memory (SPEC §8.4).
 * {@link Claude} and {@link Command} run a model CLI with the prompt on stdin; {@link Extractive}
 * works offline. Every engine returns the whole new file, which is validated before use.
 */
public sealed interface Engine permits Engine.Claude, Engine.Command, Engine.Extractive {

    Duration TIMEOUT = Duration.ofSeconds(120);

    /** {@code WYREN_DISTILL_TIMEOUT_S}, else {@link #TIMEOUT}. */
    static Duration timeout(Env env) {
        return Settings.of(env).distillTimeout(TIMEOUT);
    }

    String name();

    Outcome distill(Request request);

    /** What an engine gets: the memory now, the slice, whose session it is, and the rendered prompt. */
    record Request(MemoryDocument memory, Transcript.Slice slice, String sessionId, String prompt, Env env,
                   Duration timeout) {}

    /** The new memory text, or why there is none. */
    sealed interface Outcome {
        /** The new memory; {@code notes} say what the engine replaced or removed, for the log. */
        record Output(String text, List<String> notes) implements Outcome {
            public Output(String text) {
                this(text, List.of());
            }
        }

        record Failed(String reason) implements Outcome {}
    }

    /** {@code claude -p}: a small model, no tools, no hooks, no session saved, a budget cap. */
    record Claude(Path executable, String model, String maxBudgetUsd) implements Engine {
        public String name() {
            return "claude";
        }

        public List<String> command() {
            return List.of(executable.toString(), "-p", "--model", model, "--tools", "",
                    "--settings", "{\"disableAllHooks\":true}", "--no-session-persistence",
                    "--max-budget-usd", maxBudgetUsd, "--output-format", "text");
        }

        public Outcome distill(Request request) {
            return runCli(name(), command(), request);
        }
    }

    /** {@code WYREN_DISTILL_COMMAND}: any program reading the prompt on stdin, printing the memory. */
    record Command(List<String> argv) implements Engine {
        public String name() {
            return "command";
        }

        public Outcome distill(Request request) {
            return runCli(name(), argv, request);
        }
    }

    /** Offline and deterministic: {@link Extractor}. */
    record Extractive() implements Engine {
        public String name() {
            return "extractive";
        }

        public Outcome distill(Request request) {
            Extractor.Result result = Extractor.distill(request.memory(), request.slice(), request.sessionId());
            return new Outcome.Output(result.memory().render(), result.changes());
        }
    }

    /**
     * The engine to use: {@code explicit} (from {@code --engine}), else {@code WYREN_DISTILLER}, else
     * {@code command} when {@code WYREN_DISTILL_COMMAND} is set, else {@code claude} when it is on
     * PATH, else {@code extractive}. An unknown name is an {@link IllegalArgumentException}.
     */
    static Engine choose(Optional<String> explicit, Env env) {
        Optional<String> named = explicit.or(() -> Settings.of(env).distiller()).map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty());
        if (named.isEmpty()) {
            if (Settings.of(env).distillCommand().isPresent()) {
                named = Optional.of("command");
            } else if (ChildProcess.onPath("claude", env).isPresent()) {
                named = Optional.of("claude");
            } else {
                named = Optional.of("extractive");
            }
        }
        return switch (named.get()) {
            case "claude" -> new Claude(ChildProcess.onPath("claude", env).orElse(Path.of("claude")),
                    Settings.of(env).claudeModel(), Settings.of(env).maxBudgetUsd());
            case "command" -> new Command(parseCommand(Settings.of(env).distillCommand().orElse("")));
            case "extractive" -> new Extractive();
            default -> throw new IllegalArgumentException("unknown engine '" + named.get() + "' (use claude, command or extractive)");
        };
    }

    /** A JSON array of argv, or a string split on whitespace; never a shell. */
    static List<String> parseCommand(String spec) {
        String trimmed = spec.strip();
        if (trimmed.startsWith("[")) {
            try {
                return Arrays.asList(Json.MAPPER.readValue(trimmed, String[].class));
            } catch (IOException e) {
                throw new IllegalArgumentException(Settings.DISTILL_COMMAND + " is not a JSON array of strings: " + e.getMessage());
            }
        }
        List<String> argv = new ArrayList<>();
        for (String part : trimmed.split("\\s+")) {
            if (!part.isEmpty()) {
                argv.add(part);
            }
        }
        if (argv.isEmpty()) {
            throw new IllegalArgumentException(Settings.DISTILL_COMMAND + " is empty");
        }
        return argv;
    }

    /** Runs a model CLI from a scratch directory with WYREN_INTERNAL=1, so no Wyren hook fires in it. */
    private static Outcome runCli(String name, List<String> command, Request request) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("wyren-distill-");
            ChildProcess.Result result = ChildProcess.run(command, request.prompt(),
                    request.env().with(Settings.INTERNAL, "1"), scratch, request.timeout());
            if (result.timedOut()) {
                return new Outcome.Failed(name + " timed out after " + request.timeout().toSeconds() + " s");
            }
            if (result.exitCode() != 0) {
                String why = result.stderr().lines().filter(l -> !l.isBlank()).findFirst()
                        .orElse(result.stdout().lines().findFirst().orElse(""));
                return new Outcome.Failed(name + " exited " + result.exitCode() + (why.isEmpty() ? "" : ": " + why.strip()));
            }
            return new Outcome.Output(result.stdout());
        } catch (IOException e) {
            return new Outcome.Failed(name + " could not run: " + e.getMessage());
        } finally {
            if (scratch != null) {
                try {
                    Files.deleteIfExists(scratch);
                } catch (IOException e) {
                    // A model CLI left files behind in its scratch folder; the OS cleans temp.
                }
            }
        }
    }
}
