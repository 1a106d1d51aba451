package cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** {@code --settings FILE}, shared by install, uninstall and doctor. */
public final class SettingsFileOption {

    @Option(names = "--settings", paramLabel = "FILE",
            description = "Settings file (default: $CLAUDE_CONFIG_DIR/settings.json, else ~/.claude/settings.json).")
    Path settings;

    /** The file given, relative to the working directory, else Claude Code's user settings file. */
    public Path resolve(Cli.Context context) {
        return Optional.ofNullable(settings).map(p -> context.cwd().resolve(p).normalize())
                .orElse(ClaudeSettings.defaultFile(context.env()));
    }
}
