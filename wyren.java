///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren: a shared brain for teams that code with Claude Code (init, status, sync, distill, log, demo)
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.WyrenCommand;
import local.Env;

import java.nio.file.Path;

/** The script of {@link WyrenCommand}: the command lives in the cli package. */
public class wyren {

    public static void main(String... args) {
        System.exit(WyrenCommand.run(System.out, System.err, Path.of("").toAbsolutePath(), Env.system(), args));
    }
}
