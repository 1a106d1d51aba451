import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Git objects a hostile teammate makes by hand: trees with names git's porcelain refuses, raw blobs. */
public final class Crafted {

    private final Team team;
    private final Path repo;

    public Crafted(Team team, Path repo) {
        this.team = team;
        this.repo = repo;
    }

    /** A tree object from (mode, name, id) triples, written as raw bytes. */
    public String tree(String... entries) throws Exception {
        ByteArrayOutputStream tree = new ByteArrayOutputStream();
        for (int i = 0; i < entries.length; i += 3) {
            tree.write((entries[i] + " " + entries[i + 1] + "\0").getBytes(StandardCharsets.UTF_8));
            tree.write(HexFormat.of().parseHex(entries[i + 2]));
        }
        Path file = team.dir.resolve("tree-" + System.nanoTime());
        Files.write(file, tree.toByteArray());
        return team.git(repo, "hash-object", "-t", "tree", "--literally", "-w", file.toString());
    }

    public String blob(String content) throws Exception {
        return blob(content.getBytes(StandardCharsets.UTF_8));
    }

    public String blob(byte[] content) throws Exception {
        Path file = team.dir.resolve("blob-" + System.nanoTime());
        Files.write(file, content);
        return team.git(repo, "hash-object", "-w", "--no-filters", file.toString());
    }

    /** A commit of {@code .wyren/} holding these (mode, name, id) entries, on the remote memory branch's tip, pushed. */
    public String pushMemoryTree(String... wyrenEntries) throws Exception {
        String root = tree("40000", ".wyren", tree(wyrenEntries));
        team.git(repo, "fetch", "-q", "origin", "+refs/heads/wyren/memory:refs/remotes/origin/wyren/memory");
        String parent = team.git(repo, "rev-parse", "refs/remotes/origin/wyren/memory");
        String commit = team.git(repo, "commit-tree", root, "-p", parent, "-m", "crafted");
        team.git(repo, "push", "-q", "origin", commit + ":refs/heads/wyren/memory");
        team.rebaseline();
        return commit;
    }
}
