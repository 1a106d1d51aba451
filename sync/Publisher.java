package sync;

import local.Deadline;
import local.LogFile;
import local.ShortId;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Publishing the local memory commit (SPEC §3 push 3–5): push that one ref, and when the remote moved
 * first (non-fast-forward, or a push that lost the race inside the server), fetch, merge onto the
 * remote tip, and try again, at most {@link GitSync#MAX_PUSH_ATTEMPTS} times. Other rejections are
 * reported at once with the remote's message.
 *
 * <p>The push goes to the remote's push URL rather than its name, so git does not also update the
 * user's remote-tracking ref (which would race with the user's own {@code git fetch}); Wyren's own
 * tracking ref records what was pushed.
 */
final class Publisher {

    /** Brings the local ref onto the freshly fetched remote tip and rewrites the working copy; returns the new local tip. */
    interface Integrate {
        String onRemoteTip() throws IOException;
    }

    private final Repo repo;
    private final Git git;
    private final MemoryBranch branch;
    private final LogFile log;

    Publisher(Repo repo, Git git, MemoryBranch branch, LogFile log) {
        this.repo = repo;
        this.git = git;
        this.branch = branch;
        this.log = log;
    }

    PushResult publish(String local, Deadline deadline, Function<Deadline, FetchResult> fetch, Integrate integrate)
            throws IOException {
        String remote = repo.remote().orElseThrow();
        String target = pushUrl(remote);
        String current = local;
        for (int attempt = 1; attempt <= GitSync.MAX_PUSH_ATTEMPTS; attempt++) {
            GitResult result;
            try {
                result = git.call("push", "--porcelain", "--no-verify", target, repo.localRef() + ":" + repo.remoteRef())
                        .network(deadline.cap(GitSync.PUSH_CAP), repo.userConfiguredSsh())
                        .attempt();
            } catch (GitException e) {
                if (e.kind() != GitException.Kind.TIMED_OUT) {
                    throw e;
                }
                return new PushResult(PushResult.Outcome.PUSH_FAILED, Optional.of(current), attempt,
                        "push to " + remote + " timed out; the commit stays local until the next sync");
            }
            PushLine line = PushLine.find(result.stdout(), repo.remoteRef());
            if (result.ok() && line.accepted()) {
                branch.update(repo.trackingRef().orElseThrow(), current, null);
                log.info("pushed " + ShortId.of(current) + " to " + remote + "/" + repo.branch() + " (attempt " + attempt + ")");
                return new PushResult(PushResult.Outcome.PUSHED, Optional.of(current), attempt,
                        "pushed to " + remote + "/" + repo.branch());
            }
            if (line.behindRemote()) {
                log.info("push attempt " + attempt + " rejected as non-fast-forward (" + LogFile.quote(line.summary())
                        + "); merging the remote tip");
                backOff(attempt, deadline);
                FetchResult fetched = fetch.apply(deadline.within(GitSync.PUSH_CAP));
                if (fetched.outcome() != PullResult.Fetch.FETCHED) {
                    return new PushResult(PushResult.Outcome.PUSH_FAILED, Optional.of(current), attempt,
                            "behind the remote and could not fetch it (" + fetched.detail() + ")");
                }
                current = integrate.onRemoteTip();
                if (repo.trackingRef().flatMap(this::value).filter(current::equals).isPresent()) {
                    return new PushResult(PushResult.Outcome.PUSHED, Optional.of(current), attempt,
                            "the remote already had this change");
                }
                continue;
            }
            String why = line.summary().isEmpty() ? firstLine(result.stderr()) : line.summary() + " " + firstLine(result.stderr());
            if (line.rejected()) {
                log.info("push rejected by " + remote + ": " + LogFile.quote(why));
                return new PushResult(PushResult.Outcome.REJECTED, Optional.of(current), attempt,
                        "rejected by " + remote + ": " + why.strip());
            }
            log.info("push to " + remote + " failed: " + LogFile.quote(why));
            return new PushResult(PushResult.Outcome.PUSH_FAILED, Optional.of(current), attempt,
                    "push to " + remote + " failed: " + why.strip());
        }
        return new PushResult(PushResult.Outcome.PUSH_FAILED, Optional.of(current), GitSync.MAX_PUSH_ATTEMPTS,
                "still behind " + remote + " after " + GitSync.MAX_PUSH_ATTEMPTS + " attempts; the commit stays local until the next sync");
    }

    /**
     * Teammates whose pushes collided retry at different moments, or they collide again: a random
     * pause of up to 150 ms times the attempt, within what is left of the deadline.
     */
    private static void backOff(int attempt, Deadline deadline) {
        long pause = Math.min(java.util.concurrent.ThreadLocalRandom.current().nextLong(150L * attempt + 1),
                deadline.remaining().toMillis() / 4);
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The remote's push URL (pushurl and insteadOf applied by git); the remote's name if git cannot tell. */
    private String pushUrl(String remote) {
        GitResult url = git.call("remote", "get-url", "--push", remote).attempt();
        return url.ok() && !url.line().isEmpty() ? url.line() : remote;
    }

    private Optional<String> value(String ref) {
        GitResult r = git.call("rev-parse", "-q", "--verify", ref).attempt();
        return r.ok() ? Optional.of(r.line()) : Optional.empty();
    }

    static String firstLine(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
    }

    /** One ref's line of {@code git push --porcelain}: {@code <flag>\t<from>:<to>\t<summary>}. */
    record PushLine(char flag, String summary) {
        static PushLine find(String porcelain, String remoteRef) {
            for (String line : porcelain.split("\n")) {
                String[] parts = line.split("\t", 3);
                if (parts.length >= 2 && parts[0].length() == 1 && parts[1].endsWith(":" + remoteRef)) {
                    return new PushLine(parts[0].charAt(0), parts.length > 2 ? parts[2].strip() : "");
                }
            }
            return new PushLine('?', "");
        }

        boolean accepted() {
            return flag == ' ' || flag == '*' || flag == '=' || flag == '+';
        }

        boolean rejected() {
            return flag == '!';
        }

        /**
         * Someone else moved the remote branch first: a non-fast-forward, or a push that lost the
         * race inside the server ("failed to update ref": the ref changed while it was receiving).
         */
        boolean behindRemote() {
            return rejected() && (summary.contains("non-fast-forward") || summary.contains("fetch first")
                    || summary.contains("failed to update ref") || summary.contains("failed to lock"));
        }
    }
}
