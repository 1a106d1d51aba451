import local.AtomicFiles;
import local.Deadline;
import local.Env;
import local.JsonValues;
import local.LockFile;
import local.Locked;
import local.LogFile;
import local.Settings;
import local.Unique;
import local.WyrenPaths;
import memory.MemoryDocument;
import memory.Redactor;
import memory.Tombstones;
import sync.FetchResult;
import sync.InitResult;
import sync.Inspection;
import sync.Location;
import sync.MemoryVersion;
import sync.NotARepository;
import sync.PullResult;
import sync.PushResult;
import sync.SyncLock;
import sync.SyncState;
import sync.WyrenSync;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A second {@link WyrenSync}, for the tests: the team's memory is a folder ({@code WYREN_FOLDER_STORE})
 * of numbered versions, each a JSON file of the memory files; a new version is published by
 * compare-and-swap (a hard link that fails when the number is taken), and a lost race merges and
 * retries. It proves that hooks, the distiller and the CLI run on any backend {@code Backends} picks.
 */
final class FolderSync implements WyrenSync {

    static final String STORE = "WYREN_FOLDER_STORE";
    private static final int ATTEMPTS = 5;

    private final Path store;
    private final Path root;
    private final WyrenPaths paths;
    private final LogFile log;
    private final Env env;
    private final Duration lockWait;

    /** What this machine last took from the store: the merge base of its own changes. */
    private record Local(int version, Map<String, String> files) {}

    private record Version(int number, Map<String, String> files) {}

    private FolderSync(Path store, Path root, Env env, String component, Duration lockWait) {
        this.store = store;
        this.root = root;
        this.paths = new WyrenPaths(root);
        this.log = new LogFile(paths.log(), component);
        this.env = env;
        this.lockWait = lockWait;
    }

