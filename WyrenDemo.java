///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren demo: two teammates share memory through a temporary bare remote, offline, in seconds
//JAVA 17+
//SOURCES memory/*.java sync/*.java WyrenInit.java WyrenStatus.java WyrenSyncNow.java

import memory.Cli;
import memory.Env;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sync.Git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Show Wyren end to end: two teammates, one temporary bare remote, offline.", "",
                "Alice starts the team memory and records decisions; Bob joins and sees them, then",
                "changes one; Alice's next sync shows Bob's change. Nothing outside a temporary",
                "folder is touched; it is deleted at the end unless --keep is given."},
        footer = {"", "Examples:", "  wyren demo", "  wyren demo --keep"})
public class WyrenDemo implements Callable<Integer> {

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--keep", description = "Keep the temporary folder and print its path.")
    boolean keep;

    private PrintWriter out;
    private Env env;

    public static void main(String... args) {
        System.exit(Cli.execute(new WyrenDemo(), System.out, System.err, Cli.Context.current(), args));
    }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("wyren-demo-");
        env = isolatedEnv(common.context().env(), dir);
        out.println("Demo folder: " + dir + (keep ? "" : " (deleted at the end)"));
        try {
            Path remote = dir.resolve("team.git");
            git(dir, "init", "-q", "--bare", remote.toString());
            Path alice = teammate(dir, remote, "alice");
            Path bob = dir.resolve("bob");

            step("Alice runs 'wyren init' in her clone: the memory branch is created and pushed.");
            wyren(alice, new WyrenInit());
            step("Alice's sessions record decisions in .wyren/memory.md (the distiller's job; written by hand here).");
            Files.writeString(alice.resolve(".wyren/memory.md"), Files.readString(alice.resolve(".wyren/memory.md")) + """

                    ## Decisions
                    - SQLite for the cart store, in data/cart.db [5f2c9a1e, turn 3]
                    - Server-sent events for live cart updates [5f2c9a1e, turn 7]

                    ## Rejected paths
                    - WebSockets: the corporate proxy drops upgrade requests [5f2c9a1e, turn 6]
                    """);
            wyren(alice, new WyrenSyncNow());

            step("Bob clones the repository and syncs: he joins the team memory.");
            git(dir, "clone", "-q", remote.toString(), bob.toString());
            wyren(bob, new WyrenSyncNow());
            show(bob.resolve(".wyren/memory.md"));

            step("Bob changes a decision and syncs.");
            Path bobMemory = bob.resolve(".wyren/memory.md");
            Files.writeString(bobMemory, Files.readString(bobMemory).replace(
                    "- SQLite for the cart store, in data/cart.db [5f2c9a1e, turn 3]",
                    "- Postgres for the cart store: SQLite locked under load [7c1d0b2e, turn 4]"));
            wyren(bob, new WyrenSyncNow());

            step("Alice syncs and sees Bob's change; her working tree and branches are untouched.");
            wyren(alice, new WyrenSyncNow());
            show(alice.resolve(".wyren/memory.md"));
            out.println("  git status --short: '" + git(alice, "status", "--short") + "'");
            out.println("  git branch -a: " + String.join(", ", git(alice, "branch", "-a").lines().map(String::strip).toList()));
            out.println();
            out.println("Done. Memory lives on the wyren/memory branch; .wyren/ is git-ignored in every clone.");
        } finally {
            if (keep) {
                out.println("Kept: " + dir);
            } else {
                deleteTree(dir);
            }
            out.flush();
        }
        return Cli.OK;
    }

    private Path teammate(Path dir, Path remote, String name) throws IOException {
        Path seed = dir.resolve("seed");
        git(dir, "init", "-q", seed.toString());
        Files.writeString(seed.resolve("README.md"), "# shop\n");
        git(seed, "add", "README.md");
        git(seed, "commit", "-q", "-m", "initial commit");
        git(seed, "push", "-q", remote.toString(), "HEAD:refs/heads/main");
        Path clone = dir.resolve(name);
        git(dir, "clone", "-q", remote.toString(), clone.toString());
        return clone;
    }

    private void step(String text) {
        out.println();
        out.println("== " + text);
    }

    private void wyren(Path cwd, Object command) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(captured, true, StandardCharsets.UTF_8);
        int code = Cli.execute(command, stream, stream, new Cli.Context(cwd, env));
        String name = command.getClass().getAnnotation(Command.class).name();
        out.println("$ wyren " + name + "    # in " + cwd.getFileName());
        captured.toString(StandardCharsets.UTF_8).lines().forEach(l -> out.println("  " + l));
        if (code != 0) {
            throw new memory.WyrenFailure("the demo's 'wyren " + name + "' exited " + code, "See the output above.");
        }
    }

    private void show(Path file) throws IOException {
        out.println("  --- " + file.getParent().getParent().getFileName() + "/.wyren/memory.md ---");
        Files.readString(file).lines().forEach(l -> out.println("  | " + l));
    }

    private String git(Path in, String... args) {
        return new Git(in, env).call(args).run().line();
    }

    /** The demo's own git config: no user settings (signing, hooks) can interfere, nothing is changed. */
    private static Env isolatedEnv(Env base, Path dir) throws IOException {
        Path config = dir.resolve("gitconfig");
        Files.writeString(config, "[user]\n\tname = Demo Teammate\n\temail = demo@example.com\n[init]\n\tdefaultBranch = main\n");
        Map<String, String> vars = new HashMap<>(base.vars());
        vars.put("GIT_CONFIG_GLOBAL", config.toString());
        vars.put("GIT_CONFIG_NOSYSTEM", "1");
        vars.remove("WYREN_DISABLE");
        vars.remove("WYREN_SKIP_PULL");
        return new Env(vars);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
