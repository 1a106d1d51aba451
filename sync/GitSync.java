package sync;

import local.Deadline;
import local.Env;
import local.LockFile;
import local.Locked;
import local.LogFile;
import local.Settings;
import local.ShortId;
import local.WyrenPaths;
import memory.MemoryDocument;
import memory.Redactor;
import memory.Tombstones;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@link WyrenSync} on a dedicated memory branch (SPEC §2–§4).
 *
 * <p>Outside {@code .wyren/} and Wyren's own refs ({@link Repo#localRef()}, {@link Repo#trackingRef()})
 * nothing in the user's repository changes: commits are made with plumbing ({@link MemoryBranch}),
 * refs move only by compare-and-swap, only the memory branch is ever pushed, and the working copy
 * ({@link WorkingCopy}) is a view of the local memory commit that never overwrites a hand edit.
 */
public final class GitSync implements WyrenSync {

    public static final Duration PUSH_CAP = Duration.ofSeconds(10);
    /** How long a publishing command waits for a memory file a person is saving to settle. */
    static final Duration SETTLE_WAIT = Duration.ofSeconds(3);
    public static final int MAX_PUSH_ATTEMPTS = 3;

    private final Repo repo;
    private final Git git;
    private final WyrenPaths paths;
    private final Env env;
    private final LogFile log;
    private final Duration lockWait;
    private final MemoryBranch branch;
    private final WorkingCopy working;
    private final Publisher publisher;
    private final RefRepair refRepair;
    private final Integrator integrator;
    private final LocalMemory localMemory;
    private Boolean memoryTracked;

    /**
     * @param lockWait how long pull and push wait for the sync lock: zero for hooks (they never
     *                 wait), up to a minute for the CLI and the distiller
     */
    public GitSync(Repo repo, Env env, LogFile log, Duration lockWait) {
        this.repo = repo;
        this.git = new Git(repo.root(), env);
        this.paths = repo.paths();
        this.env = env;
        this.log = log;
        this.lockWait = lockWait;
        this.branch = new MemoryBranch(repo, git, paths.state(), log, env);
        this.working = new WorkingCopy(paths, branch, log, this::memoryTracked);
        this.publisher = new Publisher(repo, git, branch, log);
        this.refRepair = new RefRepair(repo, git, branch, working, log);
        this.integrator = new Integrator(repo, branch, refRepair, working, log);
        this.localMemory = new LocalMemory(repo, branch, refRepair, working, log, this::memoryTracked);
    }

    /** The repository at {@code cwd} ({@link Backends#open} refuses one whose {@code .wyren/} Wyren must not touch). */
    public static GitSync open(Path cwd, Env env, String component, Duration lockWait) throws NotARepository {
        Repo repo = Repo.discover(cwd, env);
        return new GitSync(repo, env, new LogFile(repo.paths().log(), component), lockWait);
    }

    public Repo repo() {
        return repo;
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
        return new Location(repo.root(), repo.branch(), repo.remote(), repo.remoteUrl(), repo.localRef(),
                repo.enabledByConfig() ? Optional.empty() : Optional.of("git config " + Settings.GIT_ENABLED + " false"));
    }

