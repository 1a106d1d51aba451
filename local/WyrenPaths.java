package local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * Where Wyren keeps things in a working copy: the one place that names the paths under
 * {@code .wyren/}, so code, help text and docs cannot disagree.
 *
 * <p>{@code memory.md} and {@code broadcast/} are the materialized view of the memory branch (the
 * same paths exist in its tree); {@code state/} and {@code log} never leave the machine.
 */
public record WyrenPaths(Path root) {

    public static final String DIR = ".wyren";
    /** Path of the memory file, both in the working copy and in the memory branch's tree. */
    public static final String MEMORY = DIR + "/memory.md";
    /** Prefix of broadcast files, both in the working copy and in the memory branch's tree. */
    public static final String BROADCAST = DIR + "/broadcast/";
    /**
     * Tombstones of entries a person took back ({@code wyren forget}): on the memory branch only,
     * never materialized, so a hand edit in the working copy cannot lift one by accident.
     */
    public static final String FORGOTTEN = DIR + "/forgotten.md";
    public static final String IGNORE_ALL = "*\n";

    public WyrenPaths {
        root = root.toAbsolutePath().normalize();
    }

    public Path dir() {
        return root.resolve(DIR);
    }

    public Path memory() {
        return root.resolve(MEMORY);
    }

    public Path broadcast() {
        return root.resolve(BROADCAST);
    }

    public Path gitignore() {
        return dir().resolve(".gitignore");
    }

    public Path state() {
        return dir().resolve("state");
    }

    public Path sessions() {
        return state().resolve("sessions");
    }

    public Path syncState() {
        return state().resolve("sync.json");
    }

    public Path syncLock() {
        return state().resolve("sync.lock");
    }

    /** Entries the distiller held back for a person to review; never shared. */
    public Path heldBack() {
        return state().resolve("held-back.json");
    }

    /** What this machine knows of each memory entry: since when its tag stands, which named paths existed. */
    public Path entryRecords() {
        return state().resolve("entries.json");
    }

    public Path distillState() {
        return state().resolve("distill.json");
    }

    /** Its modification time is when live sync last fetched. */
    public Path liveFetchMarker() {
        return state().resolve("live-fetch");
    }

    public Path distillerPid() {
        return state().resolve("distiller.pid");
    }

    public Path log() {
        return dir().resolve("log");
    }

    /**
     * Whether a path of a memory-branch tree is one Wyren materializes: {@code .wyren/memory.md} or
     * a file under {@code .wyren/broadcast/} whose every component is a plain name (no {@code .},
     * {@code ..}, empty or {@code .git} component). Anything else in a tree, from a mistaken or
     * crafted commit, is ignored, so it can never address a file outside {@code .wyren/}.
     */
    public static boolean isMemoryTreePath(String treePath) {
        if (treePath.equals(MEMORY)) {
            return true;
        }
        if (!treePath.startsWith(BROADCAST) || treePath.length() == BROADCAST.length()) {
            return false;
        }
        for (String component : treePath.substring(BROADCAST.length()).split("/", -1)) {
            if (component.isEmpty() || component.equals(".") || component.equals("..")
                    || component.equalsIgnoreCase(".git") || component.indexOf('\\') >= 0 || component.indexOf('\0') >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether a path of a memory-branch tree is one Wyren reads: a materialized file or the tombstones. */
    public static boolean isBranchTreePath(String treePath) {
        return treePath.equals(FORGOTTEN) || isMemoryTreePath(treePath);
    }

    /**
     * Why Wyren must not touch this repository's {@code .wyren/}, if it must not: a symlink or another
     * odd file where Wyren keeps a folder or its log ({@code .wyren} itself, {@code state/},
     * {@code state/sessions/}, {@code broadcast/}, {@code log}, {@code .gitignore}). Such a thing comes
     * from a commit on the user's branch, never from Wyren, and following it would let that commit
     * aim Wyren's writes anywhere. Checked with file-system calls only (a few {@code lstat}s).
     */
    public Optional<String> unsafe() {
        record Expected(Path path, boolean directory) {}
        for (Expected e : List.of(new Expected(dir(), true), new Expected(state(), true), new Expected(sessions(), true),
                new Expected(broadcast(), true), new Expected(log(), false), new Expected(gitignore(), false))) {
            try {
                BasicFileAttributes found = Files.readAttributes(e.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                boolean right = e.directory() ? found.isDirectory() : found.isRegularFile();
                if (!right) {
                    String what = found.isSymbolicLink() ? "a symlink" : found.isDirectory() ? "a directory" : "not a regular file";
                    return Optional.of(treePath(e.path()) + " is " + what + " (expected " + (e.directory() ? "a folder" : "a file")
                            + "); Wyren does nothing in this repository until it is removed");
                }
            } catch (NoSuchFileException absent) {
                // Wyren creates it when it needs it.
            } catch (IOException other) {
                return Optional.of(treePath(e.path()) + " cannot be inspected (" + other.getMessage() + ")");
            }
        }
        return Optional.empty();
    }

    /** The working-copy file for a path of the memory branch's tree. */
    public Path file(String treePath) {
        return root.resolve(treePath);
    }

    /** The tree path of a working-copy file under {@code .wyren/}. */
    public String treePath(Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
