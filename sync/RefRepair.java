package sync;

import local.LogFile;
import local.ShortId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Wyren's refs and repairs one that points at an object git no longer has. The user's
 * {@code git gc --prune=now} running while a commit was made is the cause; until it is repaired the
 * user's own fetch, pull and gc fail on it.
 */
final class RefRepair {

    private final Repo repo;
    private final Git git;
    private final MemoryBranch branch;
    private final WorkingCopy working;
    private final LogFile log;

    RefRepair(Repo repo, Git git, MemoryBranch branch, WorkingCopy working, LogFile log) {
        this.repo = repo;
        this.git = git;
        this.branch = branch;
        this.working = working;
        this.log = log;
    }

    /**
     * Wyren's refs. One that points at an object git no longer has (the user's
     * {@code git gc --prune=now} ran while a commit was being made) is repaired first: it breaks the
     * user's own fetch, pull and gc until it is.
     */
    MemoryRefs refs() {
        List<MemoryBranch.Broken> broken = new ArrayList<>();
        MemoryRefs refs = branch.refs(broken);
        if (broken.isEmpty()) {
            return refs;
        }
        broken.forEach(this::repair);
        return branch.refs(new ArrayList<>());
    }

    private void repair(MemoryBranch.Broken broken) {
        String cause = broken.ref() + " pointed at " + ShortId.of(broken.commit())
                + ", which git no longer has (pruned, most likely by a 'git gc --prune=now' that ran while Wyren was writing)";
        if (!broken.ref().equals(repo.localRef())) {
            branch.delete(broken.ref(), broken.commit());
            log.info(cause + "; removed it, the next fetch restores it");
            return;
        }
        List<String> candidates = new ArrayList<>();
        repo.trackingRef().flatMap(this::refValue).ifPresent(candidates::add);
        Optional.ofNullable(working.readState().materializedCommit()).filter(c -> !c.equals(broken.commit())).ifPresent(candidates::add);
        repo.remoteTrackingRef().flatMap(this::refValue).ifPresent(candidates::add);
        Optional<String> good = branch.firstIntact(candidates);
        if (good.isEmpty()) {
            branch.delete(broken.ref(), broken.commit());
            log.info(cause + "; no intact memory commit is left here, so the ref was removed: run 'wyren sync' to"
                    + " fetch the team's memory again (.wyren/memory.md is kept)");
            return;
        }
        branch.update(repo.localRef(), good.get(), broken.commit());
        // What the working copy holds now counts as this machine's change on top of the good commit,
        // so whatever the lost commit carried is published again at the next push.
        Snapshot files = branch.snapshot(good.get(), (p, id, why) -> { });
        Map<String, String> ids = new HashMap<>();
        files.files().forEach((p, bytes) -> ids.put(p, branch.blobId(bytes)));
        working.record(s -> s.withMaterialized(good.get(), ids), "repair");
        log.info(cause + "; reset it to " + ShortId.of(good.get()) + " and kept .wyren/ as this machine's change");
    }

    private Optional<String> refValue(String ref) {
        GitResult r = git.call("for-each-ref", "--format=%(objectname)", ref).attempt();
        return r.ok() && !r.line().isEmpty() ? Optional.of(r.line()) : Optional.empty();
    }
}
