package cli;

import local.Deadline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import sync.Backends;
import sync.FetchResult;
import sync.PullResult;
import sync.PushResult;
import sync.WyrenSync;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "sync", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Pull the team memory, then publish local changes now.", "",
                "Publishes hand edits and commits an earlier push left local. In a clone that has not joined yet, joins the team memory."},
        footer = {"", "Examples:", "  wyren sync", "  WYREN_SKIP_PULL=1 wyren sync   # publish without fetching first"})
public class SyncCommand implements Callable<Integer> {

    static final Duration FETCH_CAP = Duration.ofSeconds(3);

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Cli.Context context = common.context();
        WyrenSync sync = Backends.open(context.cwd(), context.env(), "sync", WyrenSync.CLI_LOCK_WAIT);
        PrintWriter out = spec.commandLine().getOut();
        if (sync.disabled()) {
            out.println("Wyren is disabled in this repository or process; nothing to sync.");
            return Cli.OK;
        }
        FetchResult joined = null;
        if (!sync.usesWyren()) {
            joined = sync.fetch(Deadline.in(FETCH_CAP));
        }
        PullResult pull = sync.pull(Deadline.in(FETCH_CAP));
        if (pull.working() == PullResult.Working.NOT_INITIALIZED) {
            String remote = sync.location().remote().orElse("(no remote)");
            boolean fetchedNothing = joined == null || joined.outcome() == PullResult.Fetch.NO_REMOTE_BRANCH
                    || joined.outcome() == PullResult.Fetch.NO_REMOTE;
            throw fetchedNothing
                    ? new WyrenFailure("this repository has no team memory yet (no " + sync.location().branch()
                            + " branch on " + remote + ")", "Run 'wyren init' to create it.")
                    : new WyrenFailure("could not fetch the team memory from " + remote + ": " + joined.detail(),
                            "Check that the remote is reachable, then run 'wyren sync' again.");
        }
        out.println("pull: " + pull.summary());
        PushResult push = sync.push("manual", Deadline.in(Duration.ofSeconds(60)));
        out.println("push: " + push.summary());
        out.flush();
        if (!push.fine()) {
            throw new WyrenFailure("push " + push.reason() + ": " + push.detail(), push.nextStep());
        }
        return Cli.OK;
    }
}