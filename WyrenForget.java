///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Take entries back from the team memory for the whole team (forget --list shows them)
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.Cli;
import cli.ForgetCommand;

/** The script of {@link ForgetCommand}: the command lives in the cli package. */
public class WyrenForget {

    public static void main(String... args) {
        System.exit(Cli.execute(new ForgetCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
