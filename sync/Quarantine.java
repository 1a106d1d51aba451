package sync;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Where Wyren's git objects are made before any ref names them, so that the user's own
 * {@code git gc --prune=now} cannot delete them in between (which would leave a ref pointing at
 * nothing and break the user's fetch, pull and gc).
 *
 * <p>Git calls for a commit run with {@code GIT_OBJECT_DIRECTORY} set to a private folder under
 * {@code .wyren/state/} and the repository's object store as an alternate: new objects land there,
 * invisible to gc. {@link #migrate()} then moves them into the store with a modification time
 * {@link #PROTECTION} in the future: {@code git prune} keeps every loose object newer than its expiry
 * date ("now" at the latest), so they survive any gc that starts before the ref is written, which
 * happens right after. Objects that already existed in the store are freshened the same way.
 */
final class Quarantine implements AutoCloseable {

    static final Duration PROTECTION = Duration.ofMinutes(5);

    private final Path dir;
    private final Path store;

    private Quarantine(Path dir, Path store) {
        this.dir = dir;
        this.store = store;
    }

    /** A fresh quarantine folder in {@code stateDir} for the object store {@code store}. */
    static Quarantine open(Path stateDir, Path store) throws IOException {
        Path dir = stateDir.resolve("objects-" + UUID.randomUUID());
        Files.createDirectories(dir);
        return new Quarantine(dir, store);
    }

    /** The environment that sends a git call's new objects here. */
    Map<String, String> environment() {
        return Map.of("GIT_OBJECT_DIRECTORY", dir.toString(), "GIT_ALTERNATE_OBJECT_DIRECTORIES", store.toString());
    }

    /** Moves every object made here into the store, each protected from pruning for {@link #PROTECTION}. */
    void migrate() throws IOException {
        FileTime protectedUntil = FileTime.from(Instant.now().plus(PROTECTION));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted(packsLast()).toList();
        }
        for (Path file : files) {
            Path target = store.resolve(dir.relativize(file).toString());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.setLastModifiedTime(target, protectedUntil);
                continue;
            }
            Files.setLastModifiedTime(file, protectedUntil);
            Files.createDirectories(target.getParent());
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException otherDisk) {
                Path temp = target.resolveSibling("tmp_wyren_" + UUID.randomUUID());
                Files.copy(file, temp, StandardCopyOption.COPY_ATTRIBUTES);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException raced) {
                    Files.deleteIfExists(temp);
                }
            } catch (FileAlreadyExistsException raced) {
                // The same object arrived meanwhile (a fetch): it is there, which is all that matters.
            }
        }
    }

    /** A pack's index must not be visible before the pack itself. */
    private static Comparator<Path> packsLast() {
        return Comparator.comparing((Path p) -> p.getFileName().toString().endsWith(".idx"));
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover folder in .wyren/state/ is removed by the next clean-up of stray files.
        }
    }
}
