import local.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hooks/run}, the installed hook command, on a copy of this checkout with caches of its own:
 * a runtime it owns, keyed by content, proven to map, rebuilt when it must be, and a hook that still
 * answers while it is.
 */
class HookRuntimeTest {

    @RegisterExtension
    final Team team = Team.create();

    final Path checkout = copyOfCheckout();
    final Path cache = team.dir.resolve("hook-cache");
    final Path repo = team.initializedClone("a");

    HookRuntimeTest() throws IOException {
        PullTest.addBullet(repo, "Decisions", "The runtime answers [aaaaaaaa, turn 1]");
        team.wyren(repo, "sync").expect(0);
    }

    Path copyOfCheckout() {
        Path copy = team.dir.resolve("wyren-checkout");
        for (String dir : List.of("local", "memory", "sync", "session", "hooks")) {
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
                .with("WYREN_JBANG_CACHE", ClaudeCode.jbangCache().toString())
                .with("JBANG_CACHE_DIR", team.dir.resolve("jbang-cache").toString());
    }

    Team.Result hook(String event) {
        return hook(event, env(), "runtime-session-" + System.nanoTime());
    }

    Team.Result hook(String event, Env env, String session) {
        return Team.runWith(repo, env, Hook.input(event, repo, session, null), Duration.ofMinutes(3),
                List.of(checkout.resolve("hooks/run").toString(), event));
    }

    /** A file and a bullet naming it: the stale check then learns and records a path. */
    void addBulletNamingAFile() throws IOException {
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/App.java"), "class App {}\n");
        PullTest.addBullet(repo, "Decisions", "Kept src/App.java small [aaaaaaaa, turn 2]");
    }

    /** The test's own file, not Wyren's doing: the fixture then checks the repository is as it was. */
    void removeTheFileNamed() throws IOException {
        Files.delete(repo.resolve("src/App.java"));
        Files.delete(repo.resolve("src"));
    }

    String status() {
        return HookRuntime.status(checkout, env());
    }

    String buildLog() {
        try (Stream<Path> dirs = Files.list(cache)) {
            return dirs.map(d -> d.resolve("build.log")).filter(Files::exists).map(Team::read).findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    Path runtimeDir() throws IOException {
        try (Stream<Path> dirs = Files.list(cache)) {
            Path checkoutDir = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
            return checkoutDir.resolve(Files.readString(checkoutDir.resolve("current")).strip());
        }
    }

    void assertInjects(Team.Result r) {
        assertTrue(Hook.injected(r, "SessionStart").contains("The runtime answers"), r.toString());
    }

    @Test
    void firstHooksWithNoRuntimeBuildItOnceAndSessionStartStillInjects() throws Exception {
        assertTrue(status().startsWith("missing"), status());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<String> events = List.of("SessionStart", "UserPromptSubmit", "Stop", "SessionEnd");
            List<Future<Team.Result>> runs = new ArrayList<>();
            for (String event : events) {
                runs.add(pool.submit(() -> hook(event)));
            }
            assertInjects(runs.get(0).get(3, TimeUnit.MINUTES));
            for (Future<Team.Result> run : runs) {
                run.get(3, TimeUnit.MINUTES).expect(0);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(status().startsWith("ready"), status());
        assertEquals(1, buildLog().lines().filter(l -> l.contains("building the hook runtime")).count(), buildLog());
    }

    @Test
    void touchingASourceChangesNothingChangingOneRebuildsInTheBackgroundWhileTheOldRuntimeAnswers() throws Exception {
        HookRuntime.build(checkout, env()).expect(0);
        String before = status();
        Path source = checkout.resolve("memory/Injection.java");
        Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(2)));
        assertInjects(hook("SessionStart"));
        assertEquals(before, status(), "a touched file is not a changed one");
        assertEquals("", buildLog(), "a touched file started a build");

        Files.writeString(source, "\n// changed\n", StandardOpenOption.APPEND);
        assertInjects(hook("SessionStart"));
        try {
            Hook.await("the background rebuild", Duration.ofMinutes(2), () -> status().startsWith("ready") && !status().equals(before));
        } catch (AssertionError e) {
            throw new AssertionError(status() + "\n" + buildLog(), e);
        }
        assertNotEquals(before, status());
        assertInjects(hook("SessionStart"));
    }

    @Test
    void jbangRebuildingItsOwnJarOfTheScriptLeavesTheRuntimeAndItsArchiveIntact() throws Exception {
        HookRuntime.build(checkout, env()).expect(0);
        Team.runWith(checkout, env(), "", Duration.ofMinutes(3), List.of(checkout.resolve("jbang").toString(), "--fresh", "build",
                checkout.resolve("hooks/SessionStart.java").toString())).expect(0);
        assertInjects(hook("SessionStart"));
        assertTrue(status().startsWith("ready"), status());
        assertFalse(Team.read(repo.resolve(".wyren/log")).contains("hook runtime:"), "the hook ran without its archive");
    }

    @Test
    void anArchiveThatNoLongerMapsIsRebuiltWhileTheHookStillAnswers() throws Exception {
        HookRuntime.build(checkout, env()).expect(0);
        Path broken = runtimeDir();
        try (Stream<Path> files = Files.list(broken)) {
            for (Path archive : files.filter(p -> p.getFileName().toString().startsWith("app.")).toList()) {
                archive.toFile().setWritable(true);
                Files.write(archive, new byte[] {1, 2, 3});
            }
        }
        assertInjects(hook("SessionStart"));
        assertTrue(Team.read(repo.resolve(".wyren/log")).contains("does not map; rebuilding"), Team.read(repo.resolve(".wyren/log")));
        Hook.await("the rebuilt runtime", Duration.ofMinutes(3), () -> status().startsWith("ready"));
        assertInjects(hook("SessionStart"));
        // The rebuild went to a folder of its own: a hook still answering from the broken runtime's
        // jars (as the one above did, without its archive) never had them deleted under it.
        assertNotEquals(broken, runtimeDir());
        assertTrue(Files.isRegularFile(broken.resolve("wyren-hooks.jar")), "the replaced runtime was deleted at once");
        HookRuntime.build(checkout, env()).expect(0);
        assertTrue(Files.isRegularFile(broken.resolve("wyren-hooks.jar")), "an up-to-date build deleted the runtime just replaced");
    }

    /**
     * The start-up options a runtime records are the ones its build proved its java takes, and a
     * java that refuses one never costs a hook its answer: not one the runtime was not built for
     * (it runs without the archive and the options), not the one the runtime was built for
     * (the build keeps the options it takes), not one updated in place that now refuses them (the
     * hook answers again without them, and the runtime is rebuilt).
     */
    @Test
    void aJavaThatRefusesTheHooksStartUpOptionsNeverCostsAHookItsAnswer() throws Exception {
        HookRuntime.build(checkout, env()).expect(0);
        assertTrue(Team.read(runtimeDir().resolve("options")).contains("-XX:ArchiveRelocationMode=0"),
                "control: this java takes the options");

        Path refusing = fakeJdk("refusing-jdk", true);
        Env refusingEnv = env().with("JAVA_HOME", refusing.toString());
        assertInjects(hookWith(refusingEnv));
        assertTrue(newLog().contains("was built for another java"), "the runtime's options went to another java");

        // That hook started a build for the java it found.
        Hook.await("the runtime for the refusing java", Duration.ofMinutes(3),
                () -> HookRuntime.status(checkout, refusingEnv).startsWith("ready"));
        assertTrue(buildLog().contains("refuses some of the hooks' start-up options; using: -XX:CompileThresholdScaling=10"),
                buildLog());
        assertFalse(Team.read(runtimeDir().resolve("options")).contains("ArchiveRelocationMode"));
        assertInjects(hookWith(refusingEnv));
        assertFalse(newLog().contains("hook runtime:"), "the hook ran without its archive");

        // The same java path, updated in place to one that refuses what it took when the runtime was built.
        Path updated = fakeJdk("updated-jdk", false);
        Env updatedEnv = env().with("JAVA_HOME", updated.toString());
        HookRuntime.build(checkout, updatedEnv).expect(0);
        Path builtFor = runtimeDir();
        assertTrue(Team.read(builtFor.resolve("options")).contains("-XX:ArchiveRelocationMode=0"), "control: taken when built");
        fakeJdk("updated-jdk", true);
        assertInjects(hookWith(updatedEnv));
        assertTrue(newLog().contains("its java refused an option or its archive does not map; rebuilding"), Team.read(log()));
        assertTrue(Files.exists(builtFor.resolve("broken")), "the runtime was not marked for rebuilding");
        Hook.await("the rebuilt runtime", Duration.ofMinutes(3), () -> HookRuntime.status(checkout, updatedEnv).startsWith("ready"));
        assertNotEquals(builtFor, runtimeDir());
        assertFalse(Team.read(runtimeDir().resolve("options")).contains("ArchiveRelocationMode"));
        assertInjects(hookWith(updatedEnv));
        assertFalse(newLog().contains("hook runtime:"), "the rebuilt runtime ran without its archive");
    }

    /** On JDK 25 (as `wyren install` pins on this project's machines) the AOT cache gets its own options, and they work. */
    @Test
    void onJdk25TheRuntimeIsAnAotCacheWithTheOptionsThatSpareItsStartUpThreads() throws Exception {
        java.util.Optional<Path> jdk25 = InstallTest.installedJdk(25);
        org.junit.jupiter.api.Assumptions.assumeTrue(jdk25.isPresent(), "needs a JDK 25 in /usr/lib/jvm, as on this project's machines");
        Env env25 = env().with("JAVA_HOME", jdk25.get().toString());
        HookRuntime.build(checkout, env25).expect(0);
        assertTrue(HookRuntime.status(checkout, env25).contains("(aot archive, "), HookRuntime.status(checkout, env25));
        String options = Team.read(runtimeDir().resolve("options"));
        assertTrue(options.contains("-XX:-AOTReplayTraining") && options.contains("-XX:ArchiveRelocationMode=0"), options);
        assertInjects(hookWith(env25));
        assertFalse(newLog().contains("hook runtime:"), "the hook ran without its archive");
    }

    /**
     * With every CPU busy the hook runs on the one CPU it was given (its JVM would otherwise wait for
     * start-up threads placed on busy CPUs), and the distiller it starts gets them all back: seen
     * through a {@code taskset} on PATH that records how it is called, then runs the real one.
     */
    @Test
    void withEveryCpuBusyTheHookKeepsToItsCpuAndTheDistillerItStartsGetsThemAllBack() throws Exception {
        java.util.Optional<Path> taskset = local.ChildProcess.onPath("taskset", team.env());
        org.junit.jupiter.api.Assumptions.assumeTrue(taskset.isPresent() && Files.isReadable(Path.of("/proc/loadavg")),
                "needs Linux and taskset (util-linux)");
        String allowed = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Cpus_allowed_list:"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElseThrow();
        // Counted as hooks/run counts them (a container's CPU quota lowers availableProcessors(), not this list).
        int cpus = java.util.Arrays.stream(allowed.split(",")).mapToInt(r -> r.contains("-")
                ? Integer.parseInt(r.substring(r.indexOf('-') + 1)) - Integer.parseInt(r.substring(0, r.indexOf('-'))) + 1 : 1).sum();
        org.junit.jupiter.api.Assumptions.assumeTrue(cpus > 1, "one CPU: nothing to keep to");
        HookRuntime.build(checkout, env()).expect(0);
        Path calls = team.dir.resolve("taskset-calls");
        Path bin = Files.createDirectories(team.dir.resolve("recording-bin"));
        Files.writeString(bin.resolve("taskset"), "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '" + calls + "'\nexec '" + taskset.get() + "' \"$@\"\n");
        bin.resolve("taskset").toFile().setExecutable(true);
        Path transcript = team.dir.resolve("t.jsonl");
        Files.copy(DistillerTest.DECISIONS, transcript);
        Env busyEnv = env().with("PATH", bin + ":" + team.env().get("PATH").orElse("/usr/bin:/bin"))
                .with("WYREN_TURNS_THRESHOLD", "1").with("WYREN_DISTILLER", "extractive");

        try (BusyCpus busy = BusyCpus.start(cpus)) {
            Hook.await("the kernel to count " + cpus + " runnable tasks", Duration.ofSeconds(30), () -> runnable() >= cpus);
            Hook.silent(Team.runWith(repo, busyEnv, Hook.input("Stop", repo, "pinned-session", transcript), Duration.ofMinutes(3),
                    List.of(checkout.resolve("hooks/run").toString(), "Stop")));
        }
        assertTrue(Files.exists(calls), "with every CPU busy the hook was not kept to one: " + Team.read(log()));
        List<String> called = Files.readAllLines(calls);
        assertTrue(called.size() == 2 && called.get(0).matches("-c [0-9]+ .* session\\.HookMain Stop"), String.join("\n", called));
        assertTrue(called.get(1).startsWith("-c " + allowed + " ") && called.get(1).contains(" session.Distiller "),
                String.join("\n", called));
        assertTrue(Team.read(log()).contains("Stop: started distiller pid"), Team.read(log()));
        assertFalse(Team.read(log()).contains("hook runtime:"), "the pinned hook ran without its archive");
        Hook.await("the distiller to finish", Duration.ofMinutes(2),
                () -> session.DistillerProcess.running(repo.resolve(".wyren/state/distiller.pid")).isEmpty());
        assertTrue(Team.read(log()).contains("session pinned-s: distilled ("), Team.read(log()));
    }

    /** The runnable tasks /proc/loadavg counts, as hooks/run reads them. */
    static int runnable() {
        try {
            String tasks = Files.readString(Path.of("/proc/loadavg")).split(" ")[3];
            return Integer.parseInt(tasks.substring(0, tasks.indexOf('/')));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private int logSeen;

    /** What the hooks logged since this was last called. */
    String newLog() {
        String all = Team.read(log());
        String added = all.substring(Math.min(logSeen, all.length()));
        logSeen = all.length();
        return added;
    }

    Path log() {
        return repo.resolve(".wyren/log");
    }

    Team.Result hookWith(Env env) {
        return Team.runWith(repo, env, Hook.input("SessionStart", repo, "options-session-" + System.nanoTime(), null),
                Duration.ofMinutes(3), List.of(checkout.resolve("hooks/run").toString(), "SessionStart"));
    }

    /** A JDK folder whose java is the one on PATH, refusing {@code -XX:ArchiveRelocationMode} when {@code refusing}. */
    Path fakeJdk(String name, boolean refusing) throws IOException {
        Path java = Files.createDirectories(team.dir.resolve(name + "/bin")).resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\n" + (refusing ? """
                for arg; do
                  [[ $arg == *ArchiveRelocationMode* ]] && { echo "Unrecognized VM option '${arg#-XX:}'" >&2; exit 1; }
                done
                """ : "") + "exec java \"$@\"\n");
        java.toFile().setExecutable(true);
        return java.getParent().getParent();
    }

    /** A class of Wyren's or of a jar it ships (a lambda of ours is named after its class). */
    static final java.util.regex.Pattern OWN_CLASS = java.util.regex.Pattern.compile(
            "\\] (local|memory|sync|session|org\\.zeroturnaround|org\\.slf4j)\\.");

    /**
     * The archive is recorded while the hooks run their everyday paths (the stale check, a fetch from
     * a remote, a teammate's change arriving at a prompt, a turn counted), so on those paths no class comes from the jar or is generated at run
     * time: each such class costs a hook up to milliseconds, and the JVM says where each came from.
     * The JDK's own classes may come from its image: which of them load can depend on timing (a
     * contended lock), and some no archive holds (flight-recorder events).
     */
    @Test
    void everyClassTheEverydayHookPathsLoadComesFromTheArchive() throws Exception {
        addBulletNamingAFile();
        PullTest.addBullet(repo, "Live workarounds", "Retry twice in scripts/flaky.sh [aaaaaaaa, turn 3]");
        team.wyren(repo, "sync").expect(0);
        // Built where the pull is skipped (a setting a build inherits from the hook that started it):
        // the training still runs the fetching paths the next hooks take.
        HookRuntime.build(checkout, env().with("WYREN_SKIP_PULL", "1")).expect(0);
        Path teammate = team.clone("b");
        team.wyren(teammate, "sync").expect(0);
        for (String event : List.of("SessionStart", "UserPromptSubmit", "Stop")) {
            if (event.equals("UserPromptSubmit")) {
                // The prompt after a teammate published: the change is fetched and told.
                PullTest.addBullet(teammate, "Decisions", "A teammate's change arrives [bbbbbbbb, turn 1]");
                team.wyren(teammate, "sync").expect(0);
            }
            Path classes = team.dir.resolve(event + "-classes.log");
            Env logging = env().with("WYREN_HOOK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + classes)
                    .with("WYREN_TURNS_THRESHOLD", "1000000");
            Team.Result r = hook(event, logging, "archive-session").expect(0);
            if (event.equals("UserPromptSubmit")) {
                assertTrue(Hook.injected(r, event).contains("A teammate's change arrives"), r.toString());
            }
            assertTrue(Team.read(classes).contains("session.HookMain source: shared objects file"), event + ": no class log");
            List<String> outside = Files.readAllLines(classes).stream()
                    .filter(l -> l.contains(" source: ") && !l.contains("shared objects file"))
                    .filter(l -> l.contains(" source: file:") || OWN_CLASS.matcher(l).find())
                    .toList();
            assertEquals(List.of(), outside, event + " loaded classes from outside the archive");
        }
        assertFalse(Team.read(repo.resolve(".wyren/log")).contains("hook runtime:"), "a hook ran without its archive");
        removeTheFileNamed();
    }

    /** JDK machinery whose first use costs a hook more than its own work, interpreted (README: "Measured"). */
    static final java.util.regex.Pattern HEAVY_SETUP = java.util.regex.Pattern.compile(
            "Initializing '(java/util/stream/|java/util/regex/|java/time/format/|java/lang/ProcessHandleImpl)");

    /**
     * A hook's few milliseconds of Java run interpreted, where the first stream pipeline sets up ~60
     * classes, a regex or java.time's formatters their own machinery, and ProcessHandle a reaper: the
     * everyday paths without network (memory from disk, a stale check that learns a path, a turn
     * counted) use none of them. Checked with the JVM's class-initialization log.
     */
    @Test
    void theEverydayHookPathsWithoutNetworkSetUpNoStreamRegexDateFormatterOrProcessHandle() throws Exception {
        addBulletNamingAFile();
        team.wyren(repo, "sync").expect(0);
        HookRuntime.build(checkout, env()).expect(0);
        for (String event : List.of("SessionStart", "UserPromptSubmit", "Stop")) {
            Path inits = team.dir.resolve(event + "-inits.log");
            Env logging = env().with("WYREN_HOOK_JAVA_OPTIONS", "-Xlog:class+init=info:file=" + inits)
                    .with("WYREN_SKIP_PULL", "1").with("WYREN_TURNS_THRESHOLD", "1000000");
            Team.Result r = hook(event, logging, "plain-session").expect(0);
            if (event.equals("SessionStart")) {
                assertTrue(Hook.injected(r, event).contains("Kept src/App.java small"), r.toString());
            }
            List<String> lines = Files.readAllLines(inits);
            assertTrue(lines.stream().anyMatch(l -> l.contains("'session/Hooks'")), event + ": no class-initialization log");
            assertEquals(List.of(), lines.stream().filter(l -> HEAVY_SETUP.matcher(l).find())
                            .map(l -> l.replaceAll(".*Initializing '([^']*)'.*", "$1")).toList(),
                    event + " set up JDK machinery the hook does not need");
        }
        assertTrue(Files.exists(repo.resolve(".wyren/state/entries.json")), "the stale check did not learn the path");
        removeTheFileNamed();
    }

    /**
     * What the cache names is run: that is safe only because nobody else can write there. A control
     * shows a planted class path is followed in this user's own folder; the same folder owned by
     * someone else is never used.
     */
    @Test
    void withHomeUnsetTheCacheIsStillInTheUsersHomeNeverATemporaryFolder() {
        Env noHome = env().without("WYREN_HOOK_CACHE").without("XDG_CACHE_HOME").without("HOME");
        String status = HookRuntime.status(checkout, noHome);
        String home = Team.runWith(checkout, noHome, "", Duration.ofSeconds(30), List.of("sh", "-c", "getent passwd $(id -u) | cut -d: -f6"))
                .expect(0).out().strip();
        assertTrue(status.contains("(it goes in " + home + "/.cache/wyren/hooks/"), status + " / home " + home);
        assertFalse(home.isEmpty() || home.startsWith("/tmp"), home);
    }

    @Test
    void aCacheFolderOwnedBySomeoneElseIsNeverUsed() throws Exception {
        HookRuntime.build(checkout, env()).expect(0);
        Path planted = runtimeDir().getParent();
        Path marker = team.dir.resolve("planted-code-ran");
        Path evil = Files.createDirectories(team.dir.resolve("evil"));
        Files.createDirectories(evil.resolve("src/session"));
        Files.writeString(evil.resolve("src/session/HookMain.java"), "package session; public class HookMain {"
                + " public static void main(String[] a) throws Exception {"
                + " java.nio.file.Files.createFile(java.nio.file.Path.of(\"" + marker + "\")); } }");
        Team.runWith(evil, team.env(), "", Duration.ofMinutes(1), List.of("javac", "-d", evil.resolve("classes").toString(),
                evil.resolve("src/session/HookMain.java").toString())).expect(0);
        Files.writeString(runtimeDir().resolve("classpath"), evil.resolve("classes") + "\n");
        Files.deleteIfExists(runtimeDir().resolve("app.jsa"));
        Files.deleteIfExists(runtimeDir().resolve("app.aot"));
        hook("SessionStart").expect(0);
        assertTrue(Files.exists(marker), "control: the user's own cache is trusted");
        Files.delete(marker);

        int chown = new ProcessBuilder("chown", "-R", "65534", planted.toString()).start().waitFor();
        org.junit.jupiter.api.Assumptions.assumeTrue(chown == 0, "chown is not permitted here");
        Hook.silent(hook("SessionStart"));
        assertFalse(Files.exists(marker), "code named in a folder someone else owns was run");
    }
}
