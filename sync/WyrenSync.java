package sync;

import local.Deadline;
import local.Env;
import local.LockFile;
import local.Locked;
import local.LogFile;
import local.WyrenPaths;
import memory.MemoryDocument;
import memory.Tombstones;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * How memory travels between teammates (SPEC §3): all that hooks, the distiller and the CLI know of
 * it. {@link GitSync} carries it on a git branch; another backend implements this contract and
 * {@link Backends} chooses it, with no change to its callers. The working copy is always
 * {@code .wyren/} of the checkout ({@link #paths()}).
 */
public interface WyrenSync {

    /** How long the CLI waits for another Wyren process's sync; hooks never wait. */
    Duration CLI_LOCK_WAIT = Duration.ofSeconds(60);

    /** Opens a backend for the checkout around {@code cwd}. */
    @FunctionalInterface
    interface Backend {
        WyrenSync open(Path cwd, Env env, String component, Duration lockWait) throws NotARepository;
    }

    WyrenPaths paths();

    LogFile log();

    Location location();

    /** Switched off: {@code WYREN_DISABLE} in this process, or this checkout opted out. */
    boolean disabled();

    /** The checkout has {@code .wyren/}, or the team has memory here or on the remote to join. */
    boolean usesWyren();

    /**
     * Hooks may work here: {@code .wyren/state/} exists (a file-system check, the hot path), or the
     * team's memory is here to join, and then {@code .wyren/} is prepared. Before {@code wyren init}
     * nothing is written.
     */
    boolean active() throws IOException;

    /** This machine has the team memory (created or joined). */
    boolean joined();

    /** Fetches the team's memory without merging it; fail-open. */
    FetchResult fetch(Deadline deadline);

    /** Brings {@code .wyren/} up to date within the deadline's network cap; idempotent; never throws. */
    PullResult pull(Deadline deadline);

    /** Commits and publishes {@code .wyren/} changes only; never throws. */
    PushResult push(String sessionId, Deadline deadline);

    /**
     * Applies {@code change} to the memory text (the distiller's result), writes the working copy,
     * commits, and publishes when {@code publish}; never throws.
     */
    PushResult commitMemory(String sessionId, UnaryOperator<String> change, boolean publish, Deadline deadline);

    /** Who this machine's changes to the memory are made by (the git author name, for git). */
    String author();

    /** The tombstones of forgotten entries on this machine's memory (none before it has any). */
    Tombstones tombstones();

    /**
     * Changes the tombstones under the sync lock ({@code wyren forget}, {@code unforget}), takes
     * every entry they name out of the memory, commits with {@code message} and publishes; never
     * throws. No merge and no distillation brings a tombstoned entry back.
     */
    PushResult commitTombstones(String message, UnaryOperator<Tombstones> change, Deadline deadline);

    /** The memory as this machine sees it (hand edits included); empty before it has any. */
    Optional<String> memoryText();

    /** Broadcast files by path under {@code .wyren/broadcast/}: UTF-8 text only. */
    Map<String, String> broadcastFiles();

    /** The hard cap dropped bullets since the last distillation: the next one should compact. */
    boolean compactionPending();

    /** The distiller compacted (false) or still must (true). */
    void recordCompactionPending(boolean pending) throws IOException;

    /** {@code wyren init}: join the team memory if there is one, else create it; publish. */
    InitResult initialize(Optional<MemoryDocument> seed, Deadline deadline) throws Locked, IOException;

    /**
     * The versions of the memory on this machine's line of history, newest first, at most
     * {@code limit}: what {@code wyren blame} reads. Empty before there is a memory.
     */
    List<MemoryVersion> history(int limit);

    /** What status and doctor report, without network access. */
    Inspection inspect();

    /** Makes sure {@code .wyren/} exists with its {@code .gitignore} before state is written into it. */
    void prepareWorkingDir() throws IOException;

    /** The machine-local advisory lock, taken now or {@link Locked}. */
    LockFile lock() throws Locked, IOException;
}
