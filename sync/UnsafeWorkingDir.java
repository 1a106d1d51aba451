package sync;

/**
 * The repository's {@code .wyren/} holds a symlink or another odd file where Wyren keeps a folder or
 * its log ({@link local.WyrenPaths#unsafe()}): Wyren does nothing in this repository until it is gone.
 */
public final class UnsafeWorkingDir extends RuntimeException {

    public UnsafeWorkingDir(String why) {
        super(why);
    }
}
