package sync;

import local.AtomicFiles;
import local.Env;
import local.JsonValues;
import local.WyrenPaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What Wyren reads from git that only changes when git's config files or index change: the config
 * entries it uses, and whether {@code .wyren/memory.md} is tracked. Kept in
 * {@code .wyren/state/repo-facts.json} with the size and modification time of every file they came
 * from, so a hook asks git again only after one of those files changed, and most hooks run no git
 * process at all.
 *
 * <p>Nothing is cached when config comes from outside files ({@code git -c}, {@code GIT_CONFIG_COUNT}),
 * and nothing is written in a repository without {@code .wyren/state/}.
 */
final class RepoFacts {

    static final String FILE = "repo-facts.json";

    private final Path root;
    private final Path gitDir;
    private final Path stateDir;
    private final Env env;
    private final Git git;

    RepoFacts(Path root, Path gitDir, Path stateDir, Env env) {
        this.root = root;
        this.gitDir = gitDir;
        this.stateDir = stateDir;
        this.env = env;
        this.git = new Git(root, env);
    }

    /** The config entries Wyren reads: from the cache when no config file changed, else from git. */
    Map<String, String> config() {
        Map<String, Object> cached = readCache();
        Optional<Map<String, Object>> entry = JsonValues.object(cached, "config");
        if (entry.isPresent() && fresh(JsonValues.object(entry.get(), "stamps").orElse(Map.of()))) {
            Map<String, String> config = new HashMap<>();
            JsonValues.object(entry.get(), "values").orElse(Map.of()).forEach((k, v) -> config.put(k, String.valueOf(v)));
            return config;
        }
        return readConfig(cached);
    }

    /** Whether {@code .wyren/memory.md} is tracked on the user's branch: from the cache while the index is unchanged. */
    boolean memoryTracked(String memoryPath) {
        Map<String, Object> cached = readCache();
        String index = stamp(gitDir.resolve("index"));
        Optional<Map<String, Object>> entry = JsonValues.object(cached, "tracked");
        if (entry.isPresent() && index.equals(JsonValues.string(entry.get(), "index").orElse(""))) {
            return JsonValues.bool(entry.get(), "value");
        }
        boolean tracked = !git.call("ls-files", "-z", "--", memoryPath).run().stdout().isEmpty();
        if (!index.equals(stamp(gitDir.resolve("index")))) {
            return tracked;
        }
        Map<String, Object> updated = new LinkedHashMap<>(cached);
        updated.put("tracked", Map.of("index", index, "value", tracked));
        writeCache(updated);
        return tracked;
    }

    private Map<String, String> readConfig(Map<String, Object> cached) {
        GitResult result = git.call("config", "-z", "--show-origin", "--list").attempt();
        Map<String, String> config = new HashMap<>();
        if (!result.ok()) {
            return config;
        }
        Map<String, String> stamps = new TreeMap<>(standardFiles());
        boolean cacheable = env.get("GIT_CONFIG_PARAMETERS").isEmpty() && env.get("GIT_CONFIG_COUNT").isEmpty();
        String[] parts = result.stdout().split("\0");
        for (int i = 0; i + 1 < parts.length; i += 2) {
            String origin = parts[i];
            String entry = parts[i + 1];
            if (origin.startsWith("file:")) {
                Path file = git.directory().resolve(origin.substring("file:".length())).normalize();
                stamps.put(file.toString(), stamp(file));
            } else if (!origin.startsWith("command line:")) {
                // Command-line entries are the runner's own -c options (the user's are excluded above).
                cacheable = false;
            }
            int newline = entry.indexOf('\n');
            String key = (newline > 0 ? entry.substring(0, newline) : entry).toLowerCase(Locale.ROOT);
            if (wanted(key)) {
                config.put(key, newline > 0 ? entry.substring(newline + 1) : "true");
            }
        }
        if (cacheable) {
            Map<String, Object> updated = new LinkedHashMap<>(cached);
            updated.put("config", Map.of("stamps", stamps, "values", new TreeMap<>(config)));
            writeCache(updated);
        }
        return config;
    }

