package local;

import java.time.Duration;
import java.util.Optional;

/**
 * Every setting Wyren reads, with its default: the {@code WYREN_*} variables of the environment
 * and the {@code wyren.*} git keys. Code asks this record; the README's configuration table lists
 * the same names.
 */
public record Settings(Env env) {

    /** Wyren does nothing in this process (any non-empty value but 0/false/no/off). */
    public static final String DISABLE = "WYREN_DISABLE";
    /** Set on processes Wyren starts itself (a model CLI): their hooks stay silent. */
    public static final String INTERNAL = "WYREN_INTERNAL";
    public static final String SKIP_PULL = "WYREN_SKIP_PULL";
    public static final String TURNS_THRESHOLD = "WYREN_TURNS_THRESHOLD";
    public static final String IDLE_MS = "WYREN_IDLE_MS";
    public static final String FETCH_INTERVAL_S = "WYREN_FETCH_INTERVAL_S";
    public static final String DISTILLER = "WYREN_DISTILLER";
    public static final String DISTILL_COMMAND = "WYREN_DISTILL_COMMAND";
    public static final String DISTILL_TIMEOUT_S = "WYREN_DISTILL_TIMEOUT_S";
    public static final String DISTILL_WALL_S = "WYREN_DISTILL_WALL_S";
    public static final String TIER0_THRESHOLD = "WYREN_TIER0_THRESHOLD";
    public static final String CLAUDE_MODEL = "WYREN_CLAUDE_MODEL";
    public static final String MAX_BUDGET_USD = "WYREN_MAX_BUDGET_USD";
    public static final String HOME = "WYREN_HOME";
    public static final String STALE_DAYS = "WYREN_STALE_DAYS";
    /** Which {@code WyrenSync} carries the memory: {@code git} (the default) or a class on the classpath. */
    public static final String BACKEND = "WYREN_BACKEND";

    /** git config: {@code false} opts this repository out. */
    public static final String GIT_ENABLED = "wyren.enabled";
    /** git config: the remote that carries the memory branch (default: the branch's upstream remote, else origin). */
    public static final String GIT_REMOTE = "wyren.remote";
    /** git config: the memory branch's name. */
    public static final String GIT_BRANCH = "wyren.branch";
    public static final String DEFAULT_BRANCH = "wyren/memory";

    public static Settings of(Env env) {
        return new Settings(env);
    }

    public boolean disabled() {
        return env.truthy(DISABLE);
    }

    public boolean internal() {
        return env.truthy(INTERNAL);
    }

    public boolean skipPull() {
        return env.truthy(SKIP_PULL);
    }

    /** Turns that start a background distillation. */
    public long turnsThreshold() {
        return env.positiveLong(TURNS_THRESHOLD, 5);
    }

    /** Pending turns this old are distilled at the next Stop. */
    public Duration idle() {
        return Duration.ofMillis(env.positiveLong(IDLE_MS, 120_000));
    }

    /** Live sync fetches at most this often per repository. */
    public Duration fetchInterval() {
        return Duration.ofSeconds(env.positiveLong(FETCH_INTERVAL_S, 15));
    }

    /** The engine named for distillation ({@code claude}, {@code extractive}, {@code command}), if any. */
    public Optional<String> distiller() {
        return env.get(DISTILLER).filter(s -> !s.isBlank());
    }

    /** The program the {@code command} engine runs. */
    public Optional<String> distillCommand() {
        return env.get(DISTILL_COMMAND).filter(s -> !s.isBlank());
    }

    /** How long one engine run may take. */
    public Duration distillTimeout(Duration fallback) {
        return Duration.ofSeconds(env.positiveLong(DISTILL_TIMEOUT_S, fallback.toSeconds()));
    }

    /** How long a whole background distillation may take. */
    public Duration distillWall(Duration fallback) {
        return Duration.ofSeconds(env.positiveLong(DISTILL_WALL_S, fallback.toSeconds()));
    }

    /** The signal score a slice needs before a model is asked. */
    public long tier0Threshold(long fallback) {
        return env.positiveLong(TIER0_THRESHOLD, fallback);
    }

    /** Live workarounds and known broken state unconfirmed this long are marked possibly stale. */
    public Duration staleAfter() {
        return Duration.ofDays(env.positiveLong(STALE_DAYS, 30));
    }

    public String claudeModel() {
        return env.get(CLAUDE_MODEL).filter(s -> !s.isBlank()).orElse("haiku");
    }

    public String maxBudgetUsd() {
        return env.get(MAX_BUDGET_USD).filter(s -> !s.isBlank()).orElse("0.50");
    }

    /** The Wyren checkout (set by the launcher). */
    public Optional<String> home() {
        return env.get(HOME).filter(s -> !s.isBlank());
    }

    public String backend() {
        return env.get(BACKEND).filter(s -> !s.isBlank()).orElse("git");
    }
}
