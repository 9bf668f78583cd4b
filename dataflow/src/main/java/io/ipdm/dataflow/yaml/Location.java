package io.ipdm.dataflow.yaml;

/** Where a YAML node starts: file name, 1-based line and column. */
public record Location(String file, int line, int column) {

    /** For values that came from the command line or the environment rather than a file. */
    public static Location of(String origin) {
        return new Location(origin, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
