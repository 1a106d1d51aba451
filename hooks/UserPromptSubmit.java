///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Claude Code UserPromptSubmit hook: hand the session what teammates changed in the memory since it last looked
//JAVA 17+
//SOURCES ../session/*.java ../sync/*.java ../memory/*.java ../local/*.java
//JAVAC_OPTIONS -XDstringConcat=inline
//RUNTIME_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto

/** Claude Code's UserPromptSubmit hook (JSON on stdin, exit 0 always); the logic is {@link session.Hooks}. */
public class UserPromptSubmit {

    public static void main(String... args) {
        session.Hooks.main(session.HookEvent.USER_PROMPT_SUBMIT);
    }
}
