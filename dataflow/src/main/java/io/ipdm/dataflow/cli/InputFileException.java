package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.validate.InputFiles;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * An input path the user gave that is not what the command reads (a directory or a socket where a
 * file goes, a path below a file, a directory without the files it should hold): bad input, exit 2,
 * like a missing one ({@link IpdmCli#exitCode}).
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

    /**
     * {@code p} when it can be read from start to end (a file, a named pipe such as {@code <(curl
     * ...)}); else why not.
     */
    static Path readable(Path p) throws FileSystemException {
        String problem = InputFiles.streamProblem(p);
        if (problem == null) {
            return p;
        }
        throw new InputFileException(p, problem);
    }
}
