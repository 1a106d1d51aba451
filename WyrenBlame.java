///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren blame: who wrote each entry of the team memory, when, and from which session
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.BlameCommand;
import cli.Cli;

/** The script of {@link BlameCommand}: the command lives in the cli package. */
public class WyrenBlame {

    public static void main(String... args) {
        System.exit(Cli.execute(new BlameCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
