package io.ipdm.dataflow.yaml;

/** The YAML text itself is not well-formed (before any pipeline meaning is applied). */
public final class YamlException extends RuntimeException {
    private final Location location;

    public YamlException(Location location, String message) {
        super(location + ": " + message);
        this.location = location;
    }

    public Location location() {
        return location;
    }
}
