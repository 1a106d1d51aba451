package sync;

import local.AtomicFiles;
import local.LogFile;
import local.StateFiles;
import local.WyrenPaths;
import memory.MemoryDocument;
import memory.Redactor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * {@code .wyren/} in the user's work tree: a view of the local memory commit that never overwrites
 * a hand edit, plus the record ({@code state/sync.json}) of what was last written there. Nothing is
 * ever written outside {@code .wyren/}: every write is atomic, checked to land inside it, and never
 * follows a symlink.
 */
final class WorkingCopy {

    /** Temp files of a killed write, and quarantine folders, older than this are removed. */
    static final Duration STRAY_AFTER = Duration.ofMinutes(10);

    private final WyrenPaths paths;
    private final MemoryBranch branch;
    private final LogFile log;
    private final BooleanSupplier memoryTracked;

    WorkingCopy(WyrenPaths paths, MemoryBranch branch, LogFile log, BooleanSupplier memoryTracked) {
        this.paths = paths;
        this.branch = branch;
        this.log = log;
        this.memoryTracked = memoryTracked;
    }

    // ---------------------------------------------------------------------------------------- reading

    /** {@code .wyren/memory.md} as found; a strict prefix of what Wyren last wrote there is a truncated one. */
    WorkingFile memory() {
        return asWritten(WyrenPaths.MEMORY, WorkingFile.readMemory(paths.memory(), () -> Optional.ofNullable(readState().files()
                .get(WyrenPaths.MEMORY)).flatMap(id -> branch.blobs(Map.of(WyrenPaths.MEMORY, id)).get(WyrenPaths.MEMORY))));
    }

    WorkingFile file(String treePath) {
        return treePath.equals(WyrenPaths.MEMORY) ? memory() : asWritten(treePath, WorkingFile.read(paths.file(treePath)));
    }

    /** A file still exactly as Wyren wrote it has settled, however recently that was: nobody is saving it. */
    private WorkingFile asWritten(String treePath, WorkingFile found) {
        if (found instanceof WorkingFile.Regular regular && !regular.settled() && untouchedSinceWritten(treePath)) {
            return new WorkingFile.Regular(regular.bytes(), true);
        }
        return found;
    }

    /** The file's size and time are those it had when Wyren last wrote or checked it. */
    boolean untouchedSinceWritten(String treePath) {
        SyncState state = readState();
        String id = state.files().get(treePath);
        return id != null && (id + "|" + stamp(paths.file(treePath))).equals(state.stamps().get(treePath));
    }

