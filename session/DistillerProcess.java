package session;

import local.ChildProcess;
import local.Env;
import local.LockFile;
import local.Locked;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * At most one distiller per repository (SPEC §6 Stop): the pid file {@code .wyren/state/distiller.pid}
 * under the {@link LockFile} protocol. A running distiller is never taken over (it ends itself at
 * its wall-clock limit, {@link Distiller#WALL_CLOCK}); one that is gone is replaced at once. Also how
 * a hook starts the distiller fully detached: a new session, stdin from /dev/null, output appended to
 * the log, no pipe to anyone.
 */
public final class DistillerProcess {

    /** A holder on another host cannot be checked; after this long it is presumed gone. */
    public static final Duration UNVERIFIABLE_AFTER = Duration.ofMinutes(15);
    public static final LockFile.Policy POLICY = new LockFile.Policy(Optional.empty(), UNVERIFIABLE_AFTER);

    private DistillerProcess() {
    }

    /** The running distiller of this repository, if any. */
    public static Optional<LockFile.Holder> running(Path pidFile) {
        return LockFile.inspect(pidFile).filter(LockFile.Holder::alive);
    }

    /** Takes the pid file for this process, or throws {@link Locked} naming the running distiller. */
    public static LockFile claim(Path pidFile) throws Locked, IOException {
        return LockFile.tryAcquire(pidFile, POLICY);
    }

    /**
     * The distiller a hook started takes the pid file over from that hook (its parent), which
     * claimed it before starting it; empty when another distiller holds it.
     */
    public static Optional<LockFile> takeOverFromSpawner(Path pidFile) throws IOException {
        Set<Long> spawners = new HashSet<>();
        spawners.add(ProcessHandle.current().pid());
        ProcessHandle.current().parent().map(ProcessHandle::pid).ifPresent(spawners::add);
        return LockFile.takeOver(pidFile, POLICY, spawners);
    }

    /**
     * Starts {@code command} detached: its own session ({@code setsid}), stdin from /dev/null,
     * stdout and stderr appended to {@code log}. Returns its pid. zt-exec is not used here: it
     * always pipes the child's output to threads of this process, which is exactly what must not be.
     */
    public static long spawnDetached(List<String> command, Path directory, Path log, Env env) throws IOException {
        List<String> full = new ArrayList<>();
        ChildProcess.onPath("setsid", env).or(() -> Optional.of(Path.of("/usr/bin/setsid")).filter(Files::isExecutable))
                .ifPresent(setsid -> full.add(setsid.toString()));
        full.addAll(unpinned(env));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env.vars());
        return builder.start().pid();
    }

    /**
     * A hook that {@code hooks/run} kept on one CPU (a busy machine; it names the CPUs it had as
     * {@code wyren.cpus}) starts what outlives it on all of them again: {@code taskset -c <cpus>}.
     */
    private static List<String> unpinned(Env env) {
        // As /proc lists them, and hooks/run checks them: 0-3,8, each number of at most 5 digits.
        String cpus = System.getProperty("wyren.cpus", "");
        boolean valid = !cpus.isEmpty() && Arrays.stream(cpus.split(",", -1)).allMatch(range -> range.matches("[0-9]{1,5}(-[0-9]{1,5})?"));
        if (!valid) {
            return List.of();
        }
        return ChildProcess.onPath("taskset", env).map(taskset -> List.of(taskset.toString(), "-c", cpus)).orElse(List.of());
    }

    /** The background distiller on this JVM's runtime, on its class path and the jars only it loads. */
    public static List<String> backgroundCommand(Path repoRoot) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", distillerClasspath(System.getProperty("java.class.path")), Distiller.class.getName(), repoRoot.toString());
    }

    /**
     * The hook runtime ({@code hooks/run}) keeps the jars only the distiller loads (Jackson) in
     * {@code distiller-lib/} beside the hooks' jar, off the hooks' class path; elsewhere (JBang, the
     * CLI) the class path already holds everything.
     */
    static String distillerClasspath(String own) {
        Path beside = Path.of(own.split(File.pathSeparator, 2)[0]).resolveSibling("distiller-lib");
        try (Stream<Path> jars = Files.list(beside)) {
            return Stream.concat(Stream.of(own), jars.filter(j -> j.toString().endsWith(".jar")).sorted().map(Path::toString))
                    .collect(Collectors.joining(File.pathSeparator));
        } catch (IOException | RuntimeException e) {
            return own;
        }
    }
}
