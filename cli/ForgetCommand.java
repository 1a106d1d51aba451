package cli;

import local.Deadline;
import memory.MemoryDocument;
import memory.Provenance;
import memory.Tombstones;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sync.PushResult;
import sync.WyrenSync;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "forget", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Take entries back from the team memory, for the whole team, for good.", "",
                "Removes the entries whose text contains TEXT (ignoring case) and keeps a tombstone of each on the memory branch,"
                        + " so neither a teammate's merge nor a later distillation brings it back. The commit names who and why.",
                "When TEXT matches several entries, they are listed and nothing changes: give a longer text, or --all."},
        footer = {"", "Examples:", "  wyren forget \"Redis for the session cache\" --reason \"we moved to Postgres\"",
                "  wyren forget TLS --all", "  wyren forget --list", "  wyren unforget \"Redis for the session cache\""})
public class ForgetCommand implements Callable<Integer> {

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    // Plain strings, not Optional: picocli's generic-type reflection would cost every wyren command start-up time.
    @Parameters(arity = "0..1", paramLabel = "TEXT", defaultValue = "", description = "Part of the entry's text (case does not matter).")
    String text;

    @Option(names = "--reason", paramLabel = "R", defaultValue = "", description = "Why; written into the commit and the tombstone.")
    String reason;

    @Option(names = "--all", description = "Forget every entry TEXT matches.")
    boolean all;

    @Option(names = "--list", description = "Show the tombstones: what was forgotten, by whom, when and why.")
    boolean list;

    @Override
    public Integer call() throws Exception {
        Cli.Context context = common.context();
        PrintWriter out = spec.commandLine().getOut();
        if (list == !text.isEmpty()) {
            throw new ParameterException(spec.commandLine(), list ? "--list takes no TEXT" : "give the TEXT of the entry to forget, or --list");
        }
        WyrenSync sync = MemoryEdit.joinedSync(context, "forget");
        if (list) {
            Tombstones tombstones = sync.tombstones();
            out.print(tombstones.isEmpty() ? "Nothing has been forgotten.\n" : tombstones.render());
            out.flush();
            return Cli.OK;
        }
        String needle = MemoryEdit.needle(spec, text);
        List<MemoryDocument.Entry> matches = MemoryDocument.parse(sync.memoryText().orElse("")).entries().stream()
                .filter(e -> Provenance.withoutTag(e.bullet()).strip().toLowerCase(Locale.ROOT).contains(needle)).toList();
        if (matches.isEmpty()) {
            throw new WyrenFailure("no entry of the team memory contains \"" + text + "\"",
                    "Run 'wyren blame' to see every entry; 'wyren forget --list' shows what is already forgotten.");
        }
        if (matches.size() > 1 && !all) {
            return MemoryEdit.ambiguous(spec, text, "entries", matches.stream().map(m -> m.section() + ": " + m.bullet()).toList());
        }
        String who = sync.author();
        String note = "forgotten by " + who + " on " + LocalDate.now(ZoneOffset.UTC) + (reason.isBlank() ? "" : ": " + reason.strip());
        List<Tombstones.Tombstone> tombstones = matches.stream().map(e -> new Tombstones.Tombstone(Provenance.withoutTag(e.bullet()).strip(), note)).toList();
        if (!sync.tombstones().roomFor(tombstones)) {
            throw new WyrenFailure("the team has forgotten " + Tombstones.MAX + " entries or " + Tombstones.MAX_BYTES / 1024
                    + " KB of them already; nothing was changed", "Lift old tombstones with 'wyren unforget <text>' (see 'wyren forget --list').");
        }
        PushResult result = sync.commitTombstones(MemoryEdit.message("forget", who, reason, tombstones.stream().map(Tombstones.Tombstone::text).toList()),
                t -> t.with(tombstones), Deadline.in(MemoryEdit.PUSH_DEADLINE));
        out.println("Forgot " + MemoryEdit.count(matches.size(), "entry", "entries") + " for the whole team:");
        tombstones.forEach(t -> out.println("  - " + t.text()));
        return MemoryEdit.published(result, out);
    }

}
