package cli;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import local.Env;
import local.Json;
import session.HookEvent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Claude Code's user settings file as Wyren wires its hooks into it. Reading tolerates comments,
 * trailing commas and a UTF-8 byte-order mark; Wyren's entries carry {@link #MARKER}, a shell comment
 * no other tool writes, so every foreign entry is left exactly as it was.
 */
public final class ClaudeSettings {

    /** Ends every hook command Wyren writes (a shell comment: it does not change what runs). */
    public static final String MARKER = "# wyren-managed-hook";


    /** Settings readers are lenient: people edit this file by hand. */
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_YAML_COMMENTS,
                    JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    /** The file as found: its tree, and whether it had text that rewriting will not keep. */
    public record Loaded(ObjectNode tree, boolean existed, boolean hadCommentsOrTrailingCommas) {}

    /** One hook command that runs for an event. */
    public record Wired(String event, String command, boolean wyrens) {}

    private ClaudeSettings() {
    }

    /** {@code $CLAUDE_CONFIG_DIR/settings.json}, else {@code $HOME/.claude/settings.json} (the environment's HOME). */
    public static Path defaultFile(Env env) {
        return env.get("CLAUDE_CONFIG_DIR").filter(s -> !s.isBlank()).map(d -> Path.of(d, "settings.json"))
                .orElseGet(() -> Path.of(env.get("HOME").orElse(System.getProperty("user.home")), ".claude", "settings.json"));
    }

    public static Loaded load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new Loaded(JsonNodeFactory.instance.objectNode(), false, false);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            return new Loaded(JsonNodeFactory.instance.objectNode(), true, false);
        }
        JsonNode tree;
        try {
            tree = LENIENT.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new IOException(file + " does not hold a JSON object");
        }
        boolean strict;
        try {
            Json.MAPPER.readTree(text);
            strict = true;
        } catch (IOException e) {
            strict = false;
        }
        return new Loaded(object, true, !strict);
    }

    public static String render(ObjectNode tree) throws IOException {
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n";
    }

    /**
     * The command a hook configuration runs: quoted path, never fails, marked as Wyren's; with the
     * JDK it runs on in front when one is pinned (a path without a single quote: {@link HookJdk#at}).
     */
    public static String command(String hooksRun, String event, Optional<Path> javaHome) {
        return javaHome.map(j -> JAVA_HOME_PREFIX + j + "' ").orElse("") + "\"" + hooksRun + "\" " + event + " || true " + MARKER;
    }

    private static final String JAVA_HOME_PREFIX = "JAVA_HOME='";

    /** The JDK a Wyren hook command pins, if it pins one. */
    public static Optional<String> pinnedJavaHome(String command) {
        if (!command.startsWith(JAVA_HOME_PREFIX)) {
            return Optional.empty();
        }
        int end = command.indexOf('\'', JAVA_HOME_PREFIX.length());
        return end < 0 ? Optional.empty() : Optional.of(command.substring(JAVA_HOME_PREFIX.length(), end));
    }

    /** A copy of {@code settings} with exactly one Wyren entry per hook, all pointing at {@code hooksRun}. */
    public static ObjectNode withWyren(ObjectNode settings, String hooksRun, Optional<Path> javaHome) {
        ObjectNode result = withoutWyren(settings, Optional.empty());
        ObjectNode hooks = result.has("hooks") && result.get("hooks").isObject()
                ? (ObjectNode) result.get("hooks") : result.putObject("hooks");
        for (HookEvent hook : HookEvent.values()) {
            JsonNode existing = hooks.get(hook.hookName());
            ArrayNode groups;
            if (existing instanceof ArrayNode array) {
                groups = array;
            } else {
                groups = hooks.putArray(hook.hookName());
                if (existing != null && !existing.isNull()) {
                    groups.add(existing);
                }
            }
            ObjectNode group = groups.addObject();
            hook.matcher().ifPresent(matcher -> group.put("matcher", matcher));
            group.putArray("hooks").addObject().put("type", "command")
                    .put("command", command(hooksRun, hook.hookName(), javaHome)).put("timeout", hook.timeoutSeconds());
        }
        return result;
    }

    /**
     * A copy of {@code settings} without Wyren's entries. Groups left empty by that are removed; an
     * event whose value was wrapped into an array to add Wyren's group gets its pre-Wyren shape back
     * (from {@code preWyren}, the backup of the file before Wyren first changed it).
     */
    public static ObjectNode withoutWyren(ObjectNode settings, Optional<ObjectNode> preWyren) {
        ObjectNode result = settings.deepCopy();
        if (!(result.get("hooks") instanceof ObjectNode hooks)) {
            return result;
        }
        List<String> events = new ArrayList<>();
        hooks.properties().forEach(e -> events.add(e.getKey()));
        for (String event : events) {
            if (!(hooks.get(event) instanceof ArrayNode groups)) {
                continue;
            }
            boolean hadWyren = false;
            for (Iterator<JsonNode> g = groups.elements(); g.hasNext(); ) {
                JsonNode group = g.next();
                if (group.get("hooks") instanceof ArrayNode commands) {
                    boolean removedHere = false;
                    for (Iterator<JsonNode> c = commands.elements(); c.hasNext(); ) {
                        if (isWyrens(c.next())) {
                            c.remove();
                            removedHere = true;
                        }
                    }
                    if (removedHere && commands.isEmpty()) {
                        g.remove();
                    }
                    hadWyren |= removedHere;
                }
            }
            if (!hadWyren) {
                continue;
            }
            JsonNode before = preWyren.map(p -> p.path("hooks").get(event)).orElse(null);
            if (groups.isEmpty() && before == null) {
                hooks.remove(event);
            } else if (before != null && !before.isArray() && groups.size() == 1 && groups.get(0).equals(before)) {
                hooks.set(event, before.deepCopy());
            }
        }
        if (hooks.isEmpty() && preWyren.map(p -> !p.has("hooks")).orElse(true)) {
            result.remove("hooks");
        }
        return result;
    }

    /** Every command hook wired in {@code settings}, in order, marked when it is Wyren's. */
    public static List<Wired> wired(ObjectNode settings) {
        List<Wired> all = new ArrayList<>();
        if (!(settings.get("hooks") instanceof ObjectNode hooks)) {
            return all;
        }
        hooks.properties().forEach(event -> {
            List<JsonNode> groups = new ArrayList<>();
            if (event.getValue().isArray()) {
                event.getValue().forEach(groups::add);
            } else {
                groups.add(event.getValue());
            }
            for (JsonNode group : groups) {
                group.path("hooks").forEach(c -> all.add(new Wired(event.getKey(), c.path("command").asText(""), isWyrens(c))));
            }
        });
        return all;
    }

    /** Whether the Wyren plugin is enabled in these settings ({@code enabledPlugins["wyren@..."]}). */
    public static boolean pluginEnabled(ObjectNode settings) {
        JsonNode plugins = settings.path("enabledPlugins");
        return plugins.properties().stream()
                .anyMatch(p -> p.getKey().startsWith("wyren@") && p.getValue().asBoolean(false));
    }

    private static boolean isWyrens(JsonNode hookCommand) {
        return hookCommand.path("command").asText("").contains(MARKER);
    }
}
