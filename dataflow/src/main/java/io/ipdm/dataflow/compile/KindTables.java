package io.ipdm.dataflow.compile;

import io.ipdm.dataflow.spec.OptionSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The kinds and their options as text: the Markdown tables of docs/pipeline-yaml.md (kept equal by
 * {@code KindsDocTest}) and the listing of {@code ipdm kinds}.
 */
public final class KindTables {
    private KindTables() {}

    /** The kinds of one role ("source", "stage" or "sink"). */
    public static List<Kind> ofRole(String role) {
        List<Kind> out = new ArrayList<>();
        for (Kind k : Kinds.all()) {
            if (Kinds.role(k).equals(role)) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * The keys a kind documents: a stage's own keys then its {@code options:}, else its options.
     */
    public static List<OptionSpec> documented(Kind k) {
        List<OptionSpec> out = new ArrayList<>();
        if (k instanceof StageKind<?> s) {
            out.addAll(s.keys());
            for (OptionSpec o : s.options()) {
                out.add(o.withKey("options." + o.key()));
            }
        } else {
            out.addAll(k.options());
        }
        return out;
    }

    /** The Markdown table of one role's kinds, one row per option. */
    public static String markdown(String role) {
        StringBuilder sb = new StringBuilder();
        sb.append("| kind | ")
                .append(role.equals("stage") ? "key" : "option")
                .append(" | type | default | description |\n|---|---|---|---|---|\n");
        for (Kind k : ofRole(role)) {
            sb.append("| `")
                    .append(k.name())
                    .append("` | | | | ")
                    .append(k.summary())
                    .append(" |\n");
            for (OptionSpec o : documented(k)) {
                sb.append("| | `")
                        .append(o.key())
                        .append("` | ")
                        .append(o.typeText())
                        .append(" | ")
                        .append(
                                o.required()
                                        ? "required"
                                        : o.defaultText().isEmpty()
                                                ? ""
                                                : "`" + o.defaultText() + "`")
                        .append(" | ")
                        .append(o.description().replace("|", "\\|"))
                        .append(" |\n");
            }
        }
        return sb.toString();
    }

    /** Plain text for a terminal: the kind, its summary, then its options indented. */
    public static String text(Kind k) {
        StringBuilder sb = new StringBuilder();
        sb.append(Kinds.role(k)).append(' ').append(k.name()).append(": ").append(k.summary());
        sb.append('\n');
        List<OptionSpec> options = documented(k);
        if (options.isEmpty()) {
            sb.append("  (no options)\n");
        }
        for (OptionSpec o : options) {
            sb.append("  ").append(o.key()).append(" (").append(o.typeText());
            if (o.required()) {
                sb.append(", required");
            } else if (!o.defaultText().isEmpty()) {
                sb.append(", default ").append(o.defaultText());
            }
            sb.append("): ").append(o.description()).append('\n');
        }
        return sb.toString();
    }
}
