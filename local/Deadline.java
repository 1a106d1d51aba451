package local;

import java.time.Duration;

/**
 * A point in time by which work must be done. Every git call made on behalf of a caller with a
 * deadline gets a timeout cut to what is left of it.
 */
public record Deadline(long endNanos) {

    public static Deadline in(Duration duration) {
        return new Deadline(System.nanoTime() + duration.toNanos());
    }

    public Duration remaining() {
        long left = endNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** The given cap, or what is left of this deadline if that is less. */
    public Duration cap(Duration cap) {
        Duration left = remaining();
        return left.compareTo(cap) < 0 ? left : cap;
    }

    /** This deadline moved earlier by {@code reserve}: time kept back for work after a network call. */
    public Deadline keeping(Duration reserve) {
        return new Deadline(endNanos - reserve.toNanos());
    }

    /** The earlier of this deadline and {@code cap} from now. */
    public Deadline within(Duration cap) {
        return new Deadline(System.nanoTime() + cap(cap).toNanos());
    }
}
