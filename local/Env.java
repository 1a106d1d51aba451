package local;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The environment a Wyren process runs with, passed explicitly so tests can give each call its own
 * (isolated git config, a fake PATH) without touching the JVM's real environment.
 */
public record Env(Map<String, String> vars) {

    private static final Set<String> FALSY = Set.of("", "0", "false", "no", "off");

    public Env {
        vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(vars.get(name));
    }

    /** SPEC §11: set to anything but empty, 0, false, no or off. */
    public boolean truthy(String name) {
        String value = vars.get(name);
        return value != null && !FALSY.contains(value.strip().toLowerCase(Locale.ROOT));
    }

    /** A positive integer setting, or the default when unset or not a positive number. */
    public long positiveLong(String name, long fallback) {
        String text = vars.getOrDefault(name, "").strip();
        if (text.isEmpty()) {
            // Unset, the usual case: no exception thrown and caught on a hook's path.
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            return value > 0 ? value : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    public Env with(String name, String value) {
        Map<String, String> copy = new HashMap<>(vars);
        copy.put(name, value);
        return new Env(copy);
    }

    public Env without(String name) {
        Map<String, String> copy = new HashMap<>(vars);
        copy.remove(name);
        return new Env(copy);
    }
}
