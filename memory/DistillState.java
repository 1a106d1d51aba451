package memory;

/**
 * The last distillation of a repository, {@code .wyren/state/distill.json}, for {@code wyren status}.
 *
 * @param at     when it finished (ISO instant)
 * @param engine which engine ran (or would have)
 * @param result machine-readable outcome, e.g. {@code distilled}, {@code skipped_low_signal}
 * @param detail a human explanation
 */
public record DistillState(String at, String engine, String result, String detail) {

    public static DistillState none() {
        return new DistillState(null, null, null, null);
    }
}
