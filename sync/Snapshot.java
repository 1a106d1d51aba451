package sync;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The files of a memory tree ({@code .wyren/memory.md}, {@code .wyren/broadcast/**}) by tree path:
 * a commit's, the working copy's, or a merge result. Compared by content.
 *
 * @param files   content by tree path
 * @param refused paths the tree has but Wyren would not read (over the size limits): a merge treats
 *                them as unchanged and the working copy keeps what it had
 */
public record Snapshot(Map<String, byte[]> files, Set<String> refused) {

    public Snapshot {
        files = Collections.unmodifiableMap(new TreeMap<>(files));
        refused = Set.copyOf(refused);
    }

    public Snapshot(Map<String, byte[]> files) {
        this(files, Set.of());
    }

    public static Snapshot empty() {
        return new Snapshot(Map.of());
    }

    public Optional<byte[]> get(String path) {
        return Optional.ofNullable(files.get(path));
    }

    public boolean sameAs(Snapshot other) {
        if (!files.keySet().equals(other.files.keySet())) {
            return false;
        }
        return files.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), other.files.get(e.getKey())));
    }

    /** The id git gives a blob with this content ({@code git hash-object}), without running git. */
    public static String blobId(byte[] content, String objectFormat) {
        try {
            MessageDigest digest = MessageDigest.getInstance("sha256".equals(objectFormat) ? "SHA-256" : "SHA-1");
            digest.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
