///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren init: create or join the team memory branch and set up .wyren/
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.Cli;
import cli.InitCommand;

/** The script of {@link InitCommand}: the command lives in the cli package. */
public class WyrenInit {

    public static void main(String... args) {
        System.exit(Cli.execute(new InitCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
