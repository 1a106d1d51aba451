package cli;

import local.Deadline;
import memory.Tombstones;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sync.PushResult;
import sync.WyrenSync;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "unforget", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Lift the tombstone of a forgotten entry, for the whole team.", "",
                "The entry is not put back: from now on a distillation or a hand edit may add it again."},
        footer = {"", "Examples:", "  wyren unforget \"Redis for the session cache\"", "  wyren forget --list"})
public class UnforgetCommand implements Callable<Integer> {

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TEXT", description = "Part of the forgotten entry's text (case does not matter).")
    String text;

    @Option(names = "--reason", paramLabel = "R", defaultValue = "", description = "Why; written into the commit.")
    String reason;

    @Option(names = "--all", description = "Lift every tombstone TEXT matches.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        String needle = MemoryEdit.needle(spec, text);
        WyrenSync sync = MemoryEdit.joinedSync(common.context(), "forget");
        List<Tombstones.Tombstone> matches = sync.tombstones().matching(needle);
        if (matches.isEmpty()) {
            throw new WyrenFailure("no forgotten entry contains \"" + text + "\"", "Run 'wyren forget --list' to see what is forgotten.");
        }
        if (matches.size() > 1 && !all) {
            return MemoryEdit.ambiguous(spec, text, "forgotten entries", matches.stream().map(Tombstones.Tombstone::text).toList());
        }
        String who = sync.author();
        PushResult result = sync.commitTombstones(MemoryEdit.message("unforget", who, reason, matches.stream().map(Tombstones.Tombstone::text).toList()),
                t -> t.without(matches), Deadline.in(MemoryEdit.PUSH_DEADLINE));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Lifted " + MemoryEdit.count(matches.size(), "tombstone", "tombstones")
                + "; the entry is not restored, but may be added again:");
        matches.forEach(t -> out.println("  - " + t.text()));
        return MemoryEdit.published(result, out);
    }
}
