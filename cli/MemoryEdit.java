package cli;

import local.Deadline;
import memory.Redactor;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import sync.Backends;
import sync.PushResult;
import sync.WyrenSync;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** What the commands that change the team memory by hand share: blame's check, forget, unforget, review. */
final class MemoryEdit {

    static final Duration FETCH_CAP = Duration.ofSeconds(3);
    static final Duration PUSH_DEADLINE = Duration.ofSeconds(60);

    private MemoryEdit() {
    }

    /** The backend, pulled up to date, of a checkout that has the team memory. */
    static WyrenSync joinedSync(Cli.Context context, String component) throws Exception {
        WyrenSync sync = Backends.open(context.cwd(), context.env(), component, WyrenSync.CLI_LOCK_WAIT);
        if (sync.disabled()) {
            throw new WyrenFailure("Wyren is disabled in this repository or process", "Unset WYREN_DISABLE or the opt-out, then try again.");
        }
        requireJoined(sync);
        sync.pull(Deadline.in(FETCH_CAP));
        return sync;
    }

    /** Fails with what to do when this checkout has no team memory yet. */
    static void requireJoined(WyrenSync sync) {
        if (!sync.joined()) {
            throw new WyrenFailure("this repository has no team memory here yet", "Run 'wyren init' (or 'wyren sync' to join).");
        }
    }

    static String needle(CommandSpec spec, String text) {
        String needle = text.strip().toLowerCase(Locale.ROOT);
        if (needle.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "TEXT is empty");
        }
        return needle;
    }

    /** Lists what an ambiguous TEXT matched; nothing changes (exit 2). */
    static int ambiguous(CommandSpec spec, String text, String what, List<String> matches) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("wyren: \"" + text + "\" matches " + matches.size() + " " + what + "; give a longer text, or --all for all of them:");
        matches.forEach(m -> err.println("  - " + m));
        err.flush();
        return Cli.USAGE;
    }

    static String message(String verb, String who, String reason, List<String> entries) {
        return "[wyren] " + verb + " " + count(entries.size(), "entry", "entries") + " (" + who + ")\n\n"
                + (reason.isBlank() ? "" : "Reason: " + Redactor.redact(reason.strip()).text() + "\n\n")
                + String.join("\n", entries.stream().map(e -> "- " + e).toList()) + "\n";
    }

    /** Prints how the change travelled; a change committed but not pushed is published by the next sync. */
    static int published(PushResult result, PrintWriter out) {
        out.println("push: " + result.summary());
        out.flush();
        if (result.commit().isEmpty() || !result.fine()) {
            throw new WyrenFailure("push " + result.reason() + ": " + result.detail(), result.nextStep());
        }
        return Cli.OK;
    }


    static String count(int n, String one, String many) {
        return n == 1 ? "1 " + one : n + " " + many;
    }
}
