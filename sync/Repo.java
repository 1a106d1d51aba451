package sync;

import memory.Env;
import memory.WyrenPaths;

import java.nio.file.Path;
import java.util.HashMap;
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
 */
public record Repo(Path root, String objectFormat, Optional<String> remote, String branch, Map<String, String> config,
                   Path objects) {

    public static final String DEFAULT_BRANCH = "wyren/memory";

    public Repo {
        config = Map.copyOf(config);
    }

    /** Finds the repository containing {@code cwd}. */
    public static Repo discover(Path cwd, Env env) throws NotARepository {
        Git git = new Git(cwd, env);
        GitResult top = git.call("rev-parse", "--show-toplevel", "--show-object-format", "--git-path", "objects").attempt();
        if (!top.ok()) {
            throw new NotARepository(cwd, top.stderr().lines().findFirst().orElse(""));
        }
        List<String> lines = top.stdout().lines().toList();
        if (lines.size() < 3 || lines.get(0).isBlank()) {
            throw new NotARepository(cwd, "no work tree");
        }
        Path root = Path.of(lines.get(0));
        Git atRoot = git.in(root);
        Map<String, String> config = readConfig(atRoot);
        GitResult head = atRoot.call("symbolic-ref", "-q", "--short", "HEAD").attempt();
        Optional<String> currentBranch = head.ok() ? Optional.of(head.line()) : Optional.empty();
        String branch = Optional.ofNullable(config.get("wyren.branch")).filter(b -> !b.isBlank()).orElse(DEFAULT_BRANCH);
        return new Repo(root, lines.get(1).strip(), chooseRemote(config, currentBranch), branch, config,
                cwd.resolve(lines.get(2)).normalize());
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

    /** {@code wyren.enabled} is not false. */
    public boolean enabledByConfig() {
        String value = config.getOrDefault("wyren.enabled", "true").strip().toLowerCase(Locale.ROOT);
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

    public String zeroId() {
        return "0".repeat("sha256".equals(objectFormat) ? 64 : 40);
    }

    private static Map<String, String> readConfig(Git git) {
        GitResult result = git.call("config", "-z", "--get-regexp",
                "^(wyren\\.|user\\.(name|email)$|core\\.sshcommand$|branch\\..*\\.remote$|remote\\..*\\.url$)").attempt();
        Map<String, String> config = new HashMap<>();
        if (!result.ok()) {
            return config;
        }
        for (String entry : result.stdout().split("\0")) {
            int newline = entry.indexOf('\n');
            if (newline > 0) {
                config.put(entry.substring(0, newline).toLowerCase(Locale.ROOT), entry.substring(newline + 1));
            } else if (!entry.isBlank()) {
                config.put(entry.toLowerCase(Locale.ROOT), "true");
            }
        }
        return config;
    }

    /** {@code wyren.remote}, else the current branch's upstream remote, else {@code origin} if it exists. */
    private static Optional<String> chooseRemote(Map<String, String> config, Optional<String> currentBranch) {
        Optional<String> configured = Optional.ofNullable(config.get("wyren.remote")).filter(r -> !r.isBlank());
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
