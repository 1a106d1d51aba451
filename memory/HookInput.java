package memory;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.Optional;

/** The JSON object Claude Code writes on a hook's stdin; unknown fields are ignored. */
public record HookInput(String sessionId, String transcriptPath, String cwd, String hookEventName, String source,
                        String prompt, Boolean stopHookActive, String lastAssistantMessage, String trigger,
                        String reason) {

    /**
     * Parses hook input from the tree model: binding a record costs the hook tens of milliseconds of
     * reflection on every start.
     */
    public static HookInput parse(String json) throws IOException {
        JsonNode node = Json.MAPPER.readTree(json);
        if (node == null || !node.isObject()) {
            throw new IOException("hook input is not a JSON object");
        }
        return new HookInput(text(node, "session_id"), text(node, "transcript_path"), text(node, "cwd"),
                text(node, "hook_event_name"), text(node, "source"), text(node, "prompt"),
                node.path("stop_hook_active").isBoolean() ? node.get("stop_hook_active").asBoolean() : null,
                text(node, "last_assistant_message"), text(node, "trigger"), text(node, "reason"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    public Optional<String> session() {
        return Optional.ofNullable(sessionId).filter(s -> !s.isBlank());
    }

    public Optional<String> workingDirectory() {
        return Optional.ofNullable(cwd).filter(s -> !s.isBlank());
    }

    public Optional<String> transcript() {
        return Optional.ofNullable(transcriptPath).filter(s -> !s.isBlank());
    }

    public boolean continuingAfterStopHook() {
        return Boolean.TRUE.equals(stopHookActive);
    }
}
