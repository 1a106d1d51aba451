package sync;

/** {@code WYREN_BACKEND} names nothing that can carry the memory. */
public final class UnknownBackend extends RuntimeException {

    public UnknownBackend(String message, Throwable cause) {
        super(message, cause);
    }
}
