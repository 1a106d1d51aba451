///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Show the entries the distiller held back for review, and publish or discard them
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.Cli;
import cli.ReviewCommand;

/** The script of {@link ReviewCommand}: the command lives in the cli package. */
public class WyrenReview {

    public static void main(String... args) {
        System.exit(Cli.execute(new ReviewCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
