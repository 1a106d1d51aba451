package cli;

import local.Deadline;
import local.WyrenPaths;
import memory.MemoryDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sync.Backends;
import sync.InitResult;
import sync.WyrenSync;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Set up Wyren in this repository (safe to run again).", "",
                "Creates the memory branch (or joins the one on the remote), writes .wyren/.gitignore and .wyren/memory.md, and pushes the branch if there is a remote."},
        footer = {"", "Examples:", "  wyren init", "  wyren init --seed-from-claude-md"})
public class InitCommand implements Callable<Integer> {

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--seed-from-claude-md",
            description = "Start the memory from the bullets of CLAUDE.md (used only when creating the branch).")
    boolean seedFromClaudeMd;

    @Override
    public Integer call() throws Exception {
        Cli.Context context = common.context();
        WyrenSync sync = Backends.open(context.cwd(), context.env(), "init", WyrenSync.CLI_LOCK_WAIT);
        PrintWriter out = spec.commandLine().getOut();
        if (sync.disabled()) {
            out.println("Wyren is disabled in this repository or process (WYREN_DISABLE or wyren.enabled=false); nothing done.");
            return Cli.OK;
        }
        Optional<MemoryDocument> seed = Optional.empty();
        if (seedFromClaudeMd) {
            Path claudeMd = sync.location().root().resolve("CLAUDE.md");
            if (!Files.isRegularFile(claudeMd)) {
                throw new WyrenFailure("no CLAUDE.md at " + sync.location().root(), "Create one, or run 'wyren init' without --seed-from-claude-md.");
            }
            seed = Optional.of(MemoryDocument.fromClaudeMd(Files.readString(claudeMd)));
        }
        InitResult result = sync.initialize(seed, Deadline.in(Duration.ofSeconds(60)));
        String remote = sync.location().remote().map(r -> r + "/" + sync.location().branch()).orElse("");
        out.println(switch (result.kind()) {
            case CREATED -> "Created the team memory branch " + sync.location().branch() + " (local ref " + sync.location().localName() + ").";
            case JOINED -> "Joined the team memory from " + remote + ".";
            case ALREADY -> "Already initialized; memory is up to date.";
        });
        out.println("Memory: " + WyrenPaths.MEMORY + "  (git ignores .wyren/ through .wyren/.gitignore; your files are untouched)");
        out.println("Publish: " + result.push().summary());
        if (result.legacyTracked()) {
            out.println();
            out.println(WyrenPaths.MEMORY + " is tracked on your branch (original Wyren)"
                    + (result.kind() == InitResult.Kind.CREATED ? "; its content is now the team memory." : "."));
            out.println("Wyren no longer writes tracked files. Stop tracking it with:");
            out.println("  git rm --cached " + WyrenPaths.MEMORY + " && git commit -m \"Stop tracking Wyren memory (now on " + sync.location().branch() + ")\"");
        }
        out.flush();
        if (!result.push().fine()) {
            throw new WyrenFailure("the memory branch is set up locally but was not published: " + result.push().detail(),
                    result.push().nextStep());
        }
        return Cli.OK;
    }
}