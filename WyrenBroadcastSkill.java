///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Wyren broadcast-skill: share a text file (a skill, a checklist) with every teammate's sessions
//JAVA 17+
//SOURCES cli/*.java session/*.java sync/*.java memory/*.java local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline

import cli.BroadcastSkillCommand;
import cli.Cli;

/** The script of {@link BroadcastSkillCommand}: the command lives in the cli package. */
public class WyrenBroadcastSkill {

    public static void main(String... args) {
        System.exit(Cli.execute(new BroadcastSkillCommand(), System.out, System.err, Cli.Context.current(), args));
    }
}
