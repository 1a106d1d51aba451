///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren status: memory size, sync state, lock and hand edits of this repository
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java

import cli.Cli;
import local.Json;
import cli.StatusReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sync.GitSync;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Show this repository's team memory and sync state (no network access).",
        footer = {"", "Examples:", "  wyren status", "  wyren status --json"})
public class WyrenStatus implements Callable<Integer> {

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object (snake_case keys) instead of text.")
    boolean json;

    public static void main(String... args) {
        System.exit(Cli.execute(new WyrenStatus(), System.out, System.err, Cli.Context.current(), args));
    }

    @Override
    public Integer call() throws Exception {
        Cli.Context context = common.context();
        GitSync sync = GitSync.open(context.cwd(), context.env(), "status", Duration.ZERO);
        Map<String, Object> fields = StatusReport.collect(sync, context.env());
        spec.commandLine().getOut().print(json ? Json.MAPPER.writeValueAsString(fields) + "\n" : StatusReport.text(fields));
        spec.commandLine().getOut().flush();
        return Cli.OK;
    }
}
