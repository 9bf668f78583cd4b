package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.compile.Kind;
import io.ipdm.dataflow.compile.KindTables;
import io.ipdm.dataflow.compile.Kinds;
import io.ipdm.dataflow.validate.Suggest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Lists the source, stage and sink kinds with their options, as the parser checks them. */
@Command(
        name = "kinds",
        mixinStandardHelpOptions = true,
        description = {
            "List the source, stage and sink kinds a pipeline file may name, with their options"
                    + " (type, default, description).",
            "With KIND, only that kind (a name can be both a source and a sink kind)."
        })
final class KindsCommand implements Callable<Integer> {
    @Parameters(
            arity = "0..1",
            paramLabel = "KIND",
            description = "A kind name, e.g. solana-synthetic, window or parquet.")
    String kind;

    @Option(
            names = "--markdown",
            description = "Print the option tables of docs/pipeline-yaml.md instead.")
    boolean markdown;

    @Mixin CommonOptions common;
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        common.apply();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (markdown) {
            if (kind != null) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--markdown prints every kind's table (as docs/pipeline-yaml.md holds"
                                + " them); drop "
                                + kind
                                + " or --markdown");
            }
            for (String role : List.of("source", "stage", "sink")) {
                out.print(KindTables.markdown(role));
                out.println();
            }
            out.flush();
            return IpdmCli.OK;
        }
        List<Kind> shown = new ArrayList<>();
        for (Kind k : Kinds.all()) {
            if (kind == null || k.name().equals(kind)) {
                shown.add(k);
            }
        }
        if (shown.isEmpty()) {
            Set<String> names = new LinkedHashSet<>();
            Kinds.all().forEach(k -> names.add(k.name()));
            String near = Suggest.closest(kind, names);
            err.println(
                    "ipdm kinds: unknown kind '"
                            + kind
                            + "'"
                            + (near == null ? "" : " (did you mean '" + near + "'?)")
                            + "; kinds: "
                            + String.join(", ", names));
            err.flush();
            return IpdmCli.BAD_INPUT;
        }
        for (int i = 0; i < shown.size(); i++) {
            if (i > 0) {
                out.println();
            }
            out.print(KindTables.text(shown.get(i)));
        }
        out.flush();
        return IpdmCli.OK;
    }
}
