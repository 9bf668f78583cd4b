package io.ipdm.dataflow.compile;

import io.ipdm.connectors.attest.AttestSink;
import io.ipdm.connectors.lakes.LakesSink;
import io.ipdm.dataflow.spec.SinkSpec;

/** The attestation branch of one windowed sink (see {@link AttestTarget}). */
final class Attestations {
    private Attestations() {}

    static void emit(SinkSpec sink, TypedStream in, AttestTarget t) {
        LakesSink.archives(in.stream(), in.type(), "attest-" + sink.id() + "-archive")
                .sinkTo(
                        new AttestSink(
                                new AttestSink.Target(t.admin(), t.keyFile(), t.job(), sink.id())))
                .uid("attest-" + sink.id())
                .name("Attest: " + sink.id());
    }
}
