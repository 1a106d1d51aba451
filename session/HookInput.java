package session;

import local.JsonValues;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The JSON object Claude Code writes on a hook's stdin; unknown fields are ignored. */
public record HookInput(String sessionId, String transcriptPath, String cwd, String hookEventName, String source,
                        String prompt, Boolean stopHookActive, String lastAssistantMessage, String trigger,
                        String reason) {

    /** Parses Claude Code's hook input; anything but a JSON object is an {@link IOException}. */
    public static HookInput parse(String json) throws IOException {
        Map<String, Object> node = JsonValues.parseObject(json);
        return new HookInput(text(node, "session_id"), text(node, "transcript_path"), text(node, "cwd"),
                text(node, "hook_event_name"), text(node, "source"), text(node, "prompt"),
                node.get("stop_hook_active") instanceof Boolean b ? b : null,
                text(node, "last_assistant_message"), text(node, "trigger"), text(node, "reason"));
    }

    /**
     * What Claude Code writes on a hook's stdin for {@code event}, for Wyren's own hook runs (the
     * runtime's training, {@code wyren doctor}, the demo).
     */
    public static String json(HookEvent event, String sessionId, Path cwd, Optional<Path> transcript) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("session_id", sessionId);
        input.put("cwd", cwd.toString());
        input.put("hook_event_name", event.hookName());
        transcript.ifPresent(t -> input.put("transcript_path", t.toString()));
        input.put("prompt", "next step");
        input.put("source", "startup");
        return JsonValues.write(input);
    }

    private static String text(Map<String, Object> node, String field) {
        Object value = node.get(field);
        return value == null ? null : String.valueOf(value);
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
