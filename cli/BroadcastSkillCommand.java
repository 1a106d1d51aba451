package cli;

import local.AtomicFiles;
import local.Deadline;
import local.WyrenPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sync.Backends;
import sync.PushResult;
import sync.WyrenSync;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "broadcast-skill", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Share a text file with every teammate's Claude Code sessions.", "",
                "Copies it into .wyren/broadcast/skills/ and pushes; SessionStart hands it to each new session under '# Wyren broadcast'. Delete the copy there and run 'wyren sync' to stop sharing it."},
        footer = {"", "Examples:", "  wyren broadcast-skill docs/release-checklist.md"})
public class BroadcastSkillCommand implements Callable<Integer> {

    static final long MAX_BYTES = 64_000;

    @Mixin
    Cli.CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A UTF-8 text file of at most 64 KB.")
    Path file;

    @Override
    public Integer call() throws Exception {
        Cli.Context context = common.context();
        Path source = context.cwd().resolve(file).normalize();
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new WyrenFailure("no such file: " + source, "Check the path and try again.");
        }
        if (!Files.isRegularFile(source)) {
            throw new WyrenFailure(source + " is not a regular file", "Broadcast one text file at a time.");
        }
        if (Files.size(source) > MAX_BYTES) {
            throw new WyrenFailure(source + " is larger than 64 KB", "Every session receives it; keep it short.");
        }
        byte[] bytes = Files.readAllBytes(source);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new WyrenFailure(source + " is not UTF-8 text", "Broadcast text files only (Markdown, plain text).");
        }
        if (text.indexOf('\0') >= 0 || text.isBlank()) {
            throw new WyrenFailure(source + " is " + (text.isBlank() ? "empty" : "binary"), "Broadcast a text file with content.");
        }
        WyrenSync sync = Backends.open(context.cwd(), context.env(), "broadcast", WyrenSync.CLI_LOCK_WAIT);
        if (sync.disabled()) {
            throw new WyrenFailure("Wyren is disabled in this repository or process", "Enable it (git config wyren.enabled true) first.");
        }
        if (!sync.joined()) {
            throw new WyrenFailure("Wyren is not initialized in this repository", "Run 'wyren init' first.");
        }
        String treePath = WyrenPaths.BROADCAST + "skills/" + source.getFileName();
        if (!WyrenPaths.isMemoryTreePath(treePath)) {
            throw new WyrenFailure("'" + source.getFileName() + "' cannot be a broadcast file name", "Rename the file.");
        }
        sync.prepareWorkingDir();
        AtomicFiles.write(sync.paths().file(treePath), bytes);
        PushResult push = sync.push("manual", Deadline.in(Duration.ofSeconds(60)));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Broadcast: " + treePath);
        out.println("Publish: " + push.summary());
        out.flush();
        if (!push.fine()) {
            throw new WyrenFailure("copied, but not published: " + push.detail(), push.nextStep());
        }
        return Cli.OK;
    }
}