import memory.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hooks/run}, the fast hook command, on a copy of this checkout with its own cache. */
class FastHookTest {

    @RegisterExtension
    final Team team = Team.create();

    final Path checkout = copyOfCheckout();
    final Path cache = team.dir.resolve("hook-cache");
    final Path repo = team.initializedClone("a");

    FastHookTest() throws IOException {
        PullTest.addBullet(repo, "Decisions", "Fast path works [aaaaaaaa, turn 1]");
        team.wyren(repo, "sync").expect(0);
    }

    Path copyOfCheckout() {
        Path copy = team.dir.resolve("wyren-checkout");
        for (String dir : List.of("memory", "sync", "hooks")) {
            try (Stream<Path> files = Files.list(Team.repoRoot().resolve(dir))) {
                Files.createDirectories(copy.resolve(dir));
                for (Path file : files.toList()) {
                    Files.copy(file, copy.resolve(dir).resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        try {
            Files.copy(Team.repoRoot().resolve("jbang"), copy.resolve("jbang"), StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return copy;
    }

    /** Its own JBang cache too: the copy's jars are built now, so their times say what they were built from. */
    Env env() {
        return team.env().with("WYREN_HOOK_CACHE", cache.toString())
                .with("WYREN_JBANG_CACHE", ClaudeCode.jbangCache().toString())
                .with("JBANG_CACHE_DIR", team.dir.resolve("jbang-cache").toString());
    }

    Team.Result hook(String event) {
        return hook(event, "fast-session-" + System.nanoTime());
    }

    Team.Result hook(String event, String session) {
        return Team.runWith(repo, env(), Hook.input(event, repo, session, null), Duration.ofSeconds(30),
                List.of(checkout.resolve("hooks/run").toString(), event));
    }

    /** A hook on a cold cache: exit 0 within its deadline, and nothing or a valid answer (through JBang). */
    static void coldButHarmless(Team.Result r, String event, long deadlineMillis) {
        r.expect(0);
        assertTrue(r.elapsed().toMillis() < deadlineMillis + 500, "over the deadline: " + r);
        if (!r.out().isEmpty()) {
            Hook.injected(r, event);
        }
    }

    Path ready() throws IOException {
        try (Stream<Path> dirs = Files.list(cache)) {
            return dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().contains("."))
                    .map(d -> d.resolve("ready")).filter(Files::exists).findFirst().orElseThrow();
        }
    }

    boolean isReady() {
        try {
            ready();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Test
    void coldCacheStartsTheBuildDetachedAndExitsAtOnceThenHooksRunFast() throws Exception {
        coldButHarmless(hook("SessionStart"), "SessionStart", 3000);
        Hook.await("the detached build", Duration.ofSeconds(180), this::isReady);
        Team.Result warm = hook("SessionStart");
        assertTrue(Hook.injected(warm, "SessionStart").contains("Fast path works"), warm.toString());
        assertTrue(Team.read(cache.resolve("build.log")).contains("hook cache ready"));
    }

    @Test
    void severalHooksOnAColdCacheBuildOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Team.Result>> runs = new ArrayList<>();
            for (String event : List.of("SessionStart", "UserPromptSubmit", "Stop", "SessionEnd")) {
                runs.add(pool.submit(() -> hook(event)));
            }
            List<String> events = List.of("SessionStart", "UserPromptSubmit", "Stop", "SessionEnd");
            for (int i = 0; i < runs.size(); i++) {
                coldButHarmless(runs.get(i).get(60, TimeUnit.SECONDS), events.get(i), i == 0 ? 3000 : i == 3 ? 1000 : 2000);
            }
        } finally {
            pool.shutdownNow();
        }
        Hook.await("the build", Duration.ofSeconds(180), this::isReady);
        Thread.sleep(500);
        String log = Team.read(cache.resolve("build.log"));
        assertEquals(1, log.lines().filter(l -> l.contains("building the hook cache")).count(), log);
        Hook.injected(hook("UserPromptSubmit"), "UserPromptSubmit");
    }

    @Test
    void aDeletedCacheFallsBackToJbangWithinTheDeadlineAndAChangedSourceTriggersARebuild() throws Exception {
        Team.runWith(checkout, env(), "", Duration.ofMinutes(3), List.of(checkout.resolve("hooks/run").toString(), "--build")).expect(0);
        Hook.injected(hook("UserPromptSubmit"), "UserPromptSubmit");

        try (Stream<Path> walk = Files.walk(cache)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Team.Result fallback = hook("SessionStart");
        assertTrue(Hook.injected(fallback, "SessionStart").contains("Fast path works"),
                "with the cache gone, plain JBang (its jar is built) still answers: " + fallback);
        assertTrue(fallback.elapsed().toMillis() < 3500, "within SessionStart's 3 s deadline: " + fallback);
        Team.Result uncompiled = Hook.silent(hook("SessionEnd"));
        assertTrue(uncompiled.elapsed().toMillis() < 1500, "SessionEnd is not compiled by JBang: exit at once " + uncompiled);
        Hook.await("the rebuild after deletion", Duration.ofSeconds(180), this::isReady);

        Instant rebuiltAt = Files.getLastModifiedTime(ready()).toInstant();
        Thread.sleep(1100);
        Files.setLastModifiedTime(checkout.resolve("memory/Injection.java"), FileTime.from(Instant.now()));
        coldButHarmless(hook("Stop"), "Stop", 2000);
        Hook.await("the rebuild after a source changed", Duration.ofSeconds(180), () -> {
            try {
                return Files.getLastModifiedTime(ready()).toInstant().isAfter(rebuiltAt);
            } catch (IOException | RuntimeException e) {
                return false;
            }
        });
        Hook.injected(hook("UserPromptSubmit"), "UserPromptSubmit");
    }
}