    /** Regular files under {@code .wyren/broadcast/} (no symlinks, nothing escaping it), by tree path. */
    Map<String, WorkingFile.Regular> broadcast() {
        Map<String, WorkingFile.Regular> files = new LinkedHashMap<>();
        Path dir = paths.broadcast();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.sorted().toList()) {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || isTempFile(file)) {
                    continue;
                }
                if (asWritten(paths.treePath(file), WorkingFile.read(file)) instanceof WorkingFile.Regular regular) {
                    files.put(paths.treePath(file), regular);
                } else {
                    log.info("skipped broadcast file " + LogFile.quote(Redactor.redact(paths.treePath(file)).text())
                            + ": not a small regular file");
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("could not list " + WyrenPaths.BROADCAST, e);
        }
        return files;
    }

    /**
     * The working copy was last written from {@code tip} and every file is still as written: a pull
     * has nothing to do, and reads no tree (the hooks' common case).
     */
    boolean alreadyMaterialized(String tip) {
        SyncState state = readState();
        if (!tip.equals(state.materializedCommit()) || !state.files().containsKey(WyrenPaths.MEMORY) && !memoryTracked.getAsBoolean()) {
            return false;
        }
        for (Map.Entry<String, String> file : state.files().entrySet()) {
            if (!holds(state, file.getKey(), file.getValue())) {
                return false;
            }
        }
        return broadcastPaths().stream().allMatch(state.files()::containsKey);
    }

    /**
     * Whether the working copy still shows commit {@code tip} as far as materializing goes, decided
     * from file metadata alone (no hashing, no git): empty when something must be written again (a
     * recorded file is missing, unusable or being written, or the commit differs); otherwise
     * {@code UNCHANGED}, or {@code HAND_EDIT_KEPT} when a file changed since it was written (a hand
     * edit, kept either way).
     */
    Optional<PullResult.Working> unchangedSince(String tip) {
        SyncState state = readState();
        if (!tip.equals(state.materializedCommit()) || !state.files().containsKey(WyrenPaths.MEMORY) && !memoryTracked.getAsBoolean()) {
            return Optional.empty();
        }
        boolean edited = false;
        for (Map.Entry<String, String> file : state.files().entrySet()) {
            String treePath = file.getKey();
            if ((file.getValue() + "|" + stamp(paths.file(treePath))).equals(state.stamps().get(treePath))) {
                continue;
            }
            boolean usable = treePath.equals(WyrenPaths.MEMORY) && memoryTracked.getAsBoolean()
                    || file(treePath) instanceof WorkingFile.Regular;
            if (!usable) {
                return Optional.empty();
            }
            edited = true;
        }
        return Optional.of(edited || !state.files().keySet().containsAll(broadcastPaths())
                ? PullResult.Working.HAND_EDIT_KEPT : PullResult.Working.UNCHANGED);
    }

    /** The working file still holds blob {@code id}: by its size and time when those were seen with it, else by hashing. */
    private boolean holds(SyncState state, String treePath, String id) {
        Path file = paths.file(treePath);
        if ((id + "|" + stamp(file)).equals(state.stamps().get(treePath))) {
            return true;
        }
        return WorkingFile.read(file) instanceof WorkingFile.Regular regular && branch.blobId(regular.bytes()).equals(id);
    }

    /** Size and modification time of a regular file under {@code .wyren/}, without following a symlink. */
    static String stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? RepoFacts.sizeAndTime(a) : "not a file";
        } catch (IOException e) {
            return "absent";
        }
    }

    /** Tree paths of the regular files under {@code .wyren/broadcast/}, without reading them. */
    private List<String> broadcastPaths() {
        Path dir = paths.broadcast();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !isTempFile(p)).map(paths::treePath).toList();
        } catch (IOException | RuntimeException e) {
            return List.of("unlistable");
        }
    }

    /** Working-copy files that differ from what was last materialized: published at the next push. */
    List<String> handEdits(SyncState state, boolean legacy) {
        TreeSet<String> edited = new TreeSet<>();
        for (Map.Entry<String, String> recorded : state.files().entrySet()) {
            if (legacy && recorded.getKey().equals(WyrenPaths.MEMORY)) {
                continue;
            }
            WorkingFile wc = file(recorded.getKey());
            if (wc instanceof WorkingFile.Regular regular && !branch.blobId(regular.bytes()).equals(recorded.getValue())) {
                edited.add(recorded.getKey());
            } else if (wc instanceof WorkingFile.InProgress) {
                edited.add(recorded.getKey() + " (being written)");
            } else if (wc instanceof WorkingFile.Missing && recorded.getKey().startsWith(WyrenPaths.BROADCAST)) {
                edited.add(recorded.getKey() + " (deleted)");
            }
        }
        broadcast().keySet().stream().filter(p -> !state.files().containsKey(p)).forEach(p -> edited.add(p + " (new)"));
        return List.copyOf(edited);
    }

    // ---------------------------------------------------------------------------------------- writing

    /**
     * Writes the tree's files into the working copy (SPEC §3 pull 4–5): a file still as last
     * materialized, or missing, empty or truncated, is replaced; a file with other content is a hand
     * edit and stays, and so does one being written right now; a file the tree no longer has is
     * deleted only if unchanged; a file the tree has but Wyren refused to read stays as it was. A
     * tracked legacy memory file is never written.
     */
    PullResult.Working write(String commit, Snapshot tree) throws IOException {
        ensureDir();
        SyncState state = readState();
        Map<String, String> recorded = new HashMap<>(state.files());
        boolean legacy = memoryTracked.getAsBoolean();
        TreeSet<String> all = new TreeSet<>(tree.files().keySet());
        all.addAll(recorded.keySet());
        boolean changed = false;
        boolean kept = false;
        java.util.Set<String> holding = new java.util.HashSet<>();
        for (String treePath : all) {
            if (legacy && treePath.equals(WyrenPaths.MEMORY) || tree.refused().contains(treePath)) {
                continue;
            }
            Path file = paths.file(treePath);
            if (!WyrenPaths.isMemoryTreePath(treePath) || !insideWyrenDir(file)) {
                recorded.remove(treePath);
                continue;
            }
            WorkingFile wc = file(treePath);
            Optional<byte[]> target = tree.get(treePath);
            String before = recorded.get(treePath);
            if (wc instanceof WorkingFile.InProgress) {
                kept = true;
            } else if (target.isPresent()) {
                String targetId = branch.blobId(target.get());
                if (wc instanceof WorkingFile.Regular regular) {
                    String id = branch.blobId(regular.bytes());
                    if (id.equals(targetId)) {
                        recorded.put(treePath, targetId);
                        holding.add(treePath);
                    } else if (id.equals(before)) {
                        if (writeFile(file, target.get())) {
                            changed = true;
                            recorded.put(treePath, targetId);
                            holding.add(treePath);
                        }
                    } else {
                        kept = true;
                    }
                } else {
                    if (wc instanceof WorkingFile.Unusable unusable && !replace(file, unusable)) {
                        continue;
                    }
                    if (writeFile(file, target.get())) {
                        changed = true;
                        recorded.put(treePath, targetId);
                        holding.add(treePath);
                    }
                }
            } else if (wc instanceof WorkingFile.Regular regular) {
                if (branch.blobId(regular.bytes()).equals(before)) {
                    Files.delete(file);
                    recorded.remove(treePath);
                    changed = true;
                } else {
                    kept = true;
                }
            } else if (wc instanceof WorkingFile.Missing) {
                recorded.remove(treePath);
            }
        }
        Map<String, String> stamps = new HashMap<>();
        holding.forEach(treePath -> stamps.put(treePath, recorded.get(treePath) + "|" + stamp(paths.file(treePath))));
        updateState(s -> s.withMaterialized(commit, recorded).withStamps(stamps));
        return changed ? PullResult.Working.UPDATED : kept ? PullResult.Working.HAND_EDIT_KEPT : PullResult.Working.UNCHANGED;
    }

    /** Makes way for the real file: what is worth keeping is moved aside, an empty file is simply replaced. */
    boolean replace(Path file, WorkingFile.Unusable unusable) {
        if (!unusable.worthKeeping()) {
            log.info(paths.treePath(file) + " was " + unusable.why() + "; rewritten from the memory branch");
            return true;
        }
        return moveAside(file, unusable.why());
    }

    /** Writes a file under {@code .wyren/} atomically, refusing a parent that resolves elsewhere. */
    boolean writeFile(Path file, byte[] content) throws IOException {
        if (!insideWyrenDir(file)) {
            log.info("not writing " + LogFile.quote(paths.treePath(file)) + ": its folder leads outside " + WyrenPaths.DIR);
            return false;
        }
        Files.createDirectories(file.getParent());
        if (!insideWyrenDir(file)) {
            return false;
        }
        AtomicFiles.write(file, content);
        return true;
    }

    /**
     * The file is lexically under {@code .wyren/} and its nearest existing folder really is there
     * too (no symlinked folder leads elsewhere): checked before creating, moving or deleting anything.
     */
    private boolean insideWyrenDir(Path file) {
        Path normalized = file.toAbsolutePath().normalize();
        if (!normalized.startsWith(paths.dir()) || normalized.equals(paths.dir())) {
            return false;
        }
        try {
            Path wyrenDir = paths.dir().toRealPath();
            Path existing = normalized.getParent();
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            return existing != null && existing.toRealPath().startsWith(wyrenDir);
        } catch (IOException e) {
            return false;
        }
    }

    /** Moves something that is not a usable file out of the way, so the real file can be written. */
    boolean moveAside(Path file, String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".moved-" + System.currentTimeMillis());
        try {
            Files.move(file, aside);
            log.info(LogFile.quote(paths.treePath(file)) + " was " + why + "; moved to " + aside.getFileName() + " and rewritten");
            return true;
        } catch (IOException e) {
            log.warn("cannot replace " + LogFile.quote(paths.treePath(file)) + " (" + why + ")", e);
            return false;
        }
    }

    /** Creates {@code .wyren/} with its {@code .gitignore} ({@code *}) before anything else goes in. */
    void ensureDir() throws IOException {
        Optional<String> unsafe = paths.unsafe();
        if (unsafe.isPresent()) {
            throw new UnsafeWorkingDir(unsafe.get());
        }
        Files.createDirectories(paths.dir());
        Path ignore = paths.gitignore();
        boolean current = Files.isRegularFile(ignore, LinkOption.NOFOLLOW_LINKS)
                && WyrenPaths.IGNORE_ALL.equals(Files.readString(ignore));
        if (!current) {
            AtomicFiles.write(ignore, WyrenPaths.IGNORE_ALL);
        }
        Files.createDirectories(paths.state());
    }

    /**
     * Removes what killed writes left behind: {@code .<name>.*.tmp} files of the atomic-write helper
     * and quarantine folders, once older than {@link #STRAY_AFTER} (a younger one may be in use).
     */
    void removeStrays() {
        Instant before = Instant.now().minus(STRAY_AFTER);
        for (Path dir : List.of(paths.dir(), paths.state(), paths.sessions())) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.toList()) {
                    String name = entry.getFileName().toString();
                    boolean stray = isTempFile(entry) || name.startsWith("objects-") || name.startsWith("index-")
                            || name.contains(".new-") || name.contains(".stale-");
                    if (stray && Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)) {
                        deleteTree(entry);
                        log.info("removed " + LogFile.quote(paths.treePath(entry)) + " left by an interrupted write");
                    }
                }
            } catch (IOException e) {
                log.warn("could not clean " + paths.treePath(dir), e);
            }
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } else {
            Files.deleteIfExists(path);
        }
    }

    static boolean isTempFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    // ---------------------------------------------------------------------------------------- state

    SyncState readState() {
        return StateFiles.read(paths.syncState(), SyncState.CODEC, log);
    }

    void updateState(UnaryOperator<SyncState> change) throws IOException {
        StateFiles.update(paths.syncState(), SyncState.CODEC, log, change);
    }

    /** Records an outcome, when this repository already has {@code .wyren/state/}. */
    void record(UnaryOperator<SyncState> change, String what) {
        if (!Files.isDirectory(paths.state(), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            updateState(change);
        } catch (NoSuchFileException gone) {
            // .wyren/ was removed meanwhile: nothing to record into.
        } catch (IOException e) {
            log.warn("could not record the " + what, e);
        }
    }

    /** The memory files of a commit; an oversized entry is refused and reported once, not read. */
    Snapshot snapshot(String commit) {
        return branch.snapshot(commit, this::reportRefusal);
    }

    private void reportRefusal(String treePath, String blobId, String why) {
        String key = treePath + "@" + blobId;
        if (readState().refused().contains(key)) {
            return;
        }
        log.info("refused " + LogFile.quote(treePath) + " of the memory branch (" + why + "); keeping what this machine had");
        record(s -> s.withRefused(key), "refusal");
    }

    /** Logs what a merge did (conflicts, shortened, dropped and forgotten bullets); drops ask the next distillation to compact. */
    void report(TreeMerge.Outcome merged) throws IOException {
        merged.conflicts().forEach(c -> log.info("merge: " + c));
        merged.shortened().forEach(s -> log.info("shortened a bullet of " + s.bullet().length() + " characters to "
                + MemoryDocument.MAX_BULLET_CHARS + " (" + s.section() + "): " + LogFile.quote(s.bullet())));
        merged.dropped().forEach(d -> log.info("dropped: " + LogFile.quote(d.bullet()) + " (" + d.section() + ", hard cap)"));
        merged.forgotten().forEach(f -> log.info("kept out a forgotten entry: " + LogFile.quote(f.bullet()) + " (" + f.section() + ")"));
        if (!merged.dropped().isEmpty()) {
            updateState(s -> s.withCompactionPending(true));
        }
    }
}
