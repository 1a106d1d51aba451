package sync;

import memory.Env;
import memory.MemoryDocument;
import memory.Redactor;
import memory.StateFiles;
import memory.SyncState;
import memory.LogFile;
import memory.WyrenPaths;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * {@link WyrenSync} on a dedicated memory branch (SPEC §2–§4).
 *
 * <p>Outside {@code .wyren/}, Wyren's own ref ({@link Repo#localRef()}) and the remote-tracking ref of
 * the memory branch, nothing in the user's repository changes: commits are made with plumbing
 * through a temporary index, refs move only by compare-and-swap, and only the memory branch is ever
 * pushed. The working copy under {@code .wyren/} is a view of the local memory commit that never
 * overwrites a hand edit.
 */
public final class GitSync implements WyrenSync {

    public static final Duration PUSH_CAP = Duration.ofSeconds(10);
    /** How long the CLI and the distiller wait for the sync lock (hooks never wait). */
    public static final Duration CLI_LOCK_WAIT = Duration.ofSeconds(60);
    public static final int MAX_PUSH_ATTEMPTS = 3;
    static final long MAX_FILE_BYTES = 1_000_000;

    private final Repo repo;
    private final Git git;
    private final WyrenPaths paths;
    private final Env env;
    private final LogFile log;
    private final Duration lockWait;
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
    }

    public static GitSync open(Path cwd, Env env, String component, Duration lockWait) throws NotARepository {
        Repo repo = Repo.discover(cwd, env);
        return new GitSync(repo, env, new LogFile(repo.paths().log(), component), lockWait);
    }

    public Repo repo() {
        return repo;
    }

    public LogFile log() {
        return log;
    }

    /** {@code WYREN_DISABLE} in this process, or {@code wyren.enabled=false} in this repository. */
    public boolean disabled() {
        return env.truthy("WYREN_DISABLE") || !repo.enabledByConfig();
    }

    /** SPEC §2: the repository has {@code .wyren/} or a memory ref (a teammate's clone joins this way). */
    public boolean usesWyren() {
        if (Files.isDirectory(paths.dir())) {
            return true;
        }
        Refs refs = refs();
        return refs.local().isPresent() || refs.tracking().isPresent();
    }

    @Override
    public SyncLock lock() throws Locked {
        return SyncLock.tryAcquire(paths.syncLock());
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
            PullResult result;
            try (SyncLock ignored = SyncLock.acquire(paths.syncLock(), lockWait)) {
                Optional<String> tip = integrateRemote();
                PullResult.Working working = tip.isEmpty() ? PullResult.Working.NOT_INITIALIZED
                        : alreadyMaterialized(tip.get()) ? PullResult.Working.UNCHANGED
                        : writeWorkingCopy(tip.get(), snapshot(tip.get()));
                result = new PullResult(fetch.outcome(), fetch.detail(), working, tip);
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

    /** The network half of a pull, with its reason. */
    public record FetchResult(PullResult.Fetch outcome, String detail) {}

    /** Fetches the memory branch into its remote-tracking ref; fail-open, logged. */
    public FetchResult fetch(Deadline deadline) {
        if (env.truthy("WYREN_SKIP_PULL")) {
            return new FetchResult(PullResult.Fetch.SKIPPED_BY_ENV, "");
        }
        if (repo.remote().isEmpty()) {
            return new FetchResult(PullResult.Fetch.NO_REMOTE, "");
        }
        String remote = repo.remote().get();
        try {
            GitResult result = git.call("fetch", "--quiet", "--no-tags", "--no-write-fetch-head",
                            "--no-recurse-submodules", remote,
                            "+" + repo.remoteRef() + ":" + repo.trackingRef().orElseThrow())
                    .network(deadline.remaining(), repo.userConfiguredSsh())
                    .attempt();
            if (result.ok()) {
                return new FetchResult(PullResult.Fetch.FETCHED, "");
            }
            String message = firstLine(result.stderr());
            if (result.stderr().contains("couldn't find remote ref")) {
                return new FetchResult(PullResult.Fetch.NO_REMOTE_BRANCH, message);
            }
            log.info("fetch from " + remote + " failed: " + message);
            return new FetchResult(PullResult.Fetch.FAILED, message);
        } catch (GitException e) {
            if (e.kind() == GitException.Kind.TIMED_OUT) {
                log.info("fetch from " + remote + " timed out after " + deadline.remaining().toMillis() + " ms left");
                return new FetchResult(PullResult.Fetch.TIMED_OUT, "timed out");
            }
            throw e;
        }
    }

    /**
     * Brings the local memory ref up to the remote-tracking one: create, fast-forward, or (both
     * moved) merge into a new commit on the remote tip. Returns the local tip, if there is one.
     */
    private Optional<String> integrateRemote() throws IOException {
        Refs refs = refs();
        if (refs.tracking().isEmpty()) {
            return refs.local();
        }
        String remoteTip = refs.tracking().get();
        if (!refs.local().equals(refs.tracking())) {
            requireMemoryBranch(remoteTip);
        }
        if (refs.local().isEmpty()) {
            updateRef(repo.localRef(), remoteTip, repo.zeroId());
            return Optional.of(remoteTip);
        }
        String local = refs.local().get();
        if (local.equals(remoteTip)) {
            return Optional.of(local);
        }
        Optional<String> base = mergeBase(local, remoteTip);
        if (base.isPresent() && base.get().equals(remoteTip)) {
            return Optional.of(local);
        }
        if (base.isPresent() && base.get().equals(local)) {
            updateRef(repo.localRef(), remoteTip, local);
            return Optional.of(remoteTip);
        }
        return Optional.of(rebuildOn(remoteTip, local, base));
    }

    /**
     * Refuses a remote branch that holds anything besides {@code .wyren/}: {@code wyren.branch}
     * pointing at a code branch must never lead Wyren to commit on it or push over it.
     */
    private void requireMemoryBranch(String commit) {
        List<String> top = git.call("ls-tree", "--name-only", commit).run().stdout().lines()
                .filter(l -> !l.isBlank()).toList();
        if (!top.stream().allMatch(WyrenPaths.DIR::equals)) {
            throw new IllegalStateException("the remote branch " + repo.branch() + " holds files outside " + WyrenPaths.DIR
                    + " (" + String.join(", ", top.subList(0, Math.min(3, top.size()))) + "): it is not a memory branch;"
                    + " check git config wyren.branch");
        }
    }

    /**
     * Replaces local commits not on the remote with one commit on the remote tip holding their
     * merged change: the memory history stays linear and the remote wins as the base.
     */
    private String rebuildOn(String remoteTip, String local, Optional<String> base) throws IOException {
        TreeMerge.Outcome merged = TreeMerge.merge(base.map(this::snapshot).orElse(Snapshot.empty()),
                snapshot(local), snapshot(remoteTip), repo.objectFormat());
        report(merged);
        String commit = commitTree(Optional.of(remoteTip), merged.result(), messageOf(local));
        updateRef(repo.localRef(), commit, local);
        log.info("merged local memory " + shortId(local) + " onto remote " + shortId(remoteTip) + " as " + shortId(commit));
        return commit;
    }

    // ---------------------------------------------------------------------------------------- push

    @Override
    public PushResult push(String sessionId, Deadline deadline) {
        return commitAndPublish(sessionId, Optional.empty(), true, deadline);
    }

    /**
     * Changes the memory under the sync lock and commits it (the distiller's write, SPEC §8.8):
     * {@code change} gets the current memory text (hand edits included) and returns the new one.
     * Publishes too when {@code publish}; otherwise the result is {@link PushResult.Outcome#COMMITTED}.
     * With a tracked legacy memory file the working copy is not written, only the branch.
     */
    public PushResult commitMemory(String sessionId, UnaryOperator<String> change, boolean publish, Deadline deadline) {
        return commitAndPublish(sessionId, Optional.of(change), publish, deadline);
    }

    private PushResult commitAndPublish(String sessionId, Optional<UnaryOperator<String>> change, boolean publish,
                                        Deadline deadline) {
        PushResult result;
        try {
            result = commitAndPublishLocked(sessionId, change, publish, deadline);
        } catch (IOException | RuntimeException e) {
            log.warn("commit or push failed", e);
            result = new PushResult(PushResult.Outcome.FAILED, Optional.empty(), 0, LogFile.describe(e));
        }
        if (publish && result.outcome() != PushResult.Outcome.DISABLED && result.outcome() != PushResult.Outcome.NOT_INITIALIZED) {
            recordPush(result);
        }
        return result;
    }

    private PushResult commitAndPublishLocked(String sessionId, Optional<UnaryOperator<String>> change, boolean publish,
                                              Deadline deadline) throws IOException {
        if (disabled()) {
            return new PushResult(PushResult.Outcome.DISABLED, Optional.empty(), 0, "Wyren is disabled here");
        }
        if (refs().local().isEmpty()) {
            return new PushResult(PushResult.Outcome.NOT_INITIALIZED, Optional.empty(), 0,
                    "no memory branch yet: run 'wyren init'");
        }
        try (SyncLock ignored = SyncLock.acquire(paths.syncLock(), lockWait)) {
            Optional<byte[]> memoryOverride = Optional.empty();
            if (change.isPresent()) {
                boolean legacy = memoryTracked();
                WorkingFile working = readWorking(paths.memory());
                byte[] updated = change.get().apply(memoryText().orElse("")).getBytes(StandardCharsets.UTF_8);
                if (legacy) {
                    memoryOverride = Optional.of(updated);
                } else {
                    ensureWyrenDir();
                    if (!(working instanceof WorkingFile.Regular)) {
                        // The change was made to the branch's memory: record that as what the
                        // working copy held, so the merge takes it as the base.
                        String tipMemory = snapshot(refs().local().orElseThrow()).get(WyrenPaths.MEMORY).map(this::blobId).orElse(null);
                        updateState(st -> {
                            Map<String, String> files = new HashMap<>(st.files());
                            if (tipMemory == null) {
                                files.remove(WyrenPaths.MEMORY);
                            } else {
                                files.put(WyrenPaths.MEMORY, tipMemory);
                            }
                            return st.withMaterialized(st.materializedCommit(), files);
                        });
                    }
                    if (working instanceof WorkingFile.Unusable unusable) {
                        moveAside(paths.memory(), unusable.why());
                    }
                    writeFile(paths.memory(), updated);
                }
            }
            Optional<String> committed = commitWorkingCopy(sessionId, memoryOverride);
            Refs refs = refs();
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
            return publish(local, deadline);
        } catch (Locked locked) {
            return new PushResult(PushResult.Outcome.LOCKED, Optional.empty(), 0, locked.getMessage());
        }
    }

    /**
     * The memory as this machine sees it: the working copy (hand edits included) or, when that is
     * missing or unusable or the file is still tracked (legacy), the local memory commit's.
     */
    public Optional<String> memoryText() {
        if (!memoryTracked() && readWorking(paths.memory()) instanceof WorkingFile.Regular regular) {
            return Optional.of(new String(regular.bytes(), StandardCharsets.UTF_8));
        }
        return refs().local().flatMap(tip -> snapshot(tip).get(WyrenPaths.MEMORY))
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /** Broadcast files of the working copy by path under {@code .wyren/broadcast/} (no symlinks or escapes). */
    public Map<String, String> broadcastFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        workingBroadcast().forEach((path, bytes) -> utf8(bytes).ifPresent(text ->
                files.put(path.substring(WyrenPaths.BROADCAST.length()), text)));
        return files;
    }

    /**
     * Commits the working copy's changes onto the local memory tip (SPEC §3 push 1–2): a 3-way
     * merge of what was materialized (base), the working copy (ours, redacted) and the current tip
     * (theirs). Returns the new commit, or empty when the result equals the tip.
     */
    private Optional<String> commitWorkingCopy(String sessionId, Optional<byte[]> memoryOverride) throws IOException {
        String tip = refs().local().orElseThrow();
        Snapshot tipFiles = snapshot(tip);
        SyncState state = readState();
        Map<String, byte[]> baseFiles = new HashMap<>(blobs(state.files()).files());
        if (memoryOverride.isPresent()) {
            // The override was made from the tip's memory (a tracked legacy file is never
            // materialized): that is its base, so its removals are removals.
            tipFiles.get(WyrenPaths.MEMORY).ifPresentOrElse(m -> baseFiles.put(WyrenPaths.MEMORY, m),
                    () -> baseFiles.remove(WyrenPaths.MEMORY));
        }
        Snapshot base = new Snapshot(baseFiles);
        Map<String, byte[]> ours = new HashMap<>(base.files());
        Map<String, String> rawIds = new HashMap<>();
        int redactions = 0;
        if (memoryOverride.isPresent()) {
            Redactor.Result redacted = Redactor.redact(new String(memoryOverride.get(), StandardCharsets.UTF_8));
            redactions += redacted.count();
            ours.put(WyrenPaths.MEMORY, redacted.text().getBytes(StandardCharsets.UTF_8));
        } else if (!memoryTracked() && readWorking(paths.memory()) instanceof WorkingFile.Regular regular) {
            Redactor.Result redacted = Redactor.redact(new String(regular.bytes(), StandardCharsets.UTF_8));
            redactions += redacted.count();
            ours.put(WyrenPaths.MEMORY, redacted.text().getBytes(StandardCharsets.UTF_8));
            rawIds.put(WyrenPaths.MEMORY, blobId(regular.bytes()));
        }
        ours.keySet().removeIf(p -> p.startsWith(WyrenPaths.BROADCAST));
        for (Map.Entry<String, byte[]> file : workingBroadcast().entrySet()) {
            byte[] content = file.getValue();
            Optional<String> text = utf8(content);
            if (text.isPresent()) {
                Redactor.Result redacted = Redactor.redact(text.get());
                redactions += redacted.count();
                content = redacted.text().getBytes(StandardCharsets.UTF_8);
            }
            ours.put(file.getKey(), content);
            rawIds.put(file.getKey(), blobId(file.getValue()));
        }
        if (redactions > 0) {
            log.info("redacted " + redactions + " secret(s) from .wyren before committing");
        }
        TreeMerge.Outcome merged = TreeMerge.merge(base, new Snapshot(ours), tipFiles, repo.objectFormat());
        report(merged);
        Optional<String> commit = Optional.empty();
        String newTip = tip;
        if (!merged.result().sameAs(tipFiles)) {
            newTip = commitTree(Optional.of(tip), merged.result(), message(sessionId));
            updateRef(repo.localRef(), newTip, tip);
            commit = Optional.of(newTip);
            log.info("committed memory " + shortId(newTip) + " on " + shortId(tip));
        }
        // What we just read is now published: record it as materialized, so writing the merged
        // result below replaces it (a hand edit made after this point would still be kept).
        Map<String, String> recorded = new HashMap<>(state.files());
        recorded.putAll(rawIds);
        updateState(s -> s.withMaterialized(s.materializedCommit(), recorded));
        writeWorkingCopy(newTip, merged.result());
        return commit;
    }

    private PushResult publish(String local, Deadline deadline) throws IOException {
        String remote = repo.remote().orElseThrow();
        String current = local;
        for (int attempt = 1; attempt <= MAX_PUSH_ATTEMPTS; attempt++) {
            GitResult result;
            try {
                result = git.call("push", "--porcelain", "--no-verify", remote,
                                repo.localRef() + ":" + repo.remoteRef())
                        .network(deadline.cap(PUSH_CAP), repo.userConfiguredSsh())
                        .attempt();
            } catch (GitException e) {
                if (e.kind() != GitException.Kind.TIMED_OUT) {
                    throw e;
                }
                return new PushResult(PushResult.Outcome.PUSH_FAILED, Optional.of(current), attempt,
                        "push to " + remote + " timed out; the commit stays local until the next sync");
            }
            PushLine line = PushLine.find(result.stdout(), repo.remoteRef());
            if (result.ok() && line.accepted()) {
                updateRef(repo.trackingRef().orElseThrow(), current, null);
                log.info("pushed " + shortId(current) + " to " + remote + "/" + repo.branch() + " (attempt " + attempt + ")");
                return new PushResult(PushResult.Outcome.PUSHED, Optional.of(current), attempt,
                        "pushed to " + remote + "/" + repo.branch());
            }
            if (line.behindRemote()) {
                log.info("push attempt " + attempt + " rejected as non-fast-forward (" + line.summary() + "); merging the remote tip");
                FetchResult fetched = fetch(deadline.within(PUSH_CAP));
                if (fetched.outcome() != PullResult.Fetch.FETCHED) {
                    return new PushResult(PushResult.Outcome.PUSH_FAILED, Optional.of(current), attempt,
                            "behind the remote and could not fetch it (" + fetched.detail() + ")");
                }
                Optional<String> integrated = integrateRemote();
                current = integrated.orElseThrow();
                writeWorkingCopy(current, snapshot(current));
                if (refs().tracking().filter(current::equals).isPresent()) {
                    return new PushResult(PushResult.Outcome.PUSHED, Optional.of(current), attempt,
                            "the remote already had this change");
                }
                continue;
            }
            String why = line.summary().isEmpty() ? firstLine(result.stderr()) : line.summary() + " " + firstLine(result.stderr());
            if (line.rejected()) {
                log.info("push rejected by " + remote + ": " + why);
                return new PushResult(PushResult.Outcome.REJECTED, Optional.of(current), attempt,
                        "rejected by " + remote + ": " + why.strip());
            }
            log.info("push to " + remote + " failed: " + why);
            return new PushResult(PushResult.Outcome.PUSH_FAILED, Optional.of(current), attempt,
                    "push to " + remote + " failed: " + why.strip());
        }
        return new PushResult(PushResult.Outcome.PUSH_FAILED, Optional.of(current), MAX_PUSH_ATTEMPTS,
                "still behind " + remote + " after " + MAX_PUSH_ATTEMPTS + " attempts; the commit stays local until the next sync");
    }

    /** One ref's line of {@code git push --porcelain}: {@code <flag>\t<from>:<to>\t<summary>}. */
    record PushLine(char flag, String summary) {
        static PushLine find(String porcelain, String remoteRef) {
            for (String line : porcelain.split("\n")) {
                String[] parts = line.split("\t", 3);
                if (parts.length >= 2 && parts[0].length() == 1 && parts[1].endsWith(":" + remoteRef)) {
                    return new PushLine(parts[0].charAt(0), parts.length > 2 ? parts[2].strip() : "");
                }
            }
            return new PushLine('?', "");
        }

        boolean accepted() {
            return flag == ' ' || flag == '*' || flag == '=' || flag == '+';
        }

        boolean rejected() {
            return flag == '!';
        }

        /**
         * Someone else moved the remote branch first: a non-fast-forward, or a push that lost the
         * race inside the server ("failed to update ref": the ref changed while it was receiving).
         */
        boolean behindRemote() {
            return rejected() && (summary.contains("non-fast-forward") || summary.contains("fetch first")
                    || summary.contains("failed to update ref") || summary.contains("failed to lock"));
        }
    }

    // ---------------------------------------------------------------------------------------- init

    /** How {@link #initialize} found or made the memory branch. */
    public enum InitKind { CREATED, JOINED, ALREADY }

    /**
     * @param kind          what happened to the memory branch
     * @param legacyTracked {@code .wyren/memory.md} is tracked on the user's branch (original Wyren)
     * @param fetch         how fetching the remote's memory branch went
     * @param push          publishing the result
     */
    public record InitResult(InitKind kind, boolean legacyTracked, FetchResult fetch, PushResult push) {}

    /**
     * {@code wyren init} (SPEC §9): join the remote memory branch if there is one, else create the
     * branch from a tracked legacy memory file, the seed, or a skeleton; materialize; push.
     */
    public InitResult initialize(Optional<MemoryDocument> seed, Deadline deadline) throws Locked, IOException {
        ensureWyrenDir();
        FetchResult fetch = fetch(deadline.within(Duration.ofSeconds(3)));
        boolean legacy = memoryTracked();
        InitKind kind;
        try (SyncLock ignored = SyncLock.acquire(paths.syncLock(), lockWait)) {
            Refs refs = refs();
            if (refs.local().isPresent()) {
                kind = InitKind.ALREADY;
            } else if (refs.tracking().isPresent()) {
                kind = InitKind.JOINED;
            } else {
                MemoryDocument first = legacy ? legacyMemory().orElse(MemoryDocument.skeleton())
                        : seed.orElse(MemoryDocument.skeleton());
                byte[] content = TreeMerge.cap(Redactor.redact(first.render()).text().getBytes(StandardCharsets.UTF_8)).content();
                String commit = commitTree(Optional.empty(), new Snapshot(Map.of(WyrenPaths.MEMORY, content)),
                        "[wyren] start team memory" + (legacy ? " (imported tracked .wyren/memory.md)" : ""));
                updateRef(repo.localRef(), commit, repo.zeroId());
                kind = InitKind.CREATED;
                log.info("created memory branch at " + shortId(commit));
            }
            Optional<String> tip = integrateRemote();
            writeWorkingCopy(tip.orElseThrow(), snapshot(tip.orElseThrow()));
        }
        PushResult push = push("manual", deadline);
        return new InitResult(kind, legacy, fetch, push);
    }

    private Optional<MemoryDocument> legacyMemory() {
        if (readWorking(paths.memory()) instanceof WorkingFile.Regular regular) {
            return Optional.of(MemoryDocument.parse(new String(regular.bytes(), StandardCharsets.UTF_8)));
        }
        GitResult staged = git.call("show", ":" + WyrenPaths.MEMORY).attempt();
        return staged.ok() ? Optional.of(MemoryDocument.parse(staged.stdout())) : Optional.empty();
    }

    // ---------------------------------------------------------------------------------------- status

    /** Everything {@code wyren status} reports about sync, read without network access. */
    public record Inspection(Optional<String> remote, String branch, String localRef, Optional<String> localCommit,
                             Optional<String> remoteCommit, int ahead, int behind, Optional<String> remoteTipAuthor,
                             Optional<Instant> remoteTipTime, Optional<SyncLock.Holder> lock, List<String> handEdits,
                             boolean legacyTracked, SyncState state) {}

    public Inspection inspect() {
        Refs refs = refs();
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
        SyncState state = readState();
        boolean legacy = memoryTracked();
        return new Inspection(repo.remote(), repo.branch(), repo.localRef(), refs.local(), refs.tracking(), ahead,
                behind, author, when, SyncLock.inspect(paths.syncLock()), handEdits(state, legacy), legacy, state);
    }

    /** Working-copy files that differ from what was last materialized: published at the next push. */
    private List<String> handEdits(SyncState state, boolean legacy) {
        TreeSet<String> edited = new TreeSet<>();
        for (Map.Entry<String, String> recorded : state.files().entrySet()) {
            if (legacy && recorded.getKey().equals(WyrenPaths.MEMORY)) {
                continue;
            }
            WorkingFile wc = readWorking(paths.file(recorded.getKey()));
            if (wc instanceof WorkingFile.Regular regular && !blobId(regular.bytes()).equals(recorded.getValue())) {
                edited.add(recorded.getKey());
            } else if (wc instanceof WorkingFile.Missing && recorded.getKey().startsWith(WyrenPaths.BROADCAST)) {
                edited.add(recorded.getKey() + " (deleted)");
            }
        }
        workingBroadcast().keySet().stream().filter(p -> !state.files().containsKey(p)).forEach(p -> edited.add(p + " (new)"));
        return List.copyOf(edited);
    }

    // --------------------------------------------------------------------------- working copy

    /**
     * The working copy was last written from {@code tip} and every file is still as written: a pull
     * has nothing to do, and reads no tree (the hooks' common case).
     */
    private boolean alreadyMaterialized(String tip) {
        SyncState state = readState();
        if (!tip.equals(state.materializedCommit()) || !state.files().containsKey(WyrenPaths.MEMORY) && !memoryTracked()) {
            return false;
        }
        for (Map.Entry<String, String> file : state.files().entrySet()) {
            if (!(readWorking(paths.file(file.getKey())) instanceof WorkingFile.Regular regular)
                    || !blobId(regular.bytes()).equals(file.getValue())) {
                return false;
            }
        }
        return workingBroadcast().keySet().stream().allMatch(state.files()::containsKey);
    }

    /** A working-copy file as found on disk. */
    sealed interface WorkingFile {
        record Regular(byte[] bytes) implements WorkingFile {}

        record Missing() implements WorkingFile {}

        /** A directory, symlink, special file, or a file too large or binary to be memory. */
        record Unusable(String why) implements WorkingFile {}
    }

    private WorkingFile readWorking(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return new WorkingFile.Unusable(attributes.isDirectory() ? "a directory"
                        : attributes.isSymbolicLink() ? "a symlink" : "not a regular file");
            }
            if (attributes.size() > MAX_FILE_BYTES) {
                return new WorkingFile.Unusable("larger than " + MAX_FILE_BYTES + " bytes");
            }
            byte[] bytes = Files.readAllBytes(file);
            if (file.equals(paths.memory()) && utf8(bytes).filter(t -> t.indexOf('\0') < 0).isEmpty()) {
                return new WorkingFile.Unusable("not UTF-8 text");
            }
            return new WorkingFile.Regular(bytes);
        } catch (NoSuchFileException e) {
            return new WorkingFile.Missing();
        } catch (IOException e) {
            return new WorkingFile.Unusable("unreadable: " + e.getMessage());
        }
    }

    /** Regular files under {@code .wyren/broadcast/} (no symlinks, nothing escaping it), by tree path. */
    private Map<String, byte[]> workingBroadcast() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Path dir = paths.broadcast();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.sorted().toList()) {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || isTempFile(file)) {
                    continue;
                }
                if (readWorking(file) instanceof WorkingFile.Regular regular) {
                    files.put(paths.treePath(file), regular.bytes());
                } else {
                    log.info("skipped broadcast file " + paths.treePath(file) + ": not a small regular file");
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("could not list " + WyrenPaths.BROADCAST, e);
        }
        return files;
    }

    private static boolean isTempFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    /**
     * Writes the tree's files into the working copy (SPEC §3 pull 4–5): a file still as last
     * materialized, or missing, is replaced; a file with other content is a hand edit and stays; a
     * file the tree no longer has is deleted only if unchanged. A tracked legacy memory file is
     * never written.
     */
    private PullResult.Working writeWorkingCopy(String commit, Snapshot tree) throws IOException {
        ensureWyrenDir();
        SyncState state = readState();
        Map<String, String> recorded = new HashMap<>(state.files());
        boolean legacy = memoryTracked();
        TreeSet<String> all = new TreeSet<>(tree.files().keySet());
        all.addAll(recorded.keySet());
        boolean changed = false;
        boolean kept = false;
        for (String treePath : all) {
            if (legacy && treePath.equals(WyrenPaths.MEMORY)) {
                continue;
            }
            Path file = paths.file(treePath);
            if (!WyrenPaths.isMemoryTreePath(treePath) || !insideWyrenDir(file)) {
                recorded.remove(treePath);
                continue;
            }
            WorkingFile wc = readWorking(file);
            Optional<byte[]> target = tree.get(treePath);
            String before = recorded.get(treePath);
            if (target.isPresent()) {
                String targetId = blobId(target.get());
                if (wc instanceof WorkingFile.Regular regular) {
                    String id = blobId(regular.bytes());
                    if (id.equals(targetId)) {
                        recorded.put(treePath, targetId);
                    } else if (id.equals(before)) {
                        if (writeFile(file, target.get())) {
                            changed = true;
                            recorded.put(treePath, targetId);
                        }
                    } else {
                        kept = true;
                    }
                } else {
                    if (wc instanceof WorkingFile.Unusable unusable) {
                        if (!moveAside(file, unusable.why())) {
                            continue;
                        }
                    }
                    if (writeFile(file, target.get())) {
                        changed = true;
                        recorded.put(treePath, targetId);
                    }
                }
            } else if (wc instanceof WorkingFile.Regular regular) {
                if (blobId(regular.bytes()).equals(before)) {
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
        updateState(s -> s.withMaterialized(commit, recorded));
        return changed ? PullResult.Working.UPDATED : kept ? PullResult.Working.HAND_EDIT_KEPT : PullResult.Working.UNCHANGED;
    }

    /** Writes a file under {@code .wyren/} atomically, refusing a parent that resolves elsewhere. */
    private boolean writeFile(Path file, byte[] content) throws IOException {
        if (!insideWyrenDir(file)) {
            log.info("not writing " + paths.treePath(file) + ": its folder leads outside " + WyrenPaths.DIR);
            return false;
        }
        Files.createDirectories(file.getParent());
        if (!insideWyrenDir(file)) {
            return false;
        }
        memory.AtomicFiles.write(file, content);
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
    private boolean moveAside(Path file, String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".moved-" + System.currentTimeMillis());
        try {
            Files.move(file, aside);
            log.info(paths.treePath(file) + " was " + why + "; moved to " + aside.getFileName() + " and rewritten");
            return true;
        } catch (IOException e) {
            log.warn("cannot replace " + paths.treePath(file) + " (" + why + ")", e);
            return false;
        }
    }

    /** Makes sure {@code .wyren/} exists with its {@code .gitignore} before a hook writes state into it. */
    public void prepareWorkingDir() throws IOException {
        ensureWyrenDir();
    }

    /** Creates {@code .wyren/} with its {@code .gitignore} ({@code *}) before anything else goes in. */
    private void ensureWyrenDir() throws IOException {
        Files.createDirectories(paths.dir());
        Path ignore = paths.gitignore();
        boolean current = Files.isRegularFile(ignore, LinkOption.NOFOLLOW_LINKS)
                && WyrenPaths.IGNORE_ALL.equals(Files.readString(ignore));
        if (!current) {
            memory.AtomicFiles.write(ignore, WyrenPaths.IGNORE_ALL);
        }
        Files.createDirectories(paths.state());
    }

    /**
     * The team still tracks {@code .wyren/memory.md} on its branch (original Node Wyren). Asked once
     * per instance: a GitSync lives for one command or hook, and only the user's own commit changes it.
     */
    public boolean memoryTracked() {
        if (memoryTracked == null) {
            memoryTracked = !git.call("ls-files", "-z", "--", WyrenPaths.MEMORY).run().stdout().isEmpty();
        }
        return memoryTracked;
    }

    // ---------------------------------------------------------------------------------------- plumbing

    /** Wyren's local ref and the remote-tracking ref, read in one call. */
    public record Refs(Optional<String> local, Optional<String> tracking) {}

    public Refs refs() {
        List<String> patterns = new ArrayList<>(List.of(repo.localRef()));
        repo.trackingRef().ifPresent(patterns::add);
        List<String> args = new ArrayList<>(List.of("for-each-ref", "--format=%(refname) %(objectname)"));
        args.addAll(patterns);
        Map<String, String> found = new HashMap<>();
        for (String line : git.call(args).run().stdout().split("\n")) {
            String[] parts = line.split(" ");
            if (parts.length == 2) {
                found.put(parts[0], parts[1]);
            }
        }
        return new Refs(Optional.ofNullable(found.get(repo.localRef())),
                repo.trackingRef().map(found::get));
    }

    private Optional<String> mergeBase(String a, String b) {
        GitResult result = git.call("merge-base", a, b).attempt();
        return result.ok() ? Optional.of(result.line()) : Optional.empty();
    }

    /** {@code [wyren] memory update (session <first 8>)}, or {@code (manual)} from the CLI. */
    private static String message(String sessionId) {
        String label = "manual".equals(sessionId) ? "manual" : "session " + sessionId.substring(0, Math.min(8, sessionId.length()));
        return "[wyren] memory update (" + label + ")";
    }

    /** The message of a commit being rebuilt on the remote tip, kept as it was. */
    private String messageOf(String commit) {
        String previous = git.call("log", "-1", "--format=%B", commit).run().stdout().strip();
        return previous.isEmpty() ? "[wyren] memory update" : previous;
    }

    /** The files of a commit's tree under {@code .wyren/} (regular blobs only). */
    Snapshot snapshot(String commit) {
        GitResult tree = git.call("ls-tree", "-r", "-z", "--full-tree", commit, "--", WyrenPaths.DIR).run();
        Map<String, String> ids = new LinkedHashMap<>();
        for (String entry : tree.stdout().split("\0")) {
            int tab = entry.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            String[] meta = entry.substring(0, tab).split(" ");
            String path = entry.substring(tab + 1);
            if (meta.length == 3 && meta[1].equals("blob") && !meta[0].equals("120000")) {
                if (WyrenPaths.isMemoryTreePath(path)) {
                    ids.put(path, meta[2]);
                } else {
                    log.info("ignored " + path + " in memory commit " + shortId(commit) + ": not a memory or broadcast file");
                }
            }
        }
        return blobs(ids);
    }

    /** Contents of the given blobs by path, read in one {@code cat-file --batch}; missing ones skipped. */
    private Snapshot blobs(Map<String, String> idsByPath) {
        if (idsByPath.isEmpty()) {
            return Snapshot.empty();
        }
        List<String> order = new ArrayList<>(idsByPath.keySet());
        StringBuilder request = new StringBuilder();
        order.forEach(p -> request.append(idsByPath.get(p)).append('\n'));
        byte[] out = git.call("cat-file", "--batch").input(request.toString()).run().stdoutBytes();
        Map<String, byte[]> files = new HashMap<>();
        int pos = 0;
        for (String path : order) {
            int newline = indexOf(out, (byte) '\n', pos);
            if (newline < 0) {
                break;
            }
            String[] header = new String(out, pos, newline - pos, StandardCharsets.UTF_8).split(" ");
            pos = newline + 1;
            if (header.length == 3 && header[1].equals("blob")) {
                int size = Integer.parseInt(header[2]);
                byte[] content = new byte[size];
                System.arraycopy(out, pos, content, 0, size);
                files.put(path, content);
                pos += size + 1;
            }
        }
        return new Snapshot(files);
    }

    /**
     * A commit of exactly these files, built in a temporary index (the user's index is never
     * touched), with blobs written without filters (no {@code .gitattributes} filter such as LFS runs).
     */
    private String commitTree(Optional<String> parent, Snapshot files, String message) throws IOException {
        Map<String, String> ids = new LinkedHashMap<>();
        files.files().forEach((path, content) -> ids.put(path, blobId(content)));
        writeMissingBlobs(files, ids);
        Files.createDirectories(paths.state());
        Path index = paths.state().resolve("index-" + UUID.randomUUID());
        try {
            StringBuilder entries = new StringBuilder();
            ids.forEach((path, id) -> entries.append("100644 ").append(id).append('\t').append(path).append('\0'));
            git.call("-c", "core.splitIndex=false", "update-index", "--add", "-z", "--index-info")
                    .env("GIT_INDEX_FILE", index.toString()).input(entries.toString()).run();
            String tree = git.call("write-tree").env("GIT_INDEX_FILE", index.toString()).run().line();
            List<String> args = new ArrayList<>(List.of("commit-tree", tree));
            parent.ifPresent(p -> args.addAll(List.of("-p", p)));
            args.addAll(List.of("-m", message));
            Git.Call commit = git.call(args);
            identityFallback().forEach(commit::env);
            return commit.run().line();
        } finally {
            Files.deleteIfExists(index);
            Files.deleteIfExists(index.resolveSibling(index.getFileName() + ".lock"));
        }
    }

    private void writeMissingBlobs(Snapshot files, Map<String, String> ids) {
        StringBuilder query = new StringBuilder();
        ids.values().forEach(id -> query.append(id).append('\n'));
        String answer = git.call("cat-file", "--batch-check").input(query.toString()).run().stdout();
        for (String line : answer.split("\n")) {
            if (line.endsWith(" missing")) {
                String id = line.substring(0, line.indexOf(' '));
                ids.entrySet().stream().filter(e -> e.getValue().equals(id)).findFirst().ifPresent(e -> {
                    String written = git.call("hash-object", "-w", "--no-filters", "--stdin")
                            .input(files.files().get(e.getKey())).run().line();
                    if (!written.equals(id)) {
                        throw new IllegalStateException("blob id mismatch for " + e.getKey() + ": " + written + " != " + id);
                    }
                });
            }
        }
    }

    /** {@code Wyren (<user>@<host>)} as author and committer when no git identity is configured. */
    private Map<String, String> identityFallback() {
        Map<String, String> identity = new HashMap<>();
        String user = Machine.userName();
        String host = Machine.hostName();
        if (repo.identityName().isEmpty() && env.get("GIT_AUTHOR_NAME").isEmpty()) {
            identity.put("GIT_AUTHOR_NAME", "Wyren (" + user + "@" + host + ")");
            identity.put("GIT_COMMITTER_NAME", "Wyren (" + user + "@" + host + ")");
        }
        if (repo.identityEmail().isEmpty() && env.get("GIT_AUTHOR_EMAIL").isEmpty()) {
            identity.put("GIT_AUTHOR_EMAIL", user + "@" + host);
            identity.put("GIT_COMMITTER_EMAIL", user + "@" + host);
        }
        return identity;
    }

    /** Moves a ref only if it still has the expected value ({@code null}: any value). */
    private void updateRef(String ref, String value, String expected) {
        List<String> args = new ArrayList<>(List.of("update-ref", ref, value));
        if (expected != null) {
            args.add(expected);
        }
        git.call(args).run();
    }

    private void report(TreeMerge.Outcome merged) throws IOException {
        merged.conflicts().forEach(c -> log.info("merge: " + c));
        merged.dropped().forEach(d -> log.info("dropped: " + d.bullet() + " (" + d.section() + ", hard cap)"));
        if (!merged.dropped().isEmpty()) {
            updateState(s -> s.withCompactionPending(true));
        }
    }

    private String blobId(byte[] content) {
        return Snapshot.blobId(content, repo.objectFormat());
    }

    public SyncState readState() {
        return StateFiles.read(paths.syncState(), SyncState.class, SyncState::initial, log);
    }

    private void updateState(UnaryOperator<SyncState> change) throws IOException {
        StateFiles.update(paths.syncState(), SyncState.class, SyncState::initial, log, change);
    }

    private void recordPull(PullResult result) {
        if (!Files.isDirectory(paths.state())) {
            return;
        }
        try {
            updateState(s -> s.withPull(SyncState.Event.now(result.reason(), result.fetchDetail())));
        } catch (IOException e) {
            log.warn("could not record the pull", e);
        }
    }

    private void recordPush(PushResult result) {
        if (!Files.isDirectory(paths.state())) {
            return;
        }
        try {
            updateState(s -> s.withPush(SyncState.Event.now(result.reason(), result.detail())));
        } catch (IOException e) {
            log.warn("could not record the push", e);
        }
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static int indexOf(byte[] bytes, byte value, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    static String shortId(String id) {
        return id.substring(0, Math.min(8, id.length()));
    }

    private static String firstLine(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
    }
}
