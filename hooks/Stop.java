///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Claude Code Stop hook: count the turn and start the distiller when enough turns are pending
//JAVA 17+
//SOURCES ../memory/*.java ../sync/*.java
//JAVAC_OPTIONS -XDstringConcat=inline
//RUNTIME_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto

/** Claude Code's Stop hook (JSON on stdin, exit 0 always); the logic is {@link memory.Hooks}. */
public class Stop {

    public static void main(String... args) {
        memory.Hooks.main(memory.HookEvent.STOP);
    }
}