    static FolderSync open(Path cwd, Env env, String component, Duration lockWait) throws NotARepository {
        for (Path p = cwd.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
                Path store = Path.of(env.get(STORE).orElseThrow(() -> new IllegalStateException(STORE + " is not set")));
                return new FolderSync(store, p, env, component, lockWait);
            }
        }
        throw new NotARepository(cwd, "no checkout here");
    }

    @Override
    public WyrenPaths paths() {
        return paths;
    }

    @Override
    public LogFile log() {
        return log;
    }

    @Override
    public Location location() {
        return new Location(root, "folder store", Optional.of(store.toString()), Optional.empty(), WyrenPaths.DIR + "/state/folder-sync.json", Optional.empty());
    }

    @Override
    public boolean disabled() {
        return Settings.of(env).disabled();
    }

    @Override
    public boolean usesWyren() {
        return Files.isDirectory(paths.dir(), LinkOption.NOFOLLOW_LINKS) || latest().isPresent();
    }

    @Override
    public boolean active() throws IOException {
        if (Files.isDirectory(paths.state(), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        if (latest().isEmpty()) {
            return false;
        }
        prepareWorkingDir();
        return true;
    }

    @Override
    public boolean joined() {
        return readLocal().version() > 0;
    }

    @Override
    public FetchResult fetch(Deadline deadline) {
        if (Settings.of(env).skipPull()) {
            return new FetchResult(PullResult.Fetch.SKIPPED_BY_ENV, "");
        }
        if (!Files.isDirectory(store)) {
            return new FetchResult(PullResult.Fetch.NO_REMOTE, "");
        }
        return latest().isPresent() ? new FetchResult(PullResult.Fetch.FETCHED, "") : new FetchResult(PullResult.Fetch.NO_REMOTE_BRANCH, "");
    }

    @Override
    public PullResult pull(Deadline deadline) {
        if (disabled()) {
            return new PullResult(PullResult.Fetch.NOT_ATTEMPTED, "", PullResult.Working.DISABLED, Optional.empty());
        }
        FetchResult fetch = fetch(deadline);
        Local local = readLocal();
        Optional<Version> latest = fetch.outcome() == PullResult.Fetch.FETCHED ? latest() : Optional.empty();
        if (latest.isEmpty() || latest.get().number() == local.version()) {
            PullResult.Working working = local.version() == 0 ? PullResult.Working.NOT_INITIALIZED : PullResult.Working.UNCHANGED;
            return new PullResult(fetch.outcome(), fetch.detail(), working, Optional.of(name(local.version())));
        }
        try (LockFile ignored = SyncLock.acquire(paths.syncLock(), lockWait)) {
            Map<String, String> ours = working();
            writeWorking(merge(local.files(), ours, latest.get().files()), ours);
            writeLocal(new Local(latest.get().number(), latest.get().files()));
            return new PullResult(fetch.outcome(), "", PullResult.Working.UPDATED, Optional.of(name(latest.get().number())));
        } catch (Locked locked) {
            return new PullResult(fetch.outcome(), "", PullResult.Working.LOCKED, Optional.empty());
        } catch (IOException | RuntimeException e) {
            log.warn("pull failed", e);
            return new PullResult(fetch.outcome(), "", PullResult.Working.FAILED, Optional.empty());
        }
    }

    @Override
    public PushResult push(String sessionId, Deadline deadline) {
        return publishWith(sessionId, Optional.empty());
    }

    /** Publishes the working copy, with new tombstones when given (else this machine's, unchanged). */
    private PushResult publishWith(String sessionId, Optional<String> tombstones) {
        if (disabled()) {
            return new PushResult(PushResult.Outcome.DISABLED, Optional.empty(), 0, "Wyren is disabled");
        }
        if (!joined()) {
            return new PushResult(PushResult.Outcome.NOT_INITIALIZED, Optional.empty(), 0, "no team memory yet");
        }
        try (LockFile ignored = SyncLock.acquire(paths.syncLock(), lockWait)) {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                Local local = readLocal();
                Map<String, String> ours = working();
                Map<String, String> oursWithTombstones = new TreeMap<>(ours);
                tombstones.or(() -> Optional.ofNullable(local.files().get(WyrenPaths.FORGOTTEN)))
                        .ifPresent(t -> oursWithTombstones.put(WyrenPaths.FORGOTTEN, t));
                Version latest = latest().orElse(new Version(0, Map.of()));
                Map<String, String> merged = publishable(merge(local.files(), oursWithTombstones, latest.files()));
                if (merged.equals(latest.files())) {
                    writeWorking(merged, ours);
                    writeLocal(new Local(latest.number(), latest.files()));
                    return new PushResult(PushResult.Outcome.NO_CHANGES, Optional.of(name(latest.number())), attempt, "");
                }
                if (publish(latest.number() + 1, merged, sessionId)) {
                    writeWorking(merged, ours);
                    writeLocal(new Local(latest.number() + 1, merged));
                    log.info("pushed " + name(latest.number() + 1) + " to the folder store (attempt " + attempt + ")");
                    return new PushResult(PushResult.Outcome.PUSHED, Optional.of(name(latest.number() + 1)), attempt, "");
                }
            }
            return new PushResult(PushResult.Outcome.PUSH_FAILED, Optional.empty(), ATTEMPTS, "lost every race for the next version");
        } catch (Locked locked) {
            return new PushResult(PushResult.Outcome.LOCKED, Optional.empty(), 0, locked.getMessage());
        } catch (IOException | RuntimeException e) {
            log.warn("push failed", e);
            return new PushResult(PushResult.Outcome.FAILED, Optional.empty(), 0, LogFile.describe(e));
        }
    }

    @Override
    public PushResult commitMemory(String sessionId, UnaryOperator<String> change, boolean publish, Deadline deadline) {
        try {
            AtomicFiles.write(paths.memory(), change.apply(memoryText().orElse("")));
        } catch (IOException e) {
            return new PushResult(PushResult.Outcome.FAILED, Optional.empty(), 0, LogFile.describe(e));
        }
        return publish ? push(sessionId, deadline) : new PushResult(PushResult.Outcome.COMMITTED, Optional.empty(), 0, "");
    }

    @Override
    public String author() {
        return env.get("GIT_AUTHOR_NAME").orElse(local.Machine.userName());
    }

    @Override
    public Tombstones tombstones() {
        return Tombstones.parse(readLocal().files().getOrDefault(WyrenPaths.FORGOTTEN, ""));
    }

    @Override
    public PushResult commitTombstones(String message, UnaryOperator<Tombstones> change, Deadline deadline) {
        return publishWith(message, Optional.of(change.apply(tombstones()).render()));
    }

    @Override
    public Optional<String> memoryText() {
        return Optional.ofNullable(working().get(WyrenPaths.MEMORY)).or(() -> Optional.ofNullable(readLocal().files().get(WyrenPaths.MEMORY)));
    }

    @Override
    public Map<String, String> broadcastFiles() {
        Map<String, String> files = new TreeMap<>();
        working().forEach((path, text) -> {
            if (path.startsWith(WyrenPaths.BROADCAST)) {
                files.put(path.substring(WyrenPaths.BROADCAST.length()), text);
            }
        });
        return files;
    }

    @Override
    public boolean compactionPending() {
        return false;
    }

    @Override
    public void recordCompactionPending(boolean pending) {
        // The folder store never drops bullets: there is nothing to compact.
    }

    @Override
    public InitResult initialize(Optional<MemoryDocument> seed, Deadline deadline) throws IOException {
        prepareWorkingDir();
        Files.createDirectories(store);
        FetchResult fetch = fetch(deadline);
        InitResult.Kind kind;
        if (joined()) {
            kind = InitResult.Kind.ALREADY;
        } else if (latest().isPresent() || !publish(1, publishable(Map.of(WyrenPaths.MEMORY,
                seed.orElse(MemoryDocument.skeleton()).render())), "init")) {
            Version latest = latest().orElseThrow();
            writeWorking(latest.files(), working());
            writeLocal(new Local(latest.number(), latest.files()));
            kind = InitResult.Kind.JOINED;
        } else {
            Version first = latest().orElseThrow();
            writeWorking(first.files(), working());
            writeLocal(new Local(first.number(), first.files()));
            kind = InitResult.Kind.CREATED;
        }
        return new InitResult(kind, false, fetch, push("manual", deadline));
    }

    @Override
    public List<MemoryVersion> history(int limit) {
        List<MemoryVersion> versions = new ArrayList<>();
        for (int n = readLocal().version(); n > 0 && versions.size() < limit; n--) {
            try {
                Map<String, Object> json = JsonValues.parseObject(Files.readString(store.resolve(name(n) + ".json")));
                String author = JsonValues.string(json, "author").orElse("unknown");
                versions.add(new MemoryVersion(name(n), author, author, Files.getLastModifiedTime(store.resolve(name(n) + ".json")).toInstant(),
                        files(json).getOrDefault(WyrenPaths.MEMORY, "")));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + name(n), e);
            }
        }
        return versions;
    }

    @Override
    public Inspection inspect() {
        Local local = readLocal();
        Optional<Version> latest = latest();
        Map<String, String> working = working();
        List<String> handEdits = new ArrayList<>();
        union(local.files(), working).forEach(path -> {
            if (!Objects.equals(local.files().get(path), working.get(path))) {
                handEdits.add(path);
            }
        });
        return new Inspection(location(), local.version() == 0 ? Optional.empty() : Optional.of(name(local.version())),
                latest.map(v -> name(v.number())), 0, latest.map(v -> v.number() - local.version()).orElse(0),
                Optional.empty(), Optional.empty(), SyncLock.inspect(paths.syncLock()), handEdits, false, SyncState.initial(), List.of());
    }

    @Override
    public void prepareWorkingDir() throws IOException {
        Files.createDirectories(paths.state());
        if (!Files.exists(paths.gitignore())) {
            AtomicFiles.write(paths.gitignore(), WyrenPaths.IGNORE_ALL);
        }
    }

    @Override
    public LockFile lock() throws Locked, IOException {
        return SyncLock.tryAcquire(paths.syncLock());
    }

    private static String name(int version) {
        return String.format("v%06d", version);
    }

    private Optional<Version> latest() {
        if (!Files.isDirectory(store)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(store)) {
            Optional<Path> newest = files.filter(f -> f.getFileName().toString().matches("v\\d{6}\\.json")).max(Path::compareTo);
            if (newest.isEmpty()) {
                return Optional.empty();
            }
            String file = newest.get().getFileName().toString();
            return Optional.of(new Version(Integer.parseInt(file.substring(1, 7)), files(JsonValues.parseObject(Files.readString(newest.get())))));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the folder store " + store, e);
        }
    }

    /** Compare-and-swap: the version number is taken by whoever links it first. */
    private boolean publish(int number, Map<String, String> files, String author) throws IOException {
        Path temp = store.resolve("." + name(number) + "-" + Unique.token() + ".tmp");
        Files.writeString(temp, JsonValues.write(Map.of("author", author, "files", files)));
        try {
            Files.createLink(store.resolve(name(number) + ".json"), temp);
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private Local readLocal() {
        try {
            Map<String, Object> json = JsonValues.parseObject(Files.readString(paths.state().resolve("folder-sync.json")));
            return new Local((int) JsonValues.number(json, "version", 0), files(json));
        } catch (IOException | RuntimeException e) {
            return new Local(0, Map.of());
        }
    }

    private void writeLocal(Local local) throws IOException {
        AtomicFiles.writeState(paths.state().resolve("folder-sync.json"), JsonValues.write(Map.of("version", local.version(), "files", local.files())));
    }

    private static Map<String, String> files(Map<String, Object> json) {
        Map<String, String> files = new TreeMap<>();
        JsonValues.object(json, "files").ifPresent(m -> m.forEach((k, v) -> files.put(k, String.valueOf(v))));
        return files;
    }

    /** The memory file and broadcast files of the working copy, by tree path (regular files only). */
    private Map<String, String> working() {
        Map<String, String> files = new TreeMap<>();
        try {
            if (Files.isRegularFile(paths.memory(), LinkOption.NOFOLLOW_LINKS)) {
                files.put(WyrenPaths.MEMORY, Files.readString(paths.memory()));
            }
            if (Files.isDirectory(paths.broadcast(), LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(paths.broadcast())) {
                    for (Path file : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                        files.put(paths.treePath(file), Files.readString(file));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + paths.dir(), e);
        }
        return files;
    }

    private void writeWorking(Map<String, String> files, Map<String, String> previous) throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            if (!file.getKey().equals(WyrenPaths.FORGOTTEN) && !file.getValue().equals(previous.get(file.getKey()))) {
                AtomicFiles.write(paths.file(file.getKey()), file.getValue());
            }
        }
        for (String gone : previous.keySet()) {
            if (!files.containsKey(gone)) {
                Files.deleteIfExists(paths.file(gone));
            }
        }
    }

    /**
     * Three-way: a side that did not change takes the other's; the memory merges bullet by bullet,
     * the tombstones by identity, and no forgotten entry is left in the memory.
     */
    private static Map<String, String> merge(Map<String, String> base, Map<String, String> ours, Map<String, String> theirs) {
        Map<String, String> merged = new TreeMap<>();
        for (String path : union(union(base, ours), theirs)) {
            String b = base.get(path);
            String o = ours.get(path);
            String t = theirs.get(path);
            String result = Objects.equals(o, b) ? t : Objects.equals(t, b) ? o
                    : path.equals(WyrenPaths.FORGOTTEN) ? Tombstones.merge(Tombstones.parse(b == null ? "" : b),
                            Tombstones.parse(o == null ? "" : o), Tombstones.parse(t == null ? "" : t)).render()
                    : path.equals(WyrenPaths.MEMORY) ? MemoryDocument.merge(MemoryDocument.parse(b == null ? "" : b),
                            MemoryDocument.parse(o == null ? "" : o), MemoryDocument.parse(t == null ? "" : t)).render()
                    : o != null ? o : t;
            if (result != null) {
                merged.put(path, result);
            }
        }
        if (merged.containsKey(WyrenPaths.MEMORY) && merged.containsKey(WyrenPaths.FORGOTTEN)) {
            Tombstones.Filtered kept = Tombstones.parse(merged.get(WyrenPaths.FORGOTTEN)).filter(MemoryDocument.parse(merged.get(WyrenPaths.MEMORY)));
            if (!kept.removed().isEmpty()) {
                merged.put(WyrenPaths.MEMORY, kept.memory().render());
            }
        }
        return merged;
    }

    private static Map<String, String> publishable(Map<String, String> files) {
        Map<String, String> redacted = new TreeMap<>();
        files.forEach((path, text) -> redacted.put(path, Redactor.redact(text).text()));
        return redacted;
    }

    private static Set<String> union(Map<String, String> a, Map<String, String> b) {
        Set<String> all = new HashSet<>(a.keySet());
        all.addAll(b.keySet());
        return all;
    }

    private static Set<String> union(Set<String> a, Map<String, String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b.keySet());
        return all;
    }
}
