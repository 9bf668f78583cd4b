package io.ipdm.dataflow.cli;

import org.apache.flink.runtime.util.EnvironmentInformation;
import picocli.CommandLine;

/** Prints IPDM's, Flink's and the JVM's versions. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String ipdm = IpdmCli.class.getPackage().getImplementationVersion();
        return new String[] {
            "ipdm " + (ipdm == null ? "0.1.0-SNAPSHOT" : ipdm),
            "flink " + EnvironmentInformation.getVersion(),
            "java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"
        };
    }
}
