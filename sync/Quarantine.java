package sync;

import local.Unique;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where Wyren's git objects are made before any ref names them, so that the user's own
 * {@code git gc --prune=now} cannot delete them in between (which would leave a ref pointing at
 * nothing and break the user's fetch, pull and gc). {@code --prune=now} deletes every unreferenced
 * loose object whatever its age, so no loose object is safe until a ref names it; packs are never
 * pruned, and a pack with a {@code .keep} file is never repacked away.
 *
 * <p>So git calls for a commit run with {@code GIT_OBJECT_DIRECTORY} set to a private folder under
 * {@code .wyren/state/} (the repository's store as an alternate): new objects land there, invisible
 * to gc. {@link #publish} packs them, puts the pack into the store with a {@code .keep} file (the
 * way git's own receive-pack and fetch protect a pack until its refs are written), and the caller
 * moves the ref before {@link Kept#close() releasing} it.
 */
final class Quarantine implements AutoCloseable {

    /** The content of Wyren's keep files, so an orphaned one (a killed process) can be recognized. */
    static final String KEEP_NOTE = "wyren: kept until its commit is referenced\n";

    private final Path dir;
    private final Path store;

    private Quarantine(Path dir, Path store) {
        this.dir = dir;
        this.store = store;
    }

    /** A fresh quarantine folder in {@code stateDir} for the object store {@code store}. */
    static Quarantine open(Path stateDir, Path store) throws IOException {
        Path dir = stateDir.resolve("objects-" + Unique.token());
        Files.createDirectories(dir);
        return new Quarantine(dir, store);
    }

    /** The environment that sends a git call's new objects here. */
    Map<String, String> environment() {
        return Map.of("GIT_OBJECT_DIRECTORY", dir.toString(), "GIT_ALTERNATE_OBJECT_DIRECTORIES", store.toString());
    }

    /** A pack in the store held by its keep file; closing releases it (once a ref names its objects). */
    record Kept(Path keep) implements AutoCloseable {
        @Override
        public void close() {
            try {
                Files.deleteIfExists(keep);
            } catch (IOException e) {
                // A leftover keep file only stops one small pack from being repacked; strays are cleaned later.
            }
        }
    }

    /** Packs every object made here into the store behind a keep file; nothing to keep when none was made. */
    Kept publish(Git git) throws IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir, 2)) {
            for (Path file : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                String fanOut = file.getParent().getFileName().toString();
                if (fanOut.length() == 2 && !file.getParent().equals(dir)) {
                    ids.add(fanOut + file.getFileName());
                }
            }
        }
        if (ids.isEmpty()) {
            return new Kept(dir.resolve("nothing.keep"));
        }
        Path packDir = Files.createDirectories(dir.resolve("pack"));
        Git.Call pack = git.call("pack-objects", "--quiet", packDir.resolve("pack").toString()).input(String.join("\n", ids) + "\n");
        environment().forEach(pack::env);
        String hash = pack.run().line();
        Path storePacks = Files.createDirectories(store.resolve("pack"));
        Path keep = storePacks.resolve("pack-" + hash + ".keep");
        Files.writeString(keep, KEEP_NOTE);
        move(packDir.resolve("pack-" + hash + ".pack"), storePacks.resolve("pack-" + hash + ".pack"));
        move(packDir.resolve("pack-" + hash + ".idx"), storePacks.resolve("pack-" + hash + ".idx"));
        return new Kept(keep);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException otherDisk) {
            Path temp = to.resolveSibling("tmp_wyren_" + Unique.token());
            Files.copy(from, temp);
            Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Removes Wyren's keep files left by a process killed before it released them. */
    static void releaseOrphans(Path store, Duration olderThan) {
        Path packs = store.resolve("pack");
        if (!Files.isDirectory(packs, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Instant before = Instant.now().minus(olderThan);
        try (Stream<Path> files = Files.list(packs)) {
            for (Path keep : files.filter(p -> p.getFileName().toString().endsWith(".keep")).toList()) {
                if (Files.size(keep) == KEEP_NOTE.length() && KEEP_NOTE.equals(Files.readString(keep))
                        && Files.getLastModifiedTime(keep).toInstant().isBefore(before)) {
                    Files.deleteIfExists(keep);
                }
            }
        } catch (IOException e) {
            // Best effort: a leftover keep file costs a little disk, nothing else.
        }
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
