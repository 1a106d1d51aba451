package cli;

import local.WyrenPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sync.Backends;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "log", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Show the last lines of .wyren/log (hooks, sync, distiller).",
        footer = {"", "Examples:", "  wyren log", "  wyren log -n 100", "  wyren log --follow"})
public class LogCommand implements Callable<Integer> {

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "20", description = "How many lines (default: 20).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines as they are written (Ctrl-C to stop).")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        if (lines < 0) {
            throw new ParameterException(spec.commandLine(), "-n must be 0 or more, not " + lines);
        }
        Cli.Context context = common.context();
        WyrenPaths paths = Backends.open(context.cwd(), context.env(), "log", Duration.ZERO).paths();
        Path log = paths.log();
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.exists(log) && !follow) {
            throw new WyrenFailure("no log yet at " + log, "Wyren writes it once it runs here; try 'wyren status'.");
        }
        long position = 0;
        if (Files.exists(log)) {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            all.subList(Math.max(0, all.size() - lines), all.size()).forEach(out::println);
            position = Files.size(log);
        }
        out.flush();
        while (follow) {
            Thread.sleep(250);
            long size = Files.exists(log) ? Files.size(log) : 0;
            if (size < position) {
                position = 0;
            }
            if (size > position) {
                position = printFrom(log, position, out);
            }
        }
        return Cli.OK;
    }

    private static long printFrom(Path log, long position, PrintWriter out) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(position);
            byte[] bytes = new byte[(int) (file.length() - position)];
            file.readFully(bytes);
            out.print(new String(bytes, StandardCharsets.UTF_8));
            out.flush();
            return position + bytes.length;
        }
    }
}