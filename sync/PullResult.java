package sync;

import java.util.Optional;

/**
 * What a pull did: how the fetch went and what happened to the working copy.
 *
 * @param fetch       the network part
 * @param fetchDetail git's message when the fetch did not succeed, else empty
 * @param working     the materialization part
 * @param tip         the local memory commit the working copy now reflects, if there is one
 */
public record PullResult(Fetch fetch, String fetchDetail, Working working, Optional<String> tip) {

    /** The network part of a pull. */
    public enum Fetch {
        FETCHED, SKIPPED_BY_ENV, NO_REMOTE, NO_REMOTE_BRANCH, TIMED_OUT, FAILED, NOT_ATTEMPTED
    }

    /** The local part of a pull. */
    public enum Working {
        UPDATED, UNCHANGED, HAND_EDIT_KEPT, NOT_INITIALIZED, DISABLED, LOCKED, FAILED
    }

    /** One line for people. */
    public String summary() {
        String network = switch (fetch) {
            case FETCHED -> "fetched the team memory";
            case SKIPPED_BY_ENV -> "no fetch (WYREN_SKIP_PULL)";
            case NO_REMOTE -> "no remote configured";
            case NO_REMOTE_BRANCH -> "the remote has no memory branch yet";
            case TIMED_OUT -> "fetch timed out, using local memory";
            case FAILED -> "fetch failed (" + fetchDetail + "), using local memory";
            case NOT_ATTEMPTED -> "no fetch";
        };
        String local = switch (working) {
            case UPDATED -> "working copy updated";
            case UNCHANGED -> "working copy up to date";
            case HAND_EDIT_KEPT -> "your edits in .wyren/ kept, to be merged at push";
            case NOT_INITIALIZED -> "no memory branch here yet";
            case DISABLED -> "Wyren is disabled";
            case LOCKED -> "another Wyren process is syncing, working copy left as is";
            case FAILED -> "failed (" + fetchDetail + ")";
        };
        return network + "; " + local;
    }

    /** One machine-readable reason, e.g. {@code fetched/updated} or {@code timed_out/unchanged}. */
    public String reason() {
        return fetch.name().toLowerCase() + "/" + working.name().toLowerCase();
    }
}
