///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren log: the last lines of .wyren/log, optionally following it
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.Cli;
import cli.LogCommand;

/** The script of {@link LogCommand}: the command lives in the cli package. */
public class WyrenLog {

    public static void main(String... args) {
        System.exit(Cli.execute(new LogCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
