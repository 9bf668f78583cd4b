package io.ipdm.dataflow.compile;

import java.util.List;

/**
 * Where a compiled job attests its windows (docs/verification.md): every sink whose input is a
 * window stage's output ({@code window_start}, {@code window_end}) gets a second branch that
 * encodes each closed window as a window archive and hands root, blocks and a signed attestation to
 * the node.
 *
 * @param admin the node's admin URL
 * @param keyFile the signing key's file
 * @param job the job's CID
 * @param sinksOff build the attestation branches only, not the sinks themselves (a verifier's
 *     re-run)
 */
public record AttestTarget(String admin, String keyFile, String job, boolean sinksOff) {
    /** The sinks of {@code types} (sink id -> input fields) that can be attested. */
    public static boolean attestable(List<String> inputFields) {
        return inputFields.contains("window_start") && inputFields.contains("window_end");
    }
}
