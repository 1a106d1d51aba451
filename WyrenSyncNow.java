///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren sync: pull the team memory, then publish local changes now
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.Cli;
import cli.SyncCommand;

/** The script of {@link SyncCommand}: the command lives in the cli package. */
public class WyrenSyncNow {

    public static void main(String... args) {
        System.exit(Cli.execute(new SyncCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
