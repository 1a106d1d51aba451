package local;

/** The sync lock is held by another process (or could not be taken in the time allowed). */
public final class Locked extends Exception {

    private final String holder;

    public Locked(String holder) {
        super("the Wyren sync lock is held by " + holder);
        this.holder = holder;
    }

    /** Who holds it, as recorded in the lock file ("pid 123 on host since ..."), or why unknown. */
    public String holder() {
        return holder;
    }
}
