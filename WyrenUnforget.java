///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Lift the tombstone of a forgotten team memory entry
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.Cli;
import cli.UnforgetCommand;

/** The script of {@link UnforgetCommand}: the command lives in the cli package. */
public class WyrenUnforget {

    public static void main(String... args) {
        System.exit(Cli.execute(new UnforgetCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
