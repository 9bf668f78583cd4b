package io.ipdm.mesh.riblt;

import io.ipdm.mesh.records.PutResult;
import java.util.List;

/** A finished reconciliation with {@code peer}: its figures and the records the store refused. */
public record SyncResult(String peer, SyncStats stats, List<PutResult> refusals) {}
