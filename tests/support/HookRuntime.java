import local.Env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The hook runtime of this checkout, built once per test run into a cache the tests share. */
public final class HookRuntime {

    private static Path shared;

    private HookRuntime() {
    }

    /** A hook cache holding this checkout's runtime, built on first use and removed when the run ends. */
    public static synchronized Path sharedCache() {
        if (shared == null) {
            try {
                Path cache = Files.createTempDirectory("wyren-shared-hook-cache-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(cache)));
                build(Team.repoRoot(), Env.system().with("WYREN_HOOK_CACHE", cache.toString())).expect(0);
                shared = cache;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** {@code hooks/run --build} of {@code checkout}, in the foreground. */
    public static Team.Result build(Path checkout, Env env) {
        return Team.runWith(checkout, env, "", Duration.ofMinutes(5), List.of(checkout.resolve("hooks/run").toString(), "--build"));
    }

    /** {@code hooks/run --status}: {@code ready: ...}, {@code stale: ...} or {@code missing: ...}. */
    public static String status(Path checkout, Env env) {
        return Team.runWith(checkout, env, "", Duration.ofSeconds(60),
                List.of(checkout.resolve("hooks/run").toString(), "--status")).expect(0).out().strip();
    }

    static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp folder is harmless.
        }
    }
}
