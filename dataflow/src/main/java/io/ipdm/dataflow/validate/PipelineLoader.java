package io.ipdm.dataflow.validate;

import io.ipdm.dataflow.spec.PipelineError;
import io.ipdm.dataflow.spec.PipelineException;
import io.ipdm.dataflow.spec.PipelineGraph;
import io.ipdm.dataflow.spec.PipelineSpec;
import io.ipdm.dataflow.spec.SourceMap;
import io.ipdm.dataflow.yaml.EnvSubstitution;
import io.ipdm.dataflow.yaml.Location;
import io.ipdm.dataflow.yaml.SetOverrides;
import io.ipdm.dataflow.yaml.YNode;
import io.ipdm.dataflow.yaml.YNode.YScalar;
import io.ipdm.dataflow.yaml.YamlException;
import io.ipdm.dataflow.yaml.YamlReader;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File -> YAML tree -> ${ENV} substitution -> --set overrides -> records (option keys checked
 * against their kinds) -> defaults -> graph and its checks. Every user mistake comes out as a
 * {@link PipelineException}.
 */
public final class PipelineLoader {
    private PipelineLoader() {}

    /**
     * A loaded, checked and normalised pipeline, its graph, the locations of its keys and the YAML
     * tree it was parsed from (after ${VAR} substitution and --set overrides; null when built
     * without one), from which the job's identity is computed.
     */
    public record Loaded(
            PipelineSpec spec, SourceMap sourceMap, Path file, PipelineGraph graph, YNode tree) {
        public Loaded(PipelineSpec spec, SourceMap sourceMap, Path file, PipelineGraph graph) {
            this(spec, sourceMap, file, graph, null);
        }

        public Loaded(PipelineSpec spec, SourceMap sourceMap, Path file) {
            this(spec, sourceMap, file, PipelineGraph.of(spec));
        }
    }

    public static Loaded load(Path file, List<String> sets, Map<String, String> env) {
        String text;
        try {
            text = YamlReader.readFile(file, file.toString());
        } catch (YamlException e) {
            throw asPipelineException(e);
        } catch (NoSuchFileException e) {
            throw new PipelineException(
                    new PipelineError(Location.of(file.toString()), "", "no such file"));
        } catch (IOException e) {
            throw new PipelineException(
                    new PipelineError(Location.of(file.toString()), "", cannotRead(file, e)));
        }
        Loaded l = parse(text, file.toString(), sets, env);
        return new Loaded(l.spec(), l.sourceMap(), file, l.graph(), l.tree());
    }

    /**
     * The YAML tree of {@code file} after ${VAR} substitution and the --set overrides, not checked:
     * for tools that rewrite a pipeline before it is loaded.
     *
     * @throws PipelineException when the file cannot be read or a value not substituted or set
     */
    public static YNode tree(Path file, List<String> sets, Map<String, String> env) {
        try {
            String text = YamlReader.readFile(file, file.toString());
            YNode root = YamlReader.read(text, file.toString());
            return applySets(EnvSubstitution.apply(root, env), sets);
        } catch (YamlException e) {
            throw asPipelineException(e);
        } catch (NoSuchFileException e) {
            throw new PipelineException(
                    new PipelineError(Location.of(file.toString()), "", "no such file"));
        } catch (IOException e) {
            throw new PipelineException(
                    new PipelineError(Location.of(file.toString()), "", cannotRead(file, e)));
        }
    }

    private static String cannotRead(Path file, IOException e) {
        return InputFiles.reason(file, e) + "; give the path of a pipeline YAML file";
    }

    public static Loaded parse(
            String text, String fileName, List<String> sets, Map<String, String> env) {
        try {
            YNode root = YamlReader.read(text, fileName);
            root = EnvSubstitution.apply(root, env);
            root = applySets(root, sets);
            SpecParser.Parsed parsed = SpecParser.parse(root, new Location(fileName, 1, 1));
            PipelineSpec spec = Normalizer.normalize(parsed.spec());
            PipelineGraph graph = GraphValidator.validate(spec, parsed.sourceMap());
            return new Loaded(spec, parsed.sourceMap(), null, graph, root);
        } catch (YamlException e) {
            throw asPipelineException(e);
        }
    }

    private static final Pattern KIND_SET =
            Pattern.compile("\\s*((?:sources|sinks)\\.[^.=]+)\\.kind\\s*=.*", Pattern.DOTALL);

    /**
     * The --set overrides in order, except that those naming a source's or sink's {@code kind} come
     * first, and a kind that changes drops the options the file gave the old kind: they are that
     * kind's, so {@code --set sources.txs.kind=old-faithful --set sources.txs.options.path=A.car}
     * runs a job written for the synthetic chain on an archive, and the options given with --set
     * apply to the new kind in whatever order they come.
     */
    static YNode applySets(YNode root, List<String> sets) {
        List<String> rest = new ArrayList<>();
        for (String s : sets) {
            Matcher m = KIND_SET.matcher(s);
            if (!m.matches()) {
                rest.add(s);
                continue;
            }
            String item = m.group(1);
            Object before = scalar(SetOverrides.lookup(root, item + ".kind"));
            root = SetOverrides.apply(root, s);
            Object after = scalar(SetOverrides.lookup(root, item + ".kind"));
            if (before != null
                    && !before.equals(after)
                    && SetOverrides.lookup(root, item + ".options") != null) {
                root = SetOverrides.apply(root, item + ".options=");
            }
        }
        for (String s : rest) {
            root = SetOverrides.apply(root, s);
        }
        return root;
    }

    private static Object scalar(YNode n) {
        return n instanceof YScalar s ? s.value() : null;
    }

    private static PipelineException asPipelineException(YamlException e) {
        return new PipelineException(
                new PipelineError(
                        e.location(),
                        "",
                        e.getMessage().substring(e.location().toString().length() + 2)));
    }
}
