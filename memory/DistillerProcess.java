package memory;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * At most one distiller per repository (SPEC §6 Stop): a pid file created atomically; a pid that
 * is dead or older than {@link #STALE_AFTER} is stale. Also how a hook starts the distiller fully
 * detached: a new session, stdin from /dev/null, output appended to the log, no pipe to anyone.
 */
public final class DistillerProcess {

    public static final Duration STALE_AFTER = Duration.ofMinutes(10);

    /** The process that holds the pid file and since when. */
    public record Holder(long pid, String started) {
        boolean alive() {
            return ChildProcess.isRunning(pid);
        }

        boolean fresh() {
            try {
                return Instant.parse(started).isAfter(Instant.now().minus(STALE_AFTER));
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    private DistillerProcess() {
    }

    /** The live, fresh distiller of this repository, if any. */
    public static Optional<Holder> running(Path pidFile) {
        return read(pidFile).filter(h -> h.alive() && h.fresh());
    }

    /**
     * Takes the pid file for {@code pid}; false when another live distiller holds it. A pid file
     * held by {@code spawner} (the hook that started this process and claimed it first) is taken over.
     */
    public static boolean claim(Path pidFile, long pid, Optional<Long> spawner) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (createWith(pidFile, new Holder(pid, Instant.now().toString()))) {
                return true;
            }
            Optional<Holder> holder = read(pidFile);
            if (holder.isPresent() && (holder.get().pid() == pid || spawner.map(p -> p == holder.get().pid()).orElse(false))) {
                handOver(pidFile, pid);
                return true;
            }
            if (holder.isPresent() && holder.get().alive() && holder.get().fresh()) {
                return false;
            }
            Path moved = pidFile.resolveSibling(pidFile.getFileName() + ".stale-" + UUID.randomUUID());
            try {
                Files.move(pidFile, moved, StandardCopyOption.ATOMIC_MOVE);
                if (!read(moved).equals(holder)) {
                    // Another claimant replaced the stale file first: put its fresh one back.
                    try {
                        Files.createLink(pidFile, moved);
                    } catch (FileAlreadyExistsException newer) {
                        // An even newer claim is in place; the one we moved is obsolete.
                    }
                }
                Files.deleteIfExists(moved);
            } catch (NoSuchFileException gone) {
                // Released or taken meanwhile: try again.
            }
        }
        return false;
    }

    /** Rewrites the pid file for the process that now does the work (the spawned child). */
    public static void handOver(Path pidFile, long pid) throws IOException {
        AtomicFiles.write(pidFile, Json.MAPPER.writeValueAsBytes(new Holder(pid, Instant.now().toString())));
    }

    /** Deletes the pid file if {@code pid} still holds it. */
    public static void release(Path pidFile, long pid) {
        if (read(pidFile).map(h -> h.pid() == pid).orElse(false)) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // Left behind: the next claimant finds a dead pid and takes over.
            }
        }
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

    /** The background distiller on this JVM's runtime and classpath. */
    public static List<String> backgroundCommand(Path repoRoot) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), Distiller.class.getName(), repoRoot.toString());
    }

    private static boolean createWith(Path pidFile, Holder holder) throws IOException {
        Files.createDirectories(pidFile.getParent());
        Path temp = pidFile.resolveSibling(pidFile.getFileName() + ".new-" + UUID.randomUUID());
        try {
            Files.write(temp, Json.MAPPER.writeValueAsBytes(holder));
            Files.createLink(pidFile, temp);
            return true;
        } catch (FileAlreadyExistsException held) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Optional<Holder> read(Path pidFile) {
        try {
            return Optional.ofNullable(Json.MAPPER.readValue(pidFile.toFile(), Holder.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
