///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren: a shared brain for teams that code with Claude Code (init, status, sync, distill, log, demo)
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java WyrenInit.java WyrenStatus.java WyrenSyncNow.java WyrenDistill.java WyrenLog.java
//SOURCES WyrenBroadcastSkill.java WyrenInstall.java WyrenUninstall.java WyrenDoctor.java WyrenDemo.java hooks/*.java

import cli.Cli;
import local.Env;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;

@Command(name = "wyren", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"A shared brain for teams that code with Claude Code: team memory on the",
                "wyren/memory branch, handed to every session."},
        subcommands = {WyrenInit.class, WyrenStatus.class, WyrenSyncNow.class, WyrenDistill.class, WyrenLog.class,
                WyrenBroadcastSkill.class, WyrenInstall.class, WyrenUninstall.class, WyrenDoctor.class, WyrenDemo.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:", "  wyren init          # once per repository", "  wyren status",
                "  wyren sync          # publish hand edits now"})
public class wyren implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String... args) {
        System.exit(run(System.out, System.err, Path.of("").toAbsolutePath(), Env.system(), args));
    }

    /** The whole CLI with its own streams, directory and environment: what tests call. */
    public static int run(PrintStream out, PrintStream err, Path cwd, Env env, String... args) {
        return Cli.execute(new wyren(), out, err, new Cli.Context(cwd, env), args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (init, status, sync, distill, log, broadcast-skill, install, uninstall, doctor, demo)");
    }
}
