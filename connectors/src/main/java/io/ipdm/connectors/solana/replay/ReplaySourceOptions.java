package io.ipdm.connectors.solana.replay;

import io.ipdm.connectors.solana.CorruptBlockPolicy;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the replay source, for configuration-driven callers (e.g. the YAML compiler). */
public final class ReplaySourceOptions {
    private ReplaySourceOptions() {}

    public static final ConfigOption<List<String>> PATHS =
            ConfigOptions.key("paths")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Files of getBlock (or getTransaction) responses, or directories"
                                    + " searched recursively for *.json.");

    public static final ConfigOption<String> TABLE =
            ConfigOptions.key("table")
                    .stringType()
                    .defaultValue("transactions")
                    .withDescription(
                            "Rows to produce: blocks, transactions, instructions or"
                                    + " token_balance_changes.");

    public static final ConfigOption<CorruptBlockPolicy> ON_CORRUPT_BLOCK =
            ConfigOptions.key("on-corrupt-block")
                    .enumType(CorruptBlockPolicy.class)
                    .defaultValue(CorruptBlockPolicy.FAIL)
                    .withDescription(
                            "FAIL fails the job naming file, slot, transaction and reason; SKIP"
                                    + " logs, counts (metric corruptBlocks) and skips the block.");
}
