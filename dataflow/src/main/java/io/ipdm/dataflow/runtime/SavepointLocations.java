package io.ipdm.dataflow.runtime;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The one rule for savepoint locations a user gives ({@code ipdm run --from-savepoint/--savepoint},
 * {@code ipdm submit --from-savepoint}, {@code ipdm jobs savepoint|stop --savepoint-dir}): a URI
 * such as {@code file:/...} or {@code s3://...} (as Flink prints savepoints) is kept as it is; a
 * plain path resolves against the directory the command runs in, since a JobManager would resolve
 * it against its own working directory. No location means the cluster's default ({@code
 * <state_dir>/savepoints} for {@code ipdm run}).
 */
public final class SavepointLocations {
    /** A scheme of two characters or more, so a Windows drive letter is a path. */
    private static final Pattern URI_SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]+:");

    private SavepointLocations() {}

    public static String resolve(String given, Path baseDir) {
        if (URI_SCHEME.matcher(given).lookingAt()) {
            return given;
        }
        return baseDir.resolve(given).toAbsolutePath().normalize().toString();
    }

    /** Relative to the working directory, as the CLI resolves it. */
    public static String resolve(String given) {
        return resolve(given, Path.of(""));
    }
}
