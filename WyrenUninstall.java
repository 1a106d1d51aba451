///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren uninstall: remove Wyren's hooks from Claude Code user settings, keeping everything else
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.Cli;
import cli.UninstallCommand;

/** The script of {@link UninstallCommand}: the command lives in the cli package. */
public class WyrenUninstall {

    public static void main(String... args) {
        System.exit(Cli.execute(new UninstallCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
