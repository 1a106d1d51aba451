package sync;

import local.ShortId;

import java.util.Optional;

/**
 * What a push did. Nothing is reported as {@link Outcome#PUSHED} unless the remote accepted it.
 *
 * @param outcome  the machine-readable result
 * @param commit   the local memory commit that holds the change, when one exists
 * @param attempts how many pushes were tried (0 when none was)
 * @param detail   a human explanation: git's message on failure, what was merged, and so on
 */
public record PushResult(Outcome outcome, Optional<String> commit, int attempts, String detail) {

    public enum Outcome {
        /** The remote branch now has the commit. */
        PUSHED,
        /** Nothing to commit and nothing unpushed. */
        NO_CHANGES,
        /** Committed locally; publishing was not asked for ({@code --no-push}). */
        COMMITTED,
        /** Committed locally; there is no remote to push to. */
        COMMITTED_NO_REMOTE,
        /** Committed locally; the push failed (unreachable, timed out, still behind after retries). */
        PUSH_FAILED,
        /** Committed locally; the remote refused for a reason other than non-fast-forward. */
        REJECTED,
        /** The sync lock is held by another process. */
        LOCKED,
        /** This repository has no memory branch yet: run {@code wyren init}. */
        NOT_INITIALIZED,
        /** Wyren is turned off here (WYREN_DISABLE or wyren.enabled=false). */
        DISABLED,
        /** Something unexpected; details in the log. */
        FAILED
    }

    /** True when the result is an acceptable end state for the CLI (exit 0). */
    public boolean fine() {
        return switch (outcome) {
            case PUSHED, NO_CHANGES, COMMITTED, COMMITTED_NO_REMOTE, DISABLED -> true;
            default -> false;
        };
    }

    /** One line for people. */
    public String summary() {
        String id = commit.map(c -> ShortId.of(c)).orElse("");
        return switch (outcome) {
            case PUSHED -> "pushed " + id + " (" + detail + ")";
            case NO_CHANGES -> "nothing to publish";
            case COMMITTED -> "committed " + id + " locally (not pushed)";
            case COMMITTED_NO_REMOTE -> "committed " + id + " locally; no remote to push to";
            case PUSH_FAILED, REJECTED -> "committed " + id + " locally; " + detail;
            case LOCKED, NOT_INITIALIZED, DISABLED, FAILED -> detail;
        };
    }

    /** What the user can do about a result that is not fine. */
    public String nextStep() {
        return switch (outcome) {
            case PUSH_FAILED -> "The change is safe in a local commit; run 'wyren sync' again when the remote is reachable.";
            case REJECTED -> "The remote refused the memory branch: allow pushes to it (see the README), then run 'wyren sync'.";
            case LOCKED -> "Another Wyren process is syncing; try again in a minute.";
            case NOT_INITIALIZED -> "Run 'wyren init' first.";
            case FAILED -> "See .wyren/log; run with --verbose for details.";
            case PUSHED, NO_CHANGES, COMMITTED, COMMITTED_NO_REMOTE, DISABLED -> "";
        };
    }

    public String reason() {
        return outcome.name().toLowerCase();
    }
}
