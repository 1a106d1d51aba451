import cli.WyrenCommand;
import local.ChildProcess;
import local.Env;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import sync.GitSync;
import sync.NotARepository;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shared git fixture: a temp directory with a bare {@code remote.git} and teammates' clones,
 * real git, and a git configuration isolated from the machine's (own HOME, GIT_CONFIG_GLOBAL,
 * GIT_CONFIG_NOSYSTEM). Also runs Wyren in-process or as a real process with that environment.
 *
 * <p>As a {@code @RegisterExtension} field, it checks after each test that every clone it made is
 * untouched outside Wyren's own files and refs, then deletes everything.
 */
public final class Team implements AutoCloseable, AfterEachCallback {

    public final Path dir;
    public final Path remote;
    private Env env;
    private final Map<Path, UserRepo> watched = new java.util.LinkedHashMap<>();

    private Team(Path dir, boolean identity) {
        this.dir = dir;
        this.remote = dir.resolve("remote.git");
        Path home = dir.resolve("home");
        Path globalConfig = dir.resolve("gitconfig");
        try {
            Files.createDirectories(home);
            Files.writeString(globalConfig, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> vars = new HashMap<>();
        vars.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        vars.put("HOME", home.toString());
        vars.put("GIT_CONFIG_GLOBAL", globalConfig.toString());
        vars.put("GIT_CONFIG_NOSYSTEM", "1");
        vars.put("LANG", "C.UTF-8");
        vars.put("TMPDIR", System.getProperty("java.io.tmpdir"));
        this.env = new Env(vars);
        git(dir, "config", "--global", "init.defaultBranch", "main");
        git(dir, "config", "--global", "protocol.file.allow", "always");
        if (identity) {
            git(dir, "config", "--global", "user.name", "Test User");
            git(dir, "config", "--global", "user.email", "test@example.com");
        } else {
            git(dir, "config", "--global", "user.useConfigOnly", "true");
        }
        git(dir, "init", "-q", "--bare", remote.toString());
    }

    /** A team whose remote already has a {@code main} branch with one commit. */
    public static Team create() {
        return create(true);
    }

    public static Team create(boolean identity) {
        try {
            Team team = new Team(Files.createTempDirectory("wyren-test-"), identity);
            Path seed = team.dir.resolve("seed");
            team.git(team.dir, "init", "-q", seed.toString());
            Files.writeString(seed.resolve("README.md"), "# app\n");
            team.git(seed, "add", "README.md");
            team.git(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "-q", "-m", "initial");
            team.git(seed, "push", "-q", team.remote.toString(), "main");
            return team;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Env env() {
        return env;
    }

    /** A teammate's machine: its git identity as git takes it from the environment. */
    public Env as(String name) {
        String email = name.toLowerCase(java.util.Locale.ROOT) + "@example.com";
        return env().with("GIT_AUTHOR_NAME", name).with("GIT_AUTHOR_EMAIL", email)
                .with("GIT_COMMITTER_NAME", name).with("GIT_COMMITTER_EMAIL", email);
    }

    public void setEnv(String name, String value) {
        env = env.with(name, value);
    }

    /** A teammate's clone of the remote. */
    public Path clone(String name) {
        Path clone = dir.resolve(name);
        git(dir, "clone", "-q", remote.toString(), clone.toString());
        watched.put(clone, userRepo(clone));
        return clone;
    }

    /** A teammate's clone in which {@code wyren init} ran: the remote has the memory branch. */
    public Path initializedClone(String name) {
        Path clone = clone(name);
        wyren(clone, "init").expect(0);
        return clone;
    }

    /** A repository with no remote and no commits. */
    public Path bareInit(String name) {
        Path repo = dir.resolve(name);
        git(dir, "init", "-q", repo.toString());
        watched.put(repo, userRepo(repo));
        return repo;
    }

    /** The test changed users' repositories on purpose (a commit, a checkout): take new baselines. */
    public void rebaseline() {
        watched.replaceAll((repo, old) -> userRepo(repo));
    }

    /** Every clone this team made is as its user left it: Wyren changed nothing outside its own. */
    public void assertUserReposUntouched() {
        watched.forEach((repo, before) -> assertUntouched(before, repo));
    }

    public String git(Path in, String... args) {
        Result r = run(in, null, Duration.ofSeconds(30), prepend("git", args));
        if (r.exit() != 0) {
            fail("git " + String.join(" ", args) + " failed in " + in + "\n" + r);
        }
        return r.out().strip();
    }

    public Result gitAttempt(Path in, String... args) {
        return run(in, null, Duration.ofSeconds(30), prepend("git", args));
    }

    public GitSync sync(Path cwd) {
        try {
            return GitSync.open(cwd, env, "test", GitSync.CLI_LOCK_WAIT);
        } catch (NotARepository e) {
            throw new IllegalStateException(e);
        }
    }

    /** The real CLI, in this JVM, with its own streams. */
    public Result wyren(Path cwd, String... args) {
        return wyrenWith(env, cwd, args);
    }

    public Result wyrenWith(Env withEnv, Path cwd, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int code = WyrenCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                cwd, withEnv, args);
        return new Result(List.of(args), code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** A Wyren entry point (a class with {@code main}) as a real JVM process. */
    public Result java(Path cwd, Env withEnv, String stdin, Duration timeout, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return runWith(cwd, withEnv, stdin, timeout, command);
    }

    /** This checkout: the tests run from inside it (the README's command runs from its root). */
    public static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("wyren.java")) && Files.isRegularFile(p.resolve("jbang-catalog.json"))) {
                return p;
            }
        }
        throw new IllegalStateException("run the tests from inside the Wyren checkout (cd into it first)");
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public Result run(Path cwd, String stdin, Duration timeout, List<String> command) {
        return runWith(cwd, env, stdin, timeout, command);
    }

    /** Any process with exactly the given environment; a timeout is reported, not thrown. */
    public static Result runWith(Path cwd, Env withEnv, String stdin, Duration timeout, List<String> command) {
        long start = System.nanoTime();
        try {
            ChildProcess.Result r = ChildProcess.run(command, stdin == null ? "" : stdin, withEnv, cwd, timeout);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return r.timedOut()
                    ? new Result(command, -1, r.stdout(), "TIMED OUT after " + timeout.toMillis() + " ms\n" + r.stderr(), elapsed)
                    : new Result(command, r.exitCode(), r.stdout(), r.stderr(), elapsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A process's outcome; its toString is the whole story, so a failing assertion explains itself. */
    public record Result(List<String> command, int exit, String out, String err, Duration elapsed) {
        @Override
        public String toString() {
            return "command: " + String.join(" ", command) + "\nexit: " + exit + " (" + elapsed.toMillis() + " ms)"
                    + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }

        public Result expect(int code) {
            assertEquals(code, exit, () -> "unexpected exit code\n" + this);
            return this;
        }
    }

    /** Everything of a user's repository that Wyren must leave alone. */
    public record UserRepo(String head, String refs, String index, String status, String worktreeDiff, String stagedDiff,
                           String fetchHead, String remoteRefs, String hooks) {}

    public UserRepo userRepo(Path repo) {
        Result head = gitAttempt(repo, "rev-parse", "--symbolic-full-name", "HEAD");
        Result headId = gitAttempt(repo, "rev-parse", "-q", "--verify", "HEAD");
        String refs = filterWyren(git(repo, "for-each-ref", "--format=%(refname) %(objectname)"));
        Path gitDir = repo.resolve(git(repo, "rev-parse", "--git-dir"));
        return new UserRepo(head.out().strip() + " " + headId.out().strip(), refs,
                git(repo, "ls-files", "-s"), git(repo, "status", "--porcelain=v1", "-uall"),
                git(repo, "diff"), git(repo, "diff", "--cached"), read(gitDir.resolve("FETCH_HEAD")),
                filterWyren(git(remote, "for-each-ref", "--format=%(refname) %(objectname)")),
                listing(gitDir.resolve("hooks")));
    }

    public void assertUntouched(UserRepo before, Path repo) {
        assertEquals(before, userRepo(repo), "the user's repository changed outside .wyren/ and Wyren's refs");
    }

    /**
     * Every file, folder and symlink under this team's folder, by path, with a digest of its content
     * (a symlink: its target), except git's own internals and what is inside a real {@code .wyren/}
     * folder: what Wyren must leave byte for byte as it was.
     */
    public java.util.SortedMap<String, String> outsideWyren(Path... exclude) {
        java.util.SortedMap<String, String> files = new java.util.TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String relative = dir.relativize(p).toString();
                boolean skipped = java.util.Arrays.stream(exclude).anyMatch(p::startsWith)
                        || relative.contains(".git/") || relative.endsWith(".git")
                        || insideRealWyrenDir(p);
                if (skipped) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    files.put(relative, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p)) {
                    files.put(relative, java.util.HexFormat.of().formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                } else {
                    files.put(relative, "dir");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    private static boolean insideRealWyrenDir(Path p) {
        for (Path parent = p.getParent(); parent != null; parent = parent.getParent()) {
            if (parent.getFileName() != null && parent.getFileName().toString().equals(".wyren")
                    && Files.isDirectory(parent, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    private static String filterWyren(String refs) {
        return refs.lines().filter(l -> !l.startsWith("refs/wyren/") && !l.matches("refs/(remotes/[^/]+|heads)/wyren/memory .*"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    public static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "<absent>";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String listing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName() + ":" + read(p).hashCode()).sorted().reduce("", (a, b) -> a + b + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    public Result run(Path cwd, String stdin, Duration timeout, String... command) {
        return run(cwd, stdin, timeout, List.of(command));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            assertUserReposUntouched();
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is harmless.
        }
    }
}
