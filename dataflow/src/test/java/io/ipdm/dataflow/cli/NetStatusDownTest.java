package io.ipdm.dataflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * {@code ipdm net status} draws a holder that went down: role {@code down} in the table and a line
 * saying since when, its last claim, and that the next servers repair the root.
 */
class NetStatusDownTest {
    @Test
    void aDownHolderIsShownWithSinceWhenAndItsLastClaim() throws Exception {
        var st =
                new ObjectMapper()
                        .readTree(
                                """
                                {"cid":"ROOT","factor":2,"holders":1,"subscriptions":1,"holds_locally":true,
                                 "under_replicated":false,"servers":[
                                  {"peer":"A","self":true,"role":"active","claims_at":null,"last_challenge":null,"last_challenge_at":null,"down_since":null},
                                  {"peer":"D","self":false,"role":"down","claims_at":"2026-12-07T04:40:00Z","last_challenge":null,"last_challenge_at":null,"down_since":"2026-12-07T04:45:00Z"},
                                  {"peer":"N","self":false,"role":"down","claims_at":null,"last_challenge":null,"last_challenge_at":null,"down_since":"2026-12-07T04:46:00Z"},
                                  {"peer":"R","self":false,"role":"active","claims_at":null,"last_challenge":null,"last_challenge_at":null,"down_since":null}]}
                                """);
        String t = NetCommand.statusTable(st);
        assertThat(t.lines().filter(l -> l.startsWith("D ")))
                .singleElement()
                .satisfies(l -> assertThat(l).contains(" down ").contains("2026-12-07T04:40:00Z"));
        assertThat(t)
                .contains(
                        "down: D since 2026-12-07T04:45:00Z, held it (last claim"
                                + " 2026-12-07T04:40:00Z); the next servers in the order repair"
                                + " it\n")
                .contains(
                        "down: N since 2026-12-07T04:46:00Z, an active server that had not"
                                + " claimed it yet;")
                .endsWith("repairing: 1 of 2 holders; the next repair round fetches the rest\n");
    }
}
