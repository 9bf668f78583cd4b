package io.ipdm.lakes.durability.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The storage network at reduced size with fixed seeds: the unchanged engine on every node keeps
 * every block through churn, partitions, loss and liars, while the same network and seed without
 * maintenance loses blocks (so this test can fail); and a seed replays exactly.
 */
class DurabilitySimTest {
    @Test
    void maintenanceLosesNothingWhereNoMaintenanceLosesBlocks() {
        SimConfig cfg = SimConfig.of(80, 3, 11);
        SimResult on = new DurabilitySim(cfg).run();
        SimResult off = new DurabilitySim(cfg.withRepair(false)).run();

        assertThat(on.churnEvents()).isEqualTo(off.churnEvents()).isGreaterThan(400);
        assertThat(on.lostBlocks()).as(on.format()).isZero();
        assertThat(on.underFactorAtEnd()).as(on.format()).isZero();
        assertThat(on.crashRepairs()).isGreaterThan(100);
        assertThat(on.repairP50Minutes()).as(on.format()).isLessThan(5);
        assertThat(on.liarsIsolated()).as(on.format()).isGreaterThanOrEqualTo(on.liars() / 2);
        assertThat(on.honestIsolated()).as(on.format()).isZero();

        assertThat(off.lostBlocks()).as(off.format()).isGreaterThan(0);
        assertThat(off.fetchedBytesPerNodeDay()).isZero();
    }

    @Test
    void aSeedReplaysExactly() {
        SimConfig cfg = SimConfig.of(40, 1, 5);
        SimResult a = new DurabilitySim(cfg).run();
        SimResult b = new DurabilitySim(cfg).run();
        SimResult c = new DurabilitySim(cfg.withSeed(6)).run();
        assertThat(a.traceHash()).isEqualTo(b.traceHash());
        assertThat(a.messages()).isEqualTo(b.messages());
        assertThat(a.format().replaceAll("wall time [0-9.]+ s", ""))
                .isEqualTo(b.format().replaceAll("wall time [0-9.]+ s", ""));
        assertThat(c.traceHash()).isNotEqualTo(a.traceHash());
    }
}
