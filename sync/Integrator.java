package sync;

import local.LogFile;
import local.ShortId;
import local.WyrenPaths;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Merges the fetched remote tip into the local memory ref, keeping the memory history linear. */
final class Integrator {

    private final Repo repo;
    private final MemoryBranch branch;
    private final RefRepair refRepair;
    private final WorkingCopy working;
    private final LogFile log;

    Integrator(Repo repo, MemoryBranch branch, RefRepair refRepair, WorkingCopy working, LogFile log) {
        this.repo = repo;
        this.branch = branch;
        this.refRepair = refRepair;
        this.working = working;
        this.log = log;
    }

    /**
     * Brings the local memory ref up to the remote's tip: create, fast-forward, or (both moved) merge
     * into a new commit on the remote tip. Returns the local tip, if there is one.
     */
    Optional<String> integrateRemote() throws IOException {
        MemoryRefs refs = refRepair.refs();
        if (refs.tracking().isEmpty()) {
            return refs.local();
        }
        String remoteTip = refs.tracking().get();
        if (!refs.local().equals(refs.tracking())) {
            requireMemoryBranch(remoteTip);
        }
        if (refs.local().isEmpty()) {
            branch.update(repo.localRef(), remoteTip, repo.zeroId());
            return Optional.of(remoteTip);
        }
        String local = refs.local().get();
        if (local.equals(remoteTip)) {
            return Optional.of(local);
        }
        Optional<String> base = branch.mergeBase(local, remoteTip);
        if (base.isPresent() && base.get().equals(remoteTip)) {
            return Optional.of(local);
        }
        if (base.isPresent() && base.get().equals(local)) {
            branch.update(repo.localRef(), remoteTip, local);
            return Optional.of(remoteTip);
        }
        return Optional.of(rebuildOn(remoteTip, local, base));
    }

    /**
     * Refuses a remote branch that holds anything besides {@code .wyren/}: {@code wyren.branch}
     * pointing at a code branch must never lead Wyren to commit on it or push over it.
     */
    private void requireMemoryBranch(String commit) {
        List<String> top = branch.topLevel(commit);
        if (!top.stream().allMatch(WyrenPaths.DIR::equals)) {
            throw new IllegalStateException("the remote branch " + repo.branch() + " holds files outside " + WyrenPaths.DIR
                    + " (" + LogFile.quote(String.join(", ", top.subList(0, Math.min(3, top.size())))) + "): it is not a"
                    + " memory branch; check git config wyren.branch");
        }
    }

    /**
     * Replaces local commits not on the remote with one commit on the remote tip holding their
     * merged change: the memory history stays linear and the remote wins as the base.
     */
    private String rebuildOn(String remoteTip, String local, Optional<String> base) throws IOException {
        TreeMerge.Outcome merged = TreeMerge.merge(base.map(working::snapshot).orElse(Snapshot.empty()),
                working.snapshot(local), working.snapshot(remoteTip), repo.objectFormat());
        working.report(merged);
        String commit = branch.commit(repo.localRef(), local, Optional.of(remoteTip), merged.result(),
                CommitNotes.withCapNotes(branch.messageOf(local), merged));
        log.info("merged local memory " + ShortId.of(local) + " onto remote " + ShortId.of(remoteTip)
                + " as " + ShortId.of(commit));
        return commit;
    }
}
