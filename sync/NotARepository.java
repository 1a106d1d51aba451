package sync;

import java.nio.file.Path;

/** The directory is not inside a git work tree. */
public final class NotARepository extends Exception {

    public NotARepository(Path directory, String gitMessage) {
        super("not a git repository: " + directory + (gitMessage.isBlank() ? "" : " (" + gitMessage.strip() + ")"));
    }
}
