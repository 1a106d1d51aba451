package cli;

import local.LockFile;
import local.Locked;
import local.ShortId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import session.Distiller;
import session.DistillerProcess;
import sync.Backends;
import sync.WyrenSync;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "distill", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Distill session transcripts into the team memory now.", "",
                "Without --transcript, every session of this repository with pending turns. Same path as the automatic distillation: signal filter, engine, validation, redaction, merge, commit, push."},
        footer = {"", "Engines: claude (headless claude -p), command (WYREN_DISTILL_COMMAND), extractive (offline).",
                "", "Examples:", "  wyren distill", "  wyren distill --engine extractive --transcript ~/.claude/projects/x/abc.jsonl",
                "  wyren distill --dry-run --force     # print the prompt, change nothing"})
public class DistillCommand implements Callable<Integer> {

    static final List<String> ENGINES = List.of("claude", "command", "extractive");

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--force", description = "Distill even when the signal filter would skip; allow large removals.")
    boolean force;

    @Option(names = "--dry-run", description = "Print the prompt and change nothing.")
    boolean dryRun;

    @Option(names = "--no-push", description = "Commit the new memory locally without pushing.")
    boolean noPush;

    @Option(names = "--transcript", paramLabel = "PATH", description = "Distill this transcript (JSONL) only.")
    Path transcript;

    @Option(names = "--session", paramLabel = "ID", description = "Session id (with --transcript: its id; alone: that session only).")
    String session;

    @Option(names = "--engine", paramLabel = "ENGINE", description = "claude, command or extractive (default: WYREN_DISTILLER, else auto).")
    String engine;

    @Override
    public Integer call() throws Exception {
        Cli.Context context = common.context();
        if (engine != null && !ENGINES.contains(engine)) {
            throw new ParameterException(spec.commandLine(), "unknown engine '" + engine + "' (use claude, command or extractive)");
        }
        Optional<Path> transcriptPath = Optional.ofNullable(transcript).map(p -> context.cwd().resolve(p).normalize());
        if (transcriptPath.isPresent() && !Files.isRegularFile(transcriptPath.get())) {
            throw new ParameterException(spec.commandLine(), "no such transcript: " + transcriptPath.get());
        }
        WyrenSync sync = Backends.open(context.cwd(), context.env(), "distill", WyrenSync.CLI_LOCK_WAIT);
        PrintWriter out = spec.commandLine().getOut();
        if (sync.disabled()) {
            out.println("Wyren is disabled in this repository or process; nothing distilled.");
            return Cli.OK;
        }
        if (!sync.joined()) {
            throw new WyrenFailure("Wyren is not initialized in this repository", "Run 'wyren init' first.");
        }
        Optional<LockFile> claim = Optional.empty();
        if (!dryRun) {
            try {
                claim = Optional.of(DistillerProcess.claim(sync.paths().distillerPid()));
            } catch (Locked running) {
                throw new WyrenFailure("a distiller is already running for this repository (" + running.holder() + ")",
                        "Wait for it to finish ('wyren log -n 5'), then run again.");
            }
        }
        Distiller.Report report;
        try {
            report = new Distiller(sync, context.env()).run(new Distiller.Options(force, dryRun, noPush, transcriptPath,
                    Optional.ofNullable(session), Optional.ofNullable(engine)), out);
        } catch (IllegalArgumentException badEngine) {
            throw new WyrenFailure(badEngine.getMessage(), "Fix WYREN_DISTILLER or WYREN_DISTILL_COMMAND.");
        } finally {
            claim.ifPresent(LockFile::close);
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter summary = dryRun ? err : out;
        summary.println("engine: " + report.engine());
        if (report.sessions().isEmpty()) {
            summary.println("nothing to distill: no session has pending turns");
        }
        report.sessions().forEach(s -> summary.println("session " + ShortId.of(s.sessionId())
                + ": " + s.status().name().toLowerCase(java.util.Locale.ROOT) + " (" + s.detail() + ")"));
        summary.flush();
        if (report.failed()) {
            String why = report.sessions().stream().filter(s -> s.status().failed()).findFirst()
                    .map(s -> s.status().name().toLowerCase(java.util.Locale.ROOT) + ": " + s.detail())
                    .orElse(report.publish().map(p -> p.detail()).orElse("failed"));
            throw new WyrenFailure("distillation did not complete: " + why,
                    "Memory and watermarks are unchanged where it failed; see 'wyren log', fix, and run 'wyren distill' again.");
        }
        return Cli.OK;
    }
}