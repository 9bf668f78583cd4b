package io.ipdm.dataflow.cli;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * An input path the user gave that is there but not what the command reads (a directory where a
 * file goes, a directory without the files it should hold): bad input, exit 2, like a missing one
 * ({@link IpdmCli#exitCode}).
 */
final class InputFileException extends FileSystemException {
    InputFileException(Path path, String reason) {
        this(path.toString(), reason);
    }

    InputFileException(String path, String reason) {
        super(path, null, reason);
    }

    @Override
    public String getMessage() {
        return getFile() + ": " + getReason();
    }

    /** {@code p} when it is a regular file; else why it cannot be read as one. */
    static Path regularFile(Path p) throws FileSystemException {
        if (java.nio.file.Files.isDirectory(p)) {
            throw new InputFileException(p, "is a directory, not a file");
        }
        if (!java.nio.file.Files.exists(p)) {
            throw new java.nio.file.NoSuchFileException(p.toString());
        }
        if (!java.nio.file.Files.isReadable(p)) {
            throw new java.nio.file.AccessDeniedException(p.toString());
        }
        return p;
    }
}
