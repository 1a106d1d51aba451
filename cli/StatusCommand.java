package cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sync.Backends;
import sync.WyrenSync;

import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Show this repository's team memory and sync state (no network access).",
        footer = {"", "Examples:", "  wyren status", "  wyren status --json"})
public class StatusCommand implements Callable<Integer> {

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object (snake_case keys) instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Cli.Context context = common.context();
        WyrenSync sync = Backends.open(context.cwd(), context.env(), "status", Duration.ZERO);
        StatusReport report = StatusReport.collect(sync, context.env());
        spec.commandLine().getOut().print(json ? report.json() + "\n" : report.text());
        spec.commandLine().getOut().flush();
        return Cli.OK;
    }
}