package sync;

import local.Env;
import local.Settings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The one place that chooses how memory travels: {@code WYREN_BACKEND} unset or {@code git} is
 * {@link GitSync}; any other value names a class on the classpath implementing
 * {@link WyrenSync.Backend} with a public no-argument constructor (the tests' folder store).
 */
public final class Backends {

    private Backends() {
    }

    /** The backend for the checkout around {@code cwd}; refuses one whose {@code .wyren/} Wyren must not touch. */
    public static WyrenSync open(Path cwd, Env env, String component, Duration lockWait) throws NotARepository {
        WyrenSync sync = choose(cwd, env, component, lockWait);
        sync.paths().unsafe().ifPresent(why -> {
            throw new UnsafeWorkingDir(why);
        });
        return sync;
    }

    private static WyrenSync choose(Path cwd, Env env, String component, Duration lockWait) throws NotARepository {
        String name = Settings.of(env).backend();
        if (name.equals("git")) {
            return GitSync.open(cwd, env, component, lockWait);
        }
        Object backend;
        try {
            backend = Class.forName(name).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnknownBackend(Settings.BACKEND + " names no class on the classpath: " + name, e);
        }
        if (!(backend instanceof WyrenSync.Backend opener)) {
            throw new UnknownBackend(Settings.BACKEND + " names a class that is not a WyrenSync.Backend: " + name, null);
        }
        return opener.open(cwd, env, component, lockWait);
    }
}
