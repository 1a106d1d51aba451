///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren distill: turn session transcripts into team memory now (same path as the automatic one)
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.Cli;
import cli.DistillCommand;

/** The script of {@link DistillCommand}: the command lives in the cli package. */
public class WyrenDistill {

    public static void main(String... args) {
        System.exit(Cli.execute(new DistillCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
