package sync;

/**
 * What {@code wyren init} did.
 *
 * @param kind          what happened to the team memory
 * @param legacyTracked {@code .wyren/memory.md} is tracked on the user's branch (original Wyren)
 * @param fetch         how fetching the team's memory went
 * @param push          publishing the result
 */
public record InitResult(Kind kind, boolean legacyTracked, FetchResult fetch, PushResult push) {

    /** How the team memory was found or made. */
    public enum Kind { CREATED, JOINED, ALREADY }
}
