package local;

/** The 8-character form of a commit or session id that people read: logs, provenance tags, status. */
public final class ShortId {

    public static final int LENGTH = 8;

    private ShortId() {
    }

    public static String of(String id) {
        return id.substring(0, Math.min(LENGTH, id.length()));
    }
}
