package sync;

import local.Deadline;
import local.LockFile;
import local.Locked;

/**
 * How memory travels between teammates (SPEC §3). {@link GitSync} carries it on a git branch; a
 * future CloudSync implements the same contract, and hooks never change.
 */
public interface WyrenSync {

    /** Brings {@code .wyren/} up to date within the deadline's network cap; idempotent; never throws. */
    PullResult pull(Deadline deadline);

    /** Commits and publishes {@code .wyren/} changes only; never throws. */
    PushResult push(String sessionId, Deadline deadline);

    /** The machine-local advisory lock, taken now or {@link Locked}. */
    LockFile lock() throws Locked, java.io.IOException;
}
