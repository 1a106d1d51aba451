import com.fasterxml.jackson.databind.JsonNode;
import local.Env;
import local.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs Wyren's hooks as Claude Code does: a real process, JSON on stdin, stdout and exit code checked. */
public final class Hook {

    private Hook() {
    }

    /** The stdin Claude Code would send for {@code event} in {@code cwd}. */
    public static String input(String event, Path cwd, String sessionId, Path transcript, String... extra) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("session_id", sessionId);
        json.put("transcript_path", transcript == null ? cwd.resolve(sessionId + ".jsonl").toString() : transcript.toString());
        json.put("cwd", cwd.toString());
        json.put("hook_event_name", event);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            json.put(extra[i], extra[i + 1]);
        }
        try {
            return Json.MAPPER.writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs hook script {@code event} (its class in this jar) with {@code stdin}. */
    public static Team.Result run(Team team, String event, Path cwd, Env env, String stdin) {
        return team.java(cwd, env, stdin, Duration.ofSeconds(20), event);
    }

    /** Exit 0, nothing on stdout. */
    public static Team.Result silent(Team.Result r) {
        r.expect(0);
        assertEquals("", r.out(), () -> "a hook printed something\n" + r);
        return r;
    }

    /** Exit 0 and exactly one JSON line of the hook contract; returns its additionalContext. */
    public static String injected(Team.Result r, String event) {
        r.expect(0);
        String[] lines = r.out().split("\n");
        assertEquals(1, lines.length, () -> "one JSON line expected\n" + r);
        try {
            JsonNode json = Json.MAPPER.readTree(lines[0]);
            assertEquals(event, json.path("hookSpecificOutput").path("hookEventName").asText(), r::toString);
            String context = json.path("hookSpecificOutput").path("additionalContext").asText();
            assertTrue(!context.isEmpty(), r::toString);
            return context;
        } catch (IOException e) {
            return fail("not JSON: " + r, e);
        }
    }

    /** Waits for a condition that a background process brings about. */
    public static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    public static JsonNode sessionState(Path repo, String sessionId) {
        try {
            return Json.MAPPER.readTree(Files.readString(repo.resolve(".wyren/state/sessions/" + sessionId + ".json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
