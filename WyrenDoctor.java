///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren doctor: check java, git, jbang, claude, the hook wiring and this repository; one fix per problem
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.Cli;
import cli.DoctorCommand;

/** The script of {@link DoctorCommand}: the command lives in the cli package. */
public class WyrenDoctor {

    public static void main(String... args) {
        System.exit(Cli.execute(new DoctorCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
