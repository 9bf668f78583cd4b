package io.ipdm.dataflow.cli;

import io.ipdm.dataflow.cluster.ClusterLayout;
import io.ipdm.dataflow.cluster.JobManagerAddress;
import io.ipdm.dataflow.cluster.LocalCluster;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * --jobmanager HOST:PORT, defaulting to the cluster `ipdm cluster start` runs, else localhost:8081.
 */
final class ClusterTarget {
    @Option(
            names = "--jobmanager",
            paramLabel = "HOST:PORT",
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "REST endpoint of the Flink JobManager (default: the cluster `ipdm cluster"
                            + " start` runs, else localhost:8081).")
    String jobManager;

    JobManagerAddress address(CommandLine cl) {
        if (jobManager != null) {
            try {
                return JobManagerAddress.parse(jobManager);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, e.getMessage());
            }
        }
        return LocalCluster.find(ClusterLayout.defaultStateDir())
                .map(LocalCluster::restAddress)
                .orElse(new JobManagerAddress("localhost", 8081));
    }
}