    @Override
    public boolean active() throws IOException {
        if (Files.isDirectory(paths.state(), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        MemoryRefs refs = refs();
        if (refs.local().isEmpty() && refs.tracking().isEmpty()) {
            return false;
        }
        prepareWorkingDir();
        return true;
    }

    @Override
    public boolean joined() {
        return refs().local().isPresent();
    }

    @Override
    public boolean compactionPending() {
        return working.readState().compactionPending();
    }

    @Override
    public void recordCompactionPending(boolean pending) throws IOException {
        working.updateState(s -> s.withCompactionPending(pending));
    }

    /** {@code WYREN_DISABLE} in this process, or {@code wyren.enabled=false} in this repository. */
    @Override
    public boolean disabled() {
        return Settings.of(env).disabled() || !repo.enabledByConfig();
    }

    /** SPEC §2: the repository has {@code .wyren/} or a memory ref (a teammate's clone joins this way). */
    @Override
    public boolean usesWyren() {
        if (Files.isDirectory(paths.dir(), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        MemoryRefs refs = refs();
        return refs.local().isPresent() || refs.tracking().isPresent();
    }

    @Override
    public LockFile lock() throws Locked, IOException {
        return SyncLock.tryAcquire(paths.syncLock());
    }

    // ---------------------------------------------------------------------------------------- refs

    /** Wyren's refs, a broken one repaired first ({@link RefRepair}). */
    public MemoryRefs refs() {
        return refRepair.refs();
    }

    // ---------------------------------------------------------------------------------------- pull

    @Override
    public PullResult pull(Deadline deadline) {
        try {
            if (disabled()) {
                return new PullResult(PullResult.Fetch.NOT_ATTEMPTED, "", PullResult.Working.DISABLED, Optional.empty());
            }
            if (!usesWyren()) {
                return new PullResult(PullResult.Fetch.NOT_ATTEMPTED, "", PullResult.Working.NOT_INITIALIZED,
                        Optional.empty());
            }
            FetchResult fetch = fetch(deadline);
            // Nothing arrived (no fetch, or the fetched tip is the commit last written out): every Wyren
            // write leaves the working copy showing the local memory commit, so when it still does there
            // is nothing to do, and no git process or lock is needed.
            Optional<String> materialized = working.readState().materialized()
                    .filter(commit -> fetch.outcome() != PullResult.Fetch.FETCHED
                            || repo.trackingRef().flatMap(repo::looseRef).filter(commit::equals).isPresent());
            Optional<PullResult.Working> unchanged = materialized.flatMap(working::unchangedSince);
            if (unchanged.isPresent()) {
                PullResult quiet = new PullResult(fetch.outcome(), fetch.detail(), unchanged.get(), materialized);
                if (fetch.outcome() != PullResult.Fetch.SKIPPED_BY_ENV && fetch.outcome() != PullResult.Fetch.NO_REMOTE) {
                    recordPull(quiet);
                }
                return quiet;
            }
            PullResult result;
            try (LockFile ignored = SyncLock.acquire(paths.syncLock(), lockWait)) {
                Optional<String> tip = materialized.isPresent() ? materialized : integrator.integrateRemote();
                PullResult.Working state = tip.isEmpty() ? PullResult.Working.NOT_INITIALIZED
                        : working.alreadyMaterialized(tip.get()) ? PullResult.Working.UNCHANGED
                        : working.write(tip.get(), working.snapshot(tip.get()));
                result = new PullResult(fetch.outcome(), fetch.detail(), state, tip);
            } catch (Locked locked) {
                result = new PullResult(fetch.outcome(), fetch.detail(), PullResult.Working.LOCKED, Optional.empty());
            }
            recordPull(result);
            return result;
        } catch (IOException | RuntimeException e) {
            log.warn("pull failed", e);
            PullResult failed = new PullResult(PullResult.Fetch.NOT_ATTEMPTED, LogFile.describe(e),
                    PullResult.Working.FAILED, Optional.empty());
            recordPull(failed);
            return failed;
        }
    }

    /**
     * Fetches the memory branch into Wyren's own tracking ref (no other ref is written: the configured
     * refspecs are switched off with an empty {@code --refmap}); fail-open, logged.
     */
    @Override
    public FetchResult fetch(Deadline deadline) {
        if (Settings.of(env).skipPull()) {
            return new FetchResult(PullResult.Fetch.SKIPPED_BY_ENV, "");
        }
        if (repo.remote().isEmpty()) {
            return new FetchResult(PullResult.Fetch.NO_REMOTE, "");
        }
        String remote = repo.remote().get();
        try {
            // Always a pack, kept until the ref is written: loose objects could be pruned by the user's gc first.
            GitResult result = git.call("-c", "fetch.unpackLimit=1", "fetch", "--quiet", "--no-tags", "--no-write-fetch-head",
                            "--no-recurse-submodules", "--refmap=", remote,
                            "+" + repo.remoteRef() + ":" + repo.trackingRef().orElseThrow())
                    .network(deadline.remaining(), repo.userConfiguredSsh())
                    .attempt();
            if (result.ok()) {
                return new FetchResult(PullResult.Fetch.FETCHED, "");
            }
            String message = Publisher.firstLine(result.stderr());
            if (result.stderr().contains("couldn't find remote ref")) {
                return new FetchResult(PullResult.Fetch.NO_REMOTE_BRANCH, message);
            }
            log.info("fetch from " + remote + " failed: " + LogFile.quote(message));
            return new FetchResult(PullResult.Fetch.FAILED, message);
        } catch (GitException e) {
            if (e.kind() == GitException.Kind.TIMED_OUT) {
                log.info("fetch from " + remote + " timed out after " + deadline.remaining().toMillis() + " ms left");
                return new FetchResult(PullResult.Fetch.TIMED_OUT, "timed out");
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------------- push

    @Override
    public PushResult push(String sessionId, Deadline deadline) {
        return commitAndPublish(CommitNotes.message(sessionId), () -> LocalMemory.Changed.NONE, true, deadline);
    }

    /**
     * Changes the memory under the sync lock and commits it (the distiller's write, SPEC §8.8):
     * {@code change} gets the current memory text (hand edits included) and returns the new one.
     * Publishes too when {@code publish}; otherwise the result is {@link PushResult.Outcome#COMMITTED}.
     * With a tracked legacy memory file, or one a person is saving right now, the working copy is not
     * written, only the branch (the person's edit is merged at the next sync).
     */
    @Override
    public PushResult commitMemory(String sessionId, UnaryOperator<String> change, boolean publish, Deadline deadline) {
        return commitAndPublish(CommitNotes.message(sessionId), () -> localMemory.apply(change), publish, deadline);
    }

    @Override
    public String author() {
        return branch.authorName();
    }

    @Override
    public Tombstones tombstones() {
        return localMemory.tombstones();
    }

    @Override
    public PushResult commitTombstones(String message, UnaryOperator<Tombstones> change, Deadline deadline) {
        return commitAndPublish(message, () -> localMemory.forget(change), true, deadline);
    }

    /** A change made under the sync lock, just before the commit. */
    @FunctionalInterface
    private interface LockedChange {
        LocalMemory.Changed apply() throws IOException;
    }

    private PushResult commitAndPublish(String message, LockedChange change, boolean publish, Deadline deadline) {
        PushResult result;
        try {
            result = commitAndPublishLocked(message, change, publish, deadline);
        } catch (IOException | RuntimeException e) {
            log.warn("commit or push failed", e);
            result = new PushResult(PushResult.Outcome.FAILED, Optional.empty(), 0, LogFile.describe(e));
        }
        if (publish && result.outcome() != PushResult.Outcome.DISABLED && result.outcome() != PushResult.Outcome.NOT_INITIALIZED) {
            recordPush(result);
        }
        return result;
    }

    private PushResult commitAndPublishLocked(String message, LockedChange change, boolean publish,
                                              Deadline deadline) throws IOException {
        if (disabled()) {
            return new PushResult(PushResult.Outcome.DISABLED, Optional.empty(), 0, "Wyren is disabled here");
        }
        if (refs().local().isEmpty()) {
            return new PushResult(PushResult.Outcome.NOT_INITIALIZED, Optional.empty(), 0,
                    "no memory branch yet: run 'wyren init'");
        }
        try (LockFile ignored = SyncLock.acquire(paths.syncLock(), lockWait)) {
            working.removeStrays();
            Quarantine.releaseOrphans(repo.objects(), WorkingCopy.STRAY_AFTER);
            if (!lockWait.isZero()) {
                // Only a file someone changed since Wyren wrote it may still be being saved.
                Deadline settle = Deadline.in(SETTLE_WAIT);
                List<String> changed = new ArrayList<>(working.broadcast().keySet());
                changed.add(WyrenPaths.MEMORY);
                for (String treePath : changed) {
                    if (!working.untouchedSinceWritten(treePath)) {
                        WorkingFile.awaitSettled(paths.file(treePath), settle.remaining());
                    }
                }
            }
            Optional<String> committed = localMemory.commit(message, change.apply());
            MemoryRefs refs = refs();
            String local = refs.local().orElseThrow();
            if (!publish) {
                return committed.isPresent()
                        ? new PushResult(PushResult.Outcome.COMMITTED, committed, 0, "committed locally, not pushed")
                        : new PushResult(PushResult.Outcome.NO_CHANGES, Optional.of(local), 0, "nothing to commit");
            }
            if (repo.remote().isEmpty()) {
                return committed.isPresent()
                        ? new PushResult(PushResult.Outcome.COMMITTED_NO_REMOTE, committed, 0, "no remote configured")
                        : new PushResult(PushResult.Outcome.NO_CHANGES, Optional.of(local), 0, "nothing to commit");
            }
            if (refs.tracking().filter(local::equals).isPresent()) {
                return new PushResult(PushResult.Outcome.NO_CHANGES, Optional.of(local), 0, "remote already up to date");
            }
            return publisher.publish(local, deadline, this::fetch, () -> {
                String current = integrator.integrateRemote().orElseThrow();
                working.write(current, working.snapshot(current));
                return current;
            });
        } catch (Locked locked) {
            return new PushResult(PushResult.Outcome.LOCKED, Optional.empty(), 0, locked.getMessage());
        }
    }

    /**
     * The memory as this machine sees it: the working copy (hand edits included) or, when that is
     * missing, unusable, half written or still tracked (legacy), the local memory commit's.
     */
    @Override
    public Optional<String> memoryText() {
        return localMemory.text();
    }

    /** Broadcast files of the working copy by path under {@code .wyren/broadcast/}: UTF-8 text only. */
    @Override
    public Map<String, String> broadcastFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        working.broadcast().forEach((path, file) -> WorkingFile.utf8(file.bytes()).filter(t -> t.indexOf('\0') < 0)
                .ifPresent(text -> files.put(path.substring(WyrenPaths.BROADCAST.length()), text)));
        return files;
    }

    // ---------------------------------------------------------------------------------------- init

    /**
     * {@code wyren init} (SPEC §9): join the remote memory branch if there is one, else create the
     * branch from a tracked legacy memory file, the seed, or a skeleton; materialize; push.
     */
    @Override
    public InitResult initialize(Optional<MemoryDocument> seed, Deadline deadline) throws Locked, IOException {
        working.ensureDir();
        FetchResult fetch = fetch(deadline.within(Duration.ofSeconds(3)));
        boolean legacy = memoryTracked();
        InitResult.Kind kind;
        try (LockFile ignored = SyncLock.acquire(paths.syncLock(), lockWait)) {
            MemoryRefs refs = refs();
            if (refs.local().isPresent()) {
                kind = InitResult.Kind.ALREADY;
            } else if (refs.tracking().isPresent()) {
                kind = InitResult.Kind.JOINED;
            } else {
                MemoryDocument first = legacy ? legacyMemory().orElse(MemoryDocument.skeleton())
                        : seed.orElse(MemoryDocument.skeleton());
                TreeMerge.Capped content = TreeMerge.cap(Redactor.redact(first.render()).text().getBytes(StandardCharsets.UTF_8));
                Snapshot files = new Snapshot(Map.of(WyrenPaths.MEMORY, content.content()));
                String commit = branch.commit(repo.localRef(), repo.zeroId(), Optional.empty(), files, CommitNotes.withCapNotes(
                        "[wyren] start team memory" + (legacy ? " (imported tracked .wyren/memory.md)" : ""),
                        new TreeMerge.Outcome(files, content.dropped(), content.shortened(), List.of(), List.of())));
                kind = InitResult.Kind.CREATED;
                log.info("created memory branch at " + ShortId.of(commit));
            }
            Optional<String> tip = integrator.integrateRemote();
            working.write(tip.orElseThrow(), working.snapshot(tip.orElseThrow()));
        }
        PushResult push = push("manual", deadline);
        return new InitResult(kind, legacy, fetch, push);
    }

    private Optional<MemoryDocument> legacyMemory() {
        if (working.memory() instanceof WorkingFile.Regular regular) {
            return Optional.of(MemoryDocument.parse(new String(regular.bytes(), StandardCharsets.UTF_8)));
        }
        GitResult staged = git.call("show", ":" + WyrenPaths.MEMORY).attempt();
        return staged.ok() ? Optional.of(MemoryDocument.parse(staged.stdout())) : Optional.empty();
    }

    // ---------------------------------------------------------------------------------------- status

    @Override
    public List<MemoryVersion> history(int limit) {
        return refs().local().map(tip -> new MemoryHistory(git, branch).of(tip, limit)).orElse(List.of());
    }

    @Override
    public Inspection inspect() {
        MemoryRefs refs = refs();
        int ahead = 0;
        int behind = 0;
        if (refs.local().isPresent() && refs.tracking().isPresent()) {
            GitResult counts = git.call("rev-list", "--left-right", "--count",
                    refs.local().get() + "..." + refs.tracking().get()).attempt();
            String[] parts = counts.line().split("\\s+");
            if (counts.ok() && parts.length == 2) {
                ahead = Integer.parseInt(parts[0]);
                behind = Integer.parseInt(parts[1]);
            }
        }
        Optional<String> author = Optional.empty();
        Optional<Instant> when = Optional.empty();
        if (refs.tracking().isPresent()) {
            GitResult tipLog = git.call("log", "-1", "--format=%an <%ae>%x00%aI", refs.tracking().get()).attempt();
            String[] parts = tipLog.line().split("\0");
            if (tipLog.ok() && parts.length == 2) {
                author = Optional.of(parts[0]);
                when = Optional.of(java.time.OffsetDateTime.parse(parts[1]).toInstant());
            }
        }
        List<CommitNotes.Drop> drops = refs.local().map(tip -> CommitNotes.recentDrops(git, tip)).orElse(List.of());
        SyncState state = working.readState();
        boolean legacy = memoryTracked();
        return new Inspection(location(), refs.local(), refs.tracking(), ahead,
                behind, author, when, SyncLock.inspect(paths.syncLock()), working.handEdits(state, legacy), legacy, state, drops);
    }

    // ---------------------------------------------------------------------------------------- plumbing

    /** Makes sure {@code .wyren/} exists with its {@code .gitignore} before a hook writes state into it. */
    @Override
    public void prepareWorkingDir() throws IOException {
        working.ensureDir();
    }

    /**
     * The team still tracks {@code .wyren/memory.md} on its branch (original Node Wyren). Asked once
     * per instance: a GitSync lives for one command or hook, and only the user's own commit changes it.
     */
    public boolean memoryTracked() {
        if (memoryTracked == null) {
            memoryTracked = new RepoFacts(repo.root(), repo.gitDir(), paths.state(), env).memoryTracked(WyrenPaths.MEMORY);
        }
        return memoryTracked;
    }

    private void recordPull(PullResult result) {
        working.record(s -> s.withPull(SyncState.Event.now(result.reason(), result.fetchDetail())), "pull");
    }

    private void recordPush(PushResult result) {
        working.record(s -> s.withPush(SyncState.Event.now(result.reason(), result.detail())), "push");
    }
}
