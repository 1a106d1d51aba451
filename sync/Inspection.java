package sync;

import local.LockFile;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code wyren status} and {@code wyren doctor} report about sync, read without network
 * access.
 *
 * @param location    where the memory is kept and travels
 * @param localCommit this machine's memory version (a commit id for git)
 * @param remoteCommit the team's version as last fetched
 * @param ahead       local versions not yet published
 * @param behind      fetched versions not yet merged here
 * @param handEdits   working files that differ from what was last written out
 * @param recentDrops bullets the hard cap removed, newest first
 */
public record Inspection(Location location, Optional<String> localCommit, Optional<String> remoteCommit, int ahead, int behind,
                         Optional<String> remoteTipAuthor, Optional<Instant> remoteTipTime, Optional<LockFile.Holder> lock,
                         List<String> handEdits, boolean legacyTracked, SyncState state, List<CommitNotes.Drop> recentDrops) {}
