package sync;

import local.Env;
import local.LogFile;
import local.Machine;
import local.ShortId;
import local.Unique;
import local.WyrenPaths;
import memory.Tombstones;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The memory branch as git objects and refs: reading Wyren's refs, reading a commit's memory tree
 * within size limits, and writing a commit with plumbing only (a temporary index, objects made in a
 * {@link Quarantine}, the user's index and work tree never touched). Refs move only by
 * compare-and-swap ({@link #update}).
 */
final class MemoryBranch {

    /** A memory.md blob larger than this on the branch is refused (the hard cap keeps real ones far smaller). */
    static final long MAX_MEMORY_BLOB = 64 * 1024;
    /** The same limit as {@code wyren broadcast-skill} applies per broadcast file. */
    static final long MAX_BROADCAST_BLOB = 64 * 1024;
    /** Twice what {@code wyren forget} lets the tombstones grow to, so two people forgetting at once still fit. */
    static final long MAX_TOMBSTONES_BLOB = 2L * Tombstones.MAX_BYTES;
    static final int MAX_BROADCAST_FILES = 200;

    /** A ref of Wyren's that names an object git no longer has. */
    record Broken(String ref, String commit) {}

    /** Told about each tree entry refused for its size, so it can be reported once. */
    interface Refusals {
        void refused(String treePath, String blobId, String why);
    }

    private final Repo repo;
    private final Git git;
    private final Path stateDir;
    private final LogFile log;
    private final Env env;

    MemoryBranch(Repo repo, Git git, Path stateDir, LogFile log, Env env) {
        this.repo = repo;
        this.git = git;
        this.stateDir = stateDir;
        this.log = log;
        this.env = env;
    }

    /**
     * Reads the refs, or reports those of Wyren's own refs that point at a missing object: a
     * {@code git for-each-ref} that asks for each object's type fails on a missing one, so a healthy
     * repository pays nothing extra to find out.
     */
    MemoryRefs refs(List<Broken> broken) {
        List<String> own = new ArrayList<>(List.of(repo.localRef()));
        repo.trackingRef().ifPresent(own::add);
        List<String> args = new ArrayList<>(List.of("for-each-ref", "--format=%(refname) %(objectname) %(objecttype)"));
        args.addAll(own);
        repo.remoteTrackingRef().ifPresent(args::add);
        GitResult listed = git.call(args).attempt();
        Map<String, String> found = new HashMap<>();
        if (listed.ok()) {
            parseRefs(listed.stdout(), found);
        } else {
            List<String> plain = new ArrayList<>(List.of("for-each-ref", "--format=%(refname) %(objectname)"));
            plain.addAll(own);
            parseRefs(git.call(plain).run().stdout(), found);
            StringBuilder query = new StringBuilder();
            own.stream().filter(found::containsKey).forEach(r -> query.append(found.get(r)).append('\n'));
            String answer = git.call("cat-file", "--batch-check").input(query.toString()).run().stdout();
            for (String ref : own) {
                String id = found.get(ref);
                if (id != null && answer.contains(id + " missing")) {
                    broken.add(new Broken(ref, id));
                    found.remove(ref);
                }
            }
            // The user's remote-tracking ref is theirs: read it only if it is intact.
            repo.remoteTrackingRef().ifPresent(r -> {
                GitResult one = git.call("for-each-ref", "--format=%(refname) %(objectname) %(objecttype)", r).attempt();
                if (one.ok()) {
                    parseRefs(one.stdout(), found);
                }
            });
        }
        Optional<String> tracking = repo.trackingRef().map(found::get)
                .or(() -> repo.remoteTrackingRef().map(found::get));
        return new MemoryRefs(Optional.ofNullable(found.get(repo.localRef())), tracking);
    }

    private static void parseRefs(String listing, Map<String, String> into) {
        for (String line : listing.split("\n")) {
            String[] parts = line.split(" ");
            if (parts.length >= 2) {
                into.put(parts[0], parts[1]);
            }
        }
    }

    /** The first of {@code commits} whose commit and tree git still has. */
    Optional<String> firstIntact(List<String> commits) {
        List<String> candidates = new ArrayList<>(new LinkedHashSet<>(commits));
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder query = new StringBuilder();
        candidates.forEach(c -> query.append(c).append("^{tree}\n"));
        List<String> answers = git.call("cat-file", "--batch-check").input(query.toString()).run().stdout().lines().toList();
        for (int i = 0; i < candidates.size() && i < answers.size(); i++) {
            if (!answers.get(i).endsWith(" missing")) {
                return Optional.of(candidates.get(i));
            }
        }
        return Optional.empty();
    }

    Optional<String> mergeBase(String a, String b) {
        GitResult result = git.call("merge-base", a, b).attempt();
        return result.ok() ? Optional.of(result.line()) : Optional.empty();
    }

    /** The message of a commit being rebuilt on the remote tip, kept as it was. */
    String messageOf(String commit) {
        String previous = git.call("log", "-1", "--format=%B", commit).run().stdout().strip();
        return previous.isEmpty() ? "[wyren] memory update" : previous;
    }

    /** Tree paths directly under the commit's root (a memory branch holds only {@code .wyren}). */
    List<String> topLevel(String commit) {
        return git.call("ls-tree", "--name-only", commit).run().stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    /**
     * The memory files of a commit (regular blobs under {@code .wyren/} that are memory or broadcast
     * paths); entries over the size limits are refused before they are read.
     */
    Snapshot snapshot(String commit, Refusals refusals) {
        GitResult tree = git.call("ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--", WyrenPaths.DIR).run();
        Map<String, String> ids = new LinkedHashMap<>();
        Set<String> refused = new LinkedHashSet<>();
        int broadcastFiles = 0;
        for (String entry : tree.stdout().split("\0")) {
            int tab = entry.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            String[] meta = entry.substring(0, tab).trim().split("\\s+");
            String path = entry.substring(tab + 1);
            if (meta.length != 4 || !meta[1].equals("blob") || meta[0].equals("120000")) {
                continue;
            }
            if (!WyrenPaths.isBranchTreePath(path)) {
                log.info("ignored " + LogFile.quote(path) + " in memory commit " + ShortId.of(commit) + ": not a memory, tombstone or broadcast file");
                continue;
            }
            long size = Long.parseLong(meta[3]);
            boolean memory = !path.startsWith(WyrenPaths.BROADCAST);
            long limit = path.equals(WyrenPaths.FORGOTTEN) ? MAX_TOMBSTONES_BLOB : memory ? MAX_MEMORY_BLOB : MAX_BROADCAST_BLOB;
            if (size > limit) {
                refused.add(path);
                refusals.refused(path, meta[2], size + " bytes, over the " + limit + "-byte limit");
            } else if (!memory && ++broadcastFiles > MAX_BROADCAST_FILES) {
                refused.add(path);
                refusals.refused(path, meta[2], "more than " + MAX_BROADCAST_FILES + " broadcast files");
            } else {
                ids.put(path, meta[2]);
            }
        }
        return new Snapshot(blobs(ids).files(), refused);
    }

    /**
     * The file as it was just before the newest commit on {@code tip}'s history that deleted it, when
     * one did and the file was within its size limit.
     */
    Optional<byte[]> beforeDeletion(String tip, String path) {
        GitResult deleting = git.call("log", "-1", "--format=%H", "--diff-filter=D", tip, "--", path).attempt();
        if (!deleting.ok() || deleting.stdout().isBlank()) {
            return Optional.empty();
        }
        GitResult id = git.call("rev-parse", "--verify", "--quiet", deleting.stdout().strip() + "^:" + path).attempt();
        if (!id.ok() || id.stdout().isBlank()) {
            return Optional.empty();
        }
        GitResult size = git.call("cat-file", "-s", id.stdout().strip()).attempt();
        if (!size.ok() || Long.parseLong(size.stdout().strip()) > MAX_TOMBSTONES_BLOB) {
            return Optional.empty();
        }
        return blobs(Map.of(path, id.stdout().strip())).get(path);
    }

    /** Contents of the given blobs by path, read in one {@code cat-file --batch}. */
    Snapshot blobs(Map<String, String> idsByPath) {
        if (idsByPath.isEmpty()) {
            return Snapshot.empty();
        }
        List<String> order = new ArrayList<>(idsByPath.keySet());
        StringBuilder request = new StringBuilder();
        order.forEach(p -> request.append(idsByPath.get(p)).append('\n'));
        byte[] out = git.call("cat-file", "--batch").input(request.toString()).run().stdoutBytes();
        Map<String, byte[]> files = new HashMap<>();
        int pos = 0;
        for (String path : order) {
            int newline = indexOf(out, (byte) '\n', pos);
            if (newline < 0) {
                break;
            }
            String[] header = new String(out, pos, newline - pos, StandardCharsets.UTF_8).split(" ");
            pos = newline + 1;
            if (header.length == 3 && header[1].equals("blob")) {
                int size = Integer.parseInt(header[2]);
                byte[] content = new byte[size];
                System.arraycopy(out, pos, content, 0, size);
                files.put(path, content);
                pos += size + 1;
            }
        }
        return new Snapshot(files);
    }

    /**
     * Commits exactly these files and moves {@code ref} to the commit if it still holds
     * {@code expected} (compare-and-swap). Objects are made in a {@link Quarantine} and reach the
     * store as a kept pack, so the user's gc cannot prune them before the ref names them.
     */
    String commit(String ref, String expected, Optional<String> parent, Snapshot files, String message) throws IOException {
        Map<String, String> ids = new LinkedHashMap<>();
        files.files().forEach((path, content) -> ids.put(path, blobId(content)));
        Files.createDirectories(stateDir);
        Path index = stateDir.resolve("index-" + Unique.token());
        try (Quarantine quarantine = Quarantine.open(stateDir, repo.objects())) {
            writeMissingBlobs(files, ids, quarantine);
            StringBuilder entries = new StringBuilder();
            ids.forEach((path, id) -> entries.append("100644 ").append(id).append('\t').append(path).append('\0'));
            withQuarantine(git.call("-c", "core.splitIndex=false", "update-index", "--add", "-z", "--index-info"), quarantine)
                    .env("GIT_INDEX_FILE", index.toString()).input(entries.toString()).run();
            String tree = withQuarantine(git.call("write-tree"), quarantine).env("GIT_INDEX_FILE", index.toString()).run().line();
            List<String> args = new ArrayList<>(List.of("commit-tree", tree));
            parent.ifPresent(p -> args.addAll(List.of("-p", p)));
            args.addAll(List.of("-m", message));
            Git.Call commit = withQuarantine(git.call(args), quarantine);
            identityFallback().forEach(commit::env);
            String id = commit.run().line();
            try (Quarantine.Kept ignored = quarantine.publish(git)) {
                update(ref, id, expected);
            }
            return id;
        } finally {
            Files.deleteIfExists(index);
            Files.deleteIfExists(index.resolveSibling(index.getFileName() + ".lock"));
        }
    }

    private static Git.Call withQuarantine(Git.Call call, Quarantine quarantine) {
        quarantine.environment().forEach(call::env);
        return call;
    }

    private void writeMissingBlobs(Snapshot files, Map<String, String> ids, Quarantine quarantine) {
        StringBuilder query = new StringBuilder();
        ids.values().forEach(id -> query.append(id).append('\n'));
        String answer = git.call("cat-file", "--batch-check").input(query.toString()).run().stdout();
        for (String line : answer.split("\n")) {
            if (line.endsWith(" missing")) {
                String id = line.substring(0, line.indexOf(' '));
                ids.entrySet().stream().filter(e -> e.getValue().equals(id)).findFirst().ifPresent(e -> {
                    String written = withQuarantine(git.call("hash-object", "-w", "--no-filters", "--stdin"), quarantine)
                            .input(files.files().get(e.getKey())).run().line();
                    if (!written.equals(id)) {
                        throw new IllegalStateException("blob id mismatch for " + e.getKey() + ": " + written + " != " + id);
                    }
                });
            }
        }
    }

    /** The name memory commits made here carry as author. */
    String authorName() {
        return env.get("GIT_AUTHOR_NAME").or(repo::identityName).orElse(fallbackName());
    }

    private static String fallbackName() {
        return "Wyren (" + Machine.userName() + "@" + Machine.hostName() + ")";
    }

    /** {@code Wyren (<user>@<host>)} as author and committer when no git identity is configured. */
    private Map<String, String> identityFallback() {
        Map<String, String> identity = new HashMap<>();
        String user = Machine.userName();
        String host = Machine.hostName();
        if (repo.identityName().isEmpty() && env.get("GIT_AUTHOR_NAME").isEmpty()) {
            identity.put("GIT_AUTHOR_NAME", fallbackName());
            identity.put("GIT_COMMITTER_NAME", fallbackName());
        }
        if (repo.identityEmail().isEmpty() && env.get("GIT_AUTHOR_EMAIL").isEmpty()) {
            identity.put("GIT_AUTHOR_EMAIL", user + "@" + host);
            identity.put("GIT_COMMITTER_EMAIL", user + "@" + host);
        }
        return identity;
    }

    /** Moves a ref only if it still has the expected value ({@code null}: any value). */
    void update(String ref, String value, String expected) {
        List<String> args = new ArrayList<>(List.of("update-ref", ref, value));
        if (expected != null) {
            args.add(expected);
        }
        git.call(args).run();
    }

    /** Deletes a ref of Wyren's if it still has the expected value. */
    void delete(String ref, String expected) {
        git.call("update-ref", "-d", ref, expected).run();
    }

    String blobId(byte[] content) {
        return Snapshot.blobId(content, repo.objectFormat());
    }

    private static int indexOf(byte[] bytes, byte value, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
