package cli;

import local.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sync.Backends;
import sync.WyrenSync;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "blame", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Show who wrote each entry of the team memory, when, in which commit and from which session.",
                "Read from the memory branch's own history (no network access)."},
        footer = {"", "Examples:", "  wyren blame", "  wyren blame --json"})
public class BlameCommand implements Callable<Integer> {

    /** Versions read at most: enough for years of a team's memory, bounded for a hostile history. */
    static final int HISTORY_LIMIT = 2_000;

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array: section, bullet, author, email, time, version, session, turn.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Cli.Context context = common.context();
        WyrenSync sync = Backends.open(context.cwd(), context.env(), "blame", Duration.ZERO);
        MemoryEdit.requireJoined(sync);
        List<Blame> blames = Blame.of(sync.memoryText().orElse(""), sync.history(HISTORY_LIMIT));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(blames));
        } else {
            String section = null;
            for (Blame blame : blames) {
                if (!blame.section().equals(section)) {
                    out.print((section == null ? "" : "\n") + "## " + blame.section() + "\n");
                    section = blame.section();
                }
                out.print(blame.text());
            }
            if (blames.isEmpty()) {
                out.println("The team memory has no entries yet.");
            }
        }
        out.flush();
        return Cli.OK;
    }
}
