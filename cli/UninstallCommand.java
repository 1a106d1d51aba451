package cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import local.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "uninstall", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Remove Wyren's hooks from Claude Code user settings; every other entry stays as it is.", "",
                "Team memory, .wyren/ folders and the wyren/memory branch are not touched."},
        footer = {"", "Examples:", "  wyren uninstall", "  wyren uninstall --settings /tmp/try/settings.json"})
public class UninstallCommand implements Callable<Integer> {

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Mixin
    SettingsFileOption settingsFile;

    @Override
    public Integer call() throws Exception {
        Cli.Context context = common.context();
        Path file = settingsFile.resolve(context);
        PrintWriter out = spec.commandLine().getOut();
        ClaudeSettings.Loaded loaded = InstallCommand.load(file);
        if (ClaudeSettings.wired(loaded.tree()).stream().noneMatch(ClaudeSettings.Wired::wyrens)) {
            out.println("Wyren's hooks are not in " + file + "; nothing to do.");
            out.flush();
            return Cli.OK;
        }
        Path backup = file.resolveSibling(file.getFileName() + ".wyren-backup");
        Optional<ObjectNode> preWyren = Optional.empty();
        if (Files.isRegularFile(backup)) {
            try {
                preWyren = Optional.of(ClaudeSettings.load(backup).tree());
            } catch (IOException unreadable) {
                // Without the backup, wrapped entries stay wrapped; their content is unchanged either way.
            }
        }
        InstallCommand.requireWritable(file);
        AtomicFiles.write(file, ClaudeSettings.render(ClaudeSettings.withoutWyren(loaded.tree(), preWyren)));
        out.println("Removed Wyren's hooks from " + file + "; other entries are unchanged.");
        if (Files.exists(backup)) {
            out.println("The file as it was before Wyren is still in " + backup + ".");
        }
        out.flush();
        return Cli.OK;
    }
}