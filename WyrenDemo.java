///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren demo: two teammates share memory through a temporary bare remote, offline, in seconds
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.Cli;
import cli.DemoCommand;

/** The script of {@link DemoCommand}: the command lives in the cli package. */
public class WyrenDemo {

    public static void main(String... args) {
        System.exit(Cli.execute(new DemoCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
