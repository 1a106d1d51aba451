import local.Env;
import sync.NotARepository;
import sync.WyrenSync;

import java.nio.file.Path;
import java.time.Duration;

/** {@code WYREN_BACKEND=FolderBackend}: the tests' folder store ({@link FolderSync}) instead of git. */
public final class FolderBackend implements WyrenSync.Backend {

    @Override
    public WyrenSync open(Path cwd, Env env, String component, Duration lockWait) throws NotARepository {
        return FolderSync.open(cwd, env, component, lockWait);
    }
}
