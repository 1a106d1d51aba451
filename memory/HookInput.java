package memory;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Optional;

/** The JSON object Claude Code writes on a hook's stdin; unknown fields are ignored. */
public record HookInput(@JsonProperty("session_id") String sessionId,
                        @JsonProperty("transcript_path") String transcriptPath,
                        @JsonProperty("cwd") String cwd,
                        @JsonProperty("hook_event_name") String hookEventName,
                        @JsonProperty("source") String source,
                        @JsonProperty("prompt") String prompt,
                        @JsonProperty("stop_hook_active") Boolean stopHookActive,
                        @JsonProperty("last_assistant_message") String lastAssistantMessage,
                        @JsonProperty("trigger") String trigger,
                        @JsonProperty("reason") String reason) {

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
