///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren install: wire Wyren's hooks into this machine's Claude Code user settings
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.Cli;
import cli.InstallCommand;

/** The script of {@link InstallCommand}: the command lives in the cli package. */
public class WyrenInstall {

    public static void main(String... args) {
        System.exit(Cli.execute(new InstallCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
