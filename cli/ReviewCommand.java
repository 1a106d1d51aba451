package cli;

import local.Deadline;
import local.Json;
import memory.MemoryDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import session.HeldBack;
import sync.Backends;
import sync.PushResult;
import sync.WyrenSync;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "review", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Show the entries the distiller held back, and publish or discard them.", "",
                "An entry is held back (kept on this machine, never shared) when its substance appears only in tool output"
                        + " (files, command output, web pages) and not in what the user or the assistant said, or when it carries"
                        + " a command that fetches or runs code, a pipe into a shell, a link outside the repository's own remote,"
                        + " or advice that weakens security. Each is shown with why and the transcript lines it came from."},
        footer = {"", "Examples:", "  wyren review", "  wyren review --publish 3fa2c81d", "  wyren review --discard 3fa2c81d",
                "  wyren review --json"})
public class ReviewCommand implements Callable<Integer> {

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    // Plain options checked by hand, not an ArgGroup of Optionals: picocli's reflection for those would
    // cost every wyren command start-up time.
    @Option(names = "--publish", paramLabel = "ID", defaultValue = "", description = "Add the held-back entry to the team memory and push.")
    String publishId;

    @Option(names = "--discard", paramLabel = "ID", defaultValue = "", description = "Drop the held-back entry; nothing is shared.")
    String discardId;

    @Option(names = "--json", description = "Print the held-back entries as a JSON array.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Cli.Context context = common.context();
        PrintWriter out = spec.commandLine().getOut();
        if ((publishId.isEmpty() ? 0 : 1) + (discardId.isEmpty() ? 0 : 1) + (json ? 1 : 0) > 1) {
            throw new ParameterException(spec.commandLine(), "--publish, --discard and --json go one at a time");
        }
        Optional<String> publish = Optional.of(publishId).filter(id -> !id.isEmpty());
        Optional<String> discard = Optional.of(discardId).filter(id -> !id.isEmpty());
        WyrenSync sync = publish.isPresent() ? MemoryEdit.joinedSync(context, "review")
                : Backends.open(context.cwd(), context.env(), "review", WyrenSync.CLI_LOCK_WAIT);
        HeldBack held = HeldBack.read(sync.paths().heldBack(), sync.log());
        if (publish.isPresent() || discard.isPresent()) {
            String id = publish.or(() -> discard).orElseThrow();
            HeldBack.Entry entry = held.find(id).orElseThrow(() -> new WyrenFailure("no held-back entry has the id '" + id + "'",
                    "Run 'wyren review' to see the held-back entries and their ids."));
            if (publish.isPresent()) {
                if (sync.tombstones().identities().contains(MemoryDocument.identity(entry.bullet()))) {
                    throw new WyrenFailure("this entry was forgotten by the team, so it would be left out",
                            "Run 'wyren forget --list' to see who forgot it and why; 'wyren unforget <text>' first if it should come back.");
                }
                PushResult result = sync.commitMemory(entry.session(), text -> withEntry(text, entry.memoryEntry()), true,
                        Deadline.in(MemoryEdit.PUSH_DEADLINE));
                if (result.commit().isEmpty()) {
                    throw new WyrenFailure("could not add the entry: " + result.detail(), result.nextStep());
                }
                HeldBack.update(sync.paths().heldBack(), sync.log(), h -> h.without(entry.id()));
                sync.log().info("published held-back entry " + entry.id() + " after review");
                out.println("Published to the team memory (" + entry.section() + "): " + entry.bullet());
                return MemoryEdit.published(result, out);
            }
            HeldBack.update(sync.paths().heldBack(), sync.log(), h -> h.without(entry.id()));
            sync.log().info("discarded held-back entry " + entry.id() + " after review");
            out.println("Discarded (never shared): " + entry.bullet());
            out.flush();
            return Cli.OK;
        }
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(held.entries()));
        } else if (held.entries().isEmpty()) {
            out.println("Nothing is held back for review.");
        } else {
            out.println(MemoryEdit.count(held.entries().size(), "entry", "entries")
                    + " held back for review (kept on this machine, not shared):");
            for (HeldBack.Entry e : held.entries()) {
                out.println();
                out.println("[" + e.id() + "] " + e.section() + ": " + e.bullet());
                out.println("  held back: " + String.join("; ", e.details()));
                out.println("  from session " + local.ShortId.of(e.session()) + ", " + e.at() + ":");
                e.sourceLines().forEach(l -> out.println("    " + l));
            }
            out.println();
            out.println("Publish one with 'wyren review --publish ID', or drop it with 'wyren review --discard ID'.");
        }
        out.flush();
        return Cli.OK;
    }

    /** The memory with the entry added at the end of its section (the section made if missing). */
    static String withEntry(String memory, MemoryDocument.Entry entry) {
        MemoryDocument doc = MemoryDocument.parse(memory);
        List<MemoryDocument.Section> sections = new ArrayList<>();
        boolean added = false;
        for (MemoryDocument.Section s : doc.sections()) {
            if (!added && s.name().equalsIgnoreCase(entry.section())) {
                List<String> bullets = new ArrayList<>(s.bullets());
                bullets.add(entry.bullet());
                s = new MemoryDocument.Section(s.name(), s.prose(), bullets);
                added = true;
            }
            sections.add(s);
        }
        if (!added) {
            sections.add(new MemoryDocument.Section(entry.section(), List.of(), List.of(entry.bullet())));
        }
        return new MemoryDocument(doc.preamble().isEmpty() ? MemoryDocument.skeleton().preamble() : doc.preamble(), sections).render();
    }
}
