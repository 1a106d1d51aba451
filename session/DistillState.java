package session;

import local.JsonValues;
import local.StateFiles;

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

    public static final StateFiles.Codec<DistillState> CODEC = new StateFiles.Codec<>() {
        public DistillState defaults() {
            return none();
        }

        public DistillState fromJson(java.util.Map<String, Object> json) {
            return new DistillState(JsonValues.stringOrNull(json, "at"), JsonValues.stringOrNull(json, "engine"),
                    JsonValues.stringOrNull(json, "result"), JsonValues.stringOrNull(json, "detail"));
        }

        public java.util.Map<String, Object> toJson(DistillState d) {
            java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("at", d.at());
            json.put("engine", d.engine());
            json.put("result", d.result());
            json.put("detail", d.detail());
            return json;
        }
    };
}
