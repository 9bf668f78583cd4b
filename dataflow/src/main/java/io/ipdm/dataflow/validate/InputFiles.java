package io.ipdm.dataflow.validate;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why an input path the user gave cannot be read as a file, in words that say what to fix: the one
 * place every command's "cannot read X" message comes from, so a directory, a path below a file, a
 * socket or a locked file reads the same from every command. Nothing here opens the path (a named
 * pipe with no writer would block).
 */
public final class InputFiles {
    /** The problem of a path that is not there while its parent directory is. */
    public static final String MISSING = "no such file or directory";

    private InputFiles() {}

    /** Null when {@code p} is a regular file this process may read; else what is wrong with it. */
    public static String problem(Path p) {
        if (Files.isRegularFile(p)) {
            return Files.isReadable(p) ? null : "not readable (permission denied); check its mode";
        }
        if (Files.isDirectory(p)) {
            return "is a directory, not a file";
        }
        if (!Files.exists(p)) {
            return missing(p);
        }
        return "is " + type(p) + ", not a regular file";
    }

    /**
     * {@link #problem}, except that a named pipe or a device passes: a command that reads its input
     * once from start to end reads them as well as a file ({@code <(curl ...)}, /dev/stdin).
     */
    public static String streamProblem(Path p) {
        if (Files.exists(p) && !Files.isDirectory(p) && !Files.isRegularFile(p)) {
            String type = type(p);
            if (type.equals("a named pipe") || type.equals("a device")) {
                return Files.isReadable(p)
                        ? null
                        : "not readable (permission denied); check its mode";
            }
        }
        return problem(p);
    }

    /** What is wrong with {@code p} after reading it failed with {@code e}. */
    public static String reason(Path p, IOException e) {
        String problem = problem(p);
        if (problem != null) {
            return problem;
        }
        return e instanceof FileSystemException f && f.getReason() != null
                ? f.getReason()
                : e.getMessage();
    }

    private static String missing(Path p) {
        if (Files.isSymbolicLink(p)) {
            return "is a symbolic link to nothing (its target is missing, or the links loop)";
        }
        for (Path a = p.toAbsolutePath().getParent(); a != null; a = a.getParent()) {
            if (Files.exists(a)) {
                return Files.isDirectory(a)
                        ? MISSING
                        : "no such file: " + a + " is a file, not a directory";
            }
        }
        return MISSING;
    }

    /** "a socket", "a named pipe", "a device", from the file type bits of the unix mode. */
    private static String type(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            return switch (mode & 0170000) {
                case 0140000 -> "a socket";
                case 0010000 -> "a named pipe";
                case 0020000, 0060000 -> "a device";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }
}