    /** The config entries Wyren reads (lower-cased keys). */
    private static boolean wanted(String key) {
        return key.startsWith("wyren.") || key.equals("user.name") || key.equals("user.email") || key.equals("core.sshcommand")
                || key.equals("extensions.objectformat") || key.startsWith("branch.") && key.endsWith(".remote")
                || key.startsWith("remote.") && key.endsWith(".url");
    }

    /** Where git looks for config even when a file is absent (creating one must invalidate the cache). */
    private Map<String, String> standardFiles() {
        Map<String, String> files = new TreeMap<>();
        String home = env.get("HOME").orElse("");
        Optional<String> global = env.get("GIT_CONFIG_GLOBAL");
        if (global.isPresent()) {
            files.put(global.get(), stamp(Path.of(global.get())));
        } else if (!home.isBlank()) {
            files.put(home + "/.gitconfig", stamp(Path.of(home, ".gitconfig")));
            String xdg = env.get("XDG_CONFIG_HOME").filter(x -> !x.isBlank()).orElse(home + "/.config");
            files.put(xdg + "/git/config", stamp(Path.of(xdg, "git", "config")));
        }
        if (!env.truthy("GIT_CONFIG_NOSYSTEM")) {
            String system = env.get("GIT_CONFIG_SYSTEM").orElse("/etc/gitconfig");
            files.put(system, stamp(Path.of(system)));
        }
        files.put(gitDir.resolve("config").toString(), stamp(gitDir.resolve("config")));
        // Which files git reads depends on these: another environment is another cache.
        files.put("env", String.join("|", global.orElse(""), env.get("GIT_CONFIG_SYSTEM").orElse(""),
                String.valueOf(env.truthy("GIT_CONFIG_NOSYSTEM")), home, env.get("XDG_CONFIG_HOME").orElse("")));
        return files;
    }

    private boolean fresh(Map<String, Object> stamps) {
        if (stamps.isEmpty()) {
            return false;
        }
        Map<String, String> standard = standardFiles();
        for (Map.Entry<String, Object> s : stamps.entrySet()) {
            String now = s.getKey().equals("env") ? standard.get("env") : stamp(Path.of(s.getKey()));
            if (!String.valueOf(s.getValue()).equals(now)) {
                return false;
            }
        }
        return stamps.keySet().containsAll(standard.keySet());
    }

    /** Size and modification time of a file, or {@code absent}. */
    static String stamp(Path file) {
        try {
            return sizeAndTime(Files.readAttributes(file, BasicFileAttributes.class));
        } catch (NoSuchFileException e) {
            return "absent";
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /**
     * A file's size and modification time (in nanoseconds) as text. Not the time's {@code toString}:
     * that builds {@code java.time}'s formatters, ~1.4 ms of a hook's interpreted start-up.
     */
    static String sizeAndTime(BasicFileAttributes attributes) {
        return attributes.size() + ":" + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    private Map<String, Object> readCache() {
        Path file = stateDir.resolve(FILE);
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile() || a.size() > 1_000_000) {
                return Map.of();
            }
            return JsonValues.parseObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** Written only into a {@code .wyren/} that Wyren set up (its .gitignore) and may write into. */
    private void writeCache(Map<String, Object> cache) {
        WyrenPaths paths = new WyrenPaths(root);
        if (!Files.isDirectory(stateDir, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(paths.gitignore(), LinkOption.NOFOLLOW_LINKS) || paths.unsafe().isPresent()) {
            return;
        }
        try {
            AtomicFiles.writeState(stateDir.resolve(FILE), JsonValues.write(cache) + "\n");
        } catch (IOException e) {
            // Only a cache: the next hook asks git again.
        }
    }
}
