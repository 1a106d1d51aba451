package sync;

/** The network half of a pull, with its reason; fail-open (a failure is a value, never thrown). */
public record FetchResult(PullResult.Fetch outcome, String detail) {}
