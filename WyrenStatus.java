///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren status: memory size, sync state, lock and hand edits of this repository
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.Cli;
import cli.StatusCommand;

/** The script of {@link StatusCommand}: the command lives in the cli package. */
public class WyrenStatus {

    public static void main(String... args) {
        System.exit(Cli.execute(new StatusCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
