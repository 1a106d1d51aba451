package sync;

import local.Env;
import local.Settings;
import local.WyrenPaths;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A user's repository as Wyren sees it: where its work tree is, which remote and branch carry the
 * memory (git config {@code wyren.remote}, {@code wyren.branch}), and whether Wyren is enabled.
 *
 * @param root         top of the work tree (sessions started in a subdirectory work)
 * @param objectFormat {@code sha1} or {@code sha256}
 * @param remote       the remote memory travels through, if any
 * @param branch       the memory branch's name on the remote, default {@code wyren/memory}
 * @param config       the git config entries Wyren reads (lower-cased keys)
 * @param objects      the repository's object store (where Wyren's commits must end up)
 * @param gitDir       the repository's git directory (its index and config live there)
 */
public record Repo(Path root, String objectFormat, Optional<String> remote, String branch, Map<String, String> config,
                   Path objects, Path gitDir) {

    public Repo {
        config = Map.copyOf(config);
    }

    /** Git settings in the environment that change where or how git finds the repository. */
    private static final List<String> LAYOUT_VARIABLES = List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR",
            "GIT_OBJECT_DIRECTORY", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM", "GIT_INDEX_FILE");

    /**
     * Finds the repository containing {@code cwd}. A plain checkout (a {@code .git} folder, owned by
     * this user, no git layout variables set) is found with file-system calls alone and its config
     * comes from {@link RepoFacts}' cache; anything else (worktrees, submodules, {@code GIT_DIR}) asks
     * git, as git would decide.
     */
    public static Repo discover(Path cwd, Env env) throws NotARepository {
        Optional<Path> plain = plainCheckout(cwd, env);
        if (plain.isEmpty()) {
            return discoverWithGit(cwd, env);
        }
        Path root = plain.get();
        Path gitDir = root.resolve(".git");
        Map<String, String> config = new RepoFacts(root, gitDir, new WyrenPaths(root).state(), env).config();
        String format = config.getOrDefault("extensions.objectformat", "sha1").toLowerCase(Locale.ROOT);
        return of(root, format, config, currentBranch(gitDir), gitDir.resolve("objects"), gitDir);
    }

    private static Repo discoverWithGit(Path cwd, Env env) throws NotARepository {
        Git git = new Git(cwd, env);
        GitResult top = git.call("rev-parse", "--show-toplevel", "--show-object-format", "--git-path", "objects",
                "--absolute-git-dir").attempt();
        if (!top.ok()) {
            throw new NotARepository(cwd, top.stderr().lines().findFirst().orElse(""));
        }
        List<String> lines = top.stdout().lines().toList();
        if (lines.size() < 4 || lines.get(0).isBlank()) {
            throw new NotARepository(cwd, "no work tree");
        }
        Path root = Path.of(lines.get(0));
        Path gitDir = Path.of(lines.get(3));
        Map<String, String> config = new RepoFacts(root, gitDir, new WyrenPaths(root).state(), env).config();
        GitResult head = git.in(root).call("symbolic-ref", "-q", "--short", "HEAD").attempt();
        Optional<String> currentBranch = head.ok() ? Optional.of(head.line()) : Optional.empty();
        return of(root, lines.get(1).strip(), config, currentBranch, cwd.resolve(lines.get(2)).normalize(), gitDir);
    }

    private static Repo of(Path root, String format, Map<String, String> config, Optional<String> currentBranch,
                           Path objects, Path gitDir) {
        String branch = Optional.ofNullable(config.get(Settings.GIT_BRANCH)).filter(b -> !b.isBlank()).orElse(Settings.DEFAULT_BRANCH);
        return new Repo(root, format, chooseRemote(config, currentBranch), branch, config, objects, gitDir);
    }

    /**
     * The top of the plain checkout holding {@code cwd}: the nearest folder with a {@code .git}
     * folder that has a {@code HEAD}, owned by this user. Empty when git must decide (see above).
     */
    static Optional<Path> plainCheckout(Path cwd, Env env) {
        for (String layout : LAYOUT_VARIABLES) {
            if (env.get(layout).isPresent()) {
                return Optional.empty();
            }
        }
        try {
            Path dir = cwd.toRealPath();
            if (dir.toString().contains("/.git/") || dir.endsWith(".git")) {
                return Optional.empty();
            }
            Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            for (Path p = dir; p != null; p = p.getParent()) {
                Path dotGit = p.resolve(".git");
                if (Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) {
                    boolean looksRight = Files.isRegularFile(dotGit.resolve("HEAD"), LinkOption.NOFOLLOW_LINKS)
                            && Files.isDirectory(dotGit.resolve("objects"), LinkOption.NOFOLLOW_LINKS);
                    return looksRight && self.equals(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                            ? Optional.of(p) : Optional.empty();
                }
                if (Files.exists(dotGit, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The branch HEAD names ({@code ref: refs/heads/<name>}), read from the file; empty when detached. */
    private static Optional<String> currentBranch(Path gitDir) {
        try {
            String head = Files.readString(gitDir.resolve("HEAD")).strip();
            return head.startsWith("ref: refs/heads/") ? Optional.of(head.substring("ref: refs/heads/".length())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public WyrenPaths paths() {
        return new WyrenPaths(root);
    }

    /** Wyren's own local ref, outside {@code refs/heads/} so branch listings and pushes never see it. */
    public String localRef() {
        return "refs/wyren/" + (branch.startsWith("wyren/") ? branch.substring("wyren/".length()) : branch);
    }

    public String remoteRef() {
        return "refs/heads/" + branch;
    }

    /**
     * Where Wyren keeps the remote's memory tip as of its last fetch: a ref of its own, so that its
     * fetches and pushes never write {@code refs/remotes/} and never collide with the user's
     * {@code git fetch} (which takes that ref with a compare-and-swap).
     */
    public Optional<String> trackingRef() {
        return remote.map(r -> "refs/wyren/remotes/" + r + "/" + localRef().substring("refs/wyren/".length()));
    }

    /** The user's own remote-tracking ref of the memory branch (a fresh clone has it): read, never written. */
    public Optional<String> remoteTrackingRef() {
        return remote.map(r -> "refs/remotes/" + r + "/" + branch);
    }

    /**
     * A ref's id read from its loose file, without git; empty when the ref is packed, kept in a
     * reftable, in a linked worktree's common directory, or anything else than one object id.
     */
    public Optional<String> looseRef(String ref) {
        if (Files.exists(gitDir.resolve("commondir"), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(gitDir.resolve(ref), LinkOption.NOFOLLOW_LINKS)) {
            String id = new String(in.readNBytes(zeroId().length() + 2), StandardCharsets.US_ASCII).strip();
            return id.length() == zeroId().length() && id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
                    ? Optional.of(id) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code wyren.enabled} is not false. */
    public boolean enabledByConfig() {
        String value = config.getOrDefault(Settings.GIT_ENABLED, "true").strip().toLowerCase(Locale.ROOT);
        return !List.of("false", "no", "off", "0").contains(value);
    }

    public boolean userConfiguredSsh() {
        return config.containsKey("core.sshcommand");
    }

    public Optional<String> identityName() {
        return Optional.ofNullable(config.get("user.name")).filter(s -> !s.isBlank());
    }

    public Optional<String> identityEmail() {
        return Optional.ofNullable(config.get("user.email")).filter(s -> !s.isBlank());
    }

    /** The URL of the remote the memory travels to, as configured. */
    public Optional<String> remoteUrl() {
        return remote.map(r -> config.get(("remote." + r + ".url").toLowerCase(Locale.ROOT))).filter(u -> !u.isBlank());
    }

    public String zeroId() {
        return "0".repeat("sha256".equals(objectFormat) ? 64 : 40);
    }

    /** {@code wyren.remote}, else the current branch's upstream remote, else {@code origin} if it exists. */
    private static Optional<String> chooseRemote(Map<String, String> config, Optional<String> currentBranch) {
        Optional<String> configured = Optional.ofNullable(config.get(Settings.GIT_REMOTE)).filter(r -> !r.isBlank());
        if (configured.isPresent()) {
            return configured;
        }
        Optional<String> upstream = currentBranch
                .map(b -> config.get(("branch." + b + ".remote").toLowerCase(Locale.ROOT)))
                .filter(r -> !r.isBlank() && !r.equals("."));
        if (upstream.isPresent() && config.containsKey(("remote." + upstream.get() + ".url").toLowerCase(Locale.ROOT))) {
            return upstream;
        }
        return config.containsKey("remote.origin.url") ? Optional.of("origin") : Optional.empty();
    }
}
