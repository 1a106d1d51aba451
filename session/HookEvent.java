package session;

import java.time.Duration;
import java.util.Optional;

/**
 * The Claude Code hooks Wyren answers, and their limits: the one place they are written. The
 * settings writer ({@code wyren install}) and the hook runtime read them here; the plugin's
 * {@code hooks/hooks.json} and the launcher {@code hooks/run} are checked against them by a test.
 *
 * <p>{@code budget} is the hook's own time, counted from its JVM's start: the watchdog's safety net.
 * {@code timeoutSeconds} is what a hook configuration gives Claude Code, which enforces it: it leaves
 * room for the launcher and, for SessionStart, for building the hook runtime on a machine that has
 * none yet (the plugin's first session). Neither binds in normal operation, where a hook takes a
 * tenth of a second.
 */
public enum HookEvent {
    SESSION_START("SessionStart", Duration.ofMillis(3000), 120, Optional.of("startup|resume|clear|compact")),
    USER_PROMPT_SUBMIT("UserPromptSubmit", Duration.ofMillis(2000), 15, Optional.empty()),
    STOP("Stop", Duration.ofMillis(2000), 15, Optional.empty()),
    PRE_COMPACT("PreCompact", Duration.ofMillis(2000), 15, Optional.empty()),
    SESSION_END("SessionEnd", Duration.ofMillis(1500), 15, Optional.empty());

    private final String hookName;
    private final Duration budget;
    private final int timeoutSeconds;
    private final Optional<String> matcher;

    HookEvent(String hookName, Duration budget, int timeoutSeconds, Optional<String> matcher) {
        this.hookName = hookName;
        this.budget = budget;
        this.timeoutSeconds = timeoutSeconds;
        this.matcher = matcher;
    }

    /** Claude Code's name for it ({@code SessionStart}, ...). */
    public String hookName() {
        return hookName;
    }

    public Duration budget() {
        return budget;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    /**
     * The timeout for a configuration that runs the hook script through JBang
     * ({@code jbang hooks/X.java}): JBang's own JVM starts first (1-2 s, twice that on a busy
     * machine), and the very first run compiles the script.
     */
    public int timeoutThroughJbang() {
        return timeoutSeconds + JBANG_ALLOWANCE_SECONDS;
    }

    static final int JBANG_ALLOWANCE_SECONDS = 45;

    public Optional<String> matcher() {
        return matcher;
    }

    /** The event with Claude Code's name for it. */
    public static Optional<HookEvent> named(String hookName) {
        for (HookEvent event : values()) {
            if (event.hookName.equals(hookName)) {
                return Optional.of(event);
            }
        }
        return Optional.empty();
    }
}
