package cli;

import local.Env;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.PrintStream;
import java.nio.file.Path;

@Command(name = "wyren", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"A shared brain for teams that code with Claude Code: team memory on the",
                "wyren/memory branch, handed to every session."},
        subcommands = {InitCommand.class, StatusCommand.class, SyncCommand.class, DistillCommand.class, LogCommand.class,
                BlameCommand.class, ForgetCommand.class, UnforgetCommand.class, ReviewCommand.class,
                BroadcastSkillCommand.class, InstallCommand.class, UninstallCommand.class, DoctorCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:", "  wyren init          # once per repository", "  wyren status",
                "  wyren sync          # publish hand edits now"})
public class WyrenCommand implements Runnable {

    @Spec
    CommandSpec spec;

    /** The whole CLI with its own streams, directory and environment: what tests call. */
    public static int run(PrintStream out, PrintStream err, Path cwd, Env env, String... args) {
        return Cli.execute(new WyrenCommand(), out, err, new Cli.Context(cwd, env), args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (init, status, sync, distill, log, blame, broadcast-skill, install, uninstall, doctor, demo)");
    }
}