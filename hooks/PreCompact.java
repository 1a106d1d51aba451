///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Claude Code PreCompact hook: start the distiller for pending turns before the context is compacted
//JAVA 17+
//SOURCES ../session/*.java ../sync/*.java ../memory/*.java ../local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline
//RUNTIME_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto

/** Claude Code's PreCompact hook (JSON on stdin, exit 0 always); the logic is {@link session.Hooks}. */
public class PreCompact {

    public static void main(String... args) {
        session.Hooks.main(session.HookEvent.PRE_COMPACT);
    }
}
