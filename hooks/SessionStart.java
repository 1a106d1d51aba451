///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Claude Code SessionStart hook: pull the team memory and hand it to the new session
//JAVA 17+
//SOURCES ../session/*.java ../sync/*.java ../memory/*.java ../local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline
//RUNTIME_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto

/** Claude Code's SessionStart hook (JSON on stdin, exit 0 always); the logic is {@link session.Hooks}. */
public class SessionStart {

    public static void main(String... args) {
        session.Hooks.main(session.HookEvent.SESSION_START);
    }
}
