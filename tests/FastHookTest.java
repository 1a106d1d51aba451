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

    Env env() {
        return team.env().with("WYREN_HOOK_CACHE", cache.toString())
                .with("WYREN_JBANG_CACHE", ClaudeCode.jbangCache().toString());
    }

    Team.Result hook(String event) {
        return Team.runWith(repo, env(), Hook.input(event, repo, "fast-session", null), Duration.ofSeconds(30),
                List.of(checkout.resolve("hooks/run").toString(), event));
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
        Team.Result cold = Hook.silent(hook("SessionStart"));
        assertTrue(cold.elapsed().toMillis() < 1000, "a cold hook returns at once: " + cold.elapsed().toMillis() + " ms");
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
            for (Future<Team.Result> run : runs) {
                Team.Result r = run.get(60, TimeUnit.SECONDS);
                Hook.silent(r);
                assertTrue(r.elapsed().toMillis() < 2000, r.toString());
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
    void aChangedSourceTriggersARebuildAndADeletedCacheStillExitsZeroAtOnce() throws Exception {
        Team.runWith(checkout, env(), "", Duration.ofMinutes(3), List.of(checkout.resolve("hooks/run").toString(), "--build")).expect(0);
        Hook.injected(hook("UserPromptSubmit"), "UserPromptSubmit");
        Path source = checkout.resolve("memory/Injection.java");
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(5)));
        Team.Result stale = Hook.silent(hook("SessionStart"));
        assertTrue(stale.elapsed().toMillis() < 1000, stale.toString());
        Hook.await("the rebuild", Duration.ofSeconds(180), () -> {
            try {
                return Files.getLastModifiedTime(ready()).toInstant().isAfter(Instant.now().minusSeconds(60))
                        && Team.read(cache.resolve("build.log")).lines().filter(l -> l.contains("hook cache ready")).count() >= 1;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        });

        try (Stream<Path> walk = Files.walk(cache)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Team.Result deleted = Hook.silent(hook("SessionEnd"));
        assertTrue(deleted.elapsed().toMillis() < 1000, "within SessionEnd's 1 s deadline: " + deleted);
        Hook.await("the rebuild after deletion", Duration.ofSeconds(180), this::isReady);
    }
}
