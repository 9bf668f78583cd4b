package io.ipdm.mesh.node;

import static io.ipdm.mesh.json.JsonStrings.quote;

import java.util.List;
import java.util.Map;

/**
 * What a node's record service has done since start.
 *
 * @param records current records held
 * @param file the store's log, or null in memory
 * @param recovery what reopening the log dropped, or null
 * @param published records this node published
 * @param gossip records received on the gossip topic by outcome (accepted, duplicate, stale,
 *     conflict, forged, malformed)
 * @param syncSessions reconciliations this node started that completed
 * @param syncFailures those that failed
 * @param syncRecordsReceived records received in them
 * @param syncRecordsAccepted of those, accepted by the store
 * @param syncBytes bytes both ways on their streams
 * @param conflicts version conflicts seen (an author signed two contents for one version)
 * @param refusedRecords distinct records refused by the store's policy and still remembered (each
 *     named once in {@code recentRefusals} when first refused, however often peers offer it)
 * @param recentRefusals latest reasons for refusals and failed sessions, oldest first
 */
public record RecordStatus(
        long records,
        String file,
        String recovery,
        long published,
        Map<String, Long> gossip,
        long syncSessions,
        long syncFailures,
        long syncRecordsReceived,
        long syncRecordsAccepted,
        long syncBytes,
        int conflicts,
        int refusedRecords,
        List<String> recentRefusals) {

    /** One JSON object. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"records\":").append(records);
        sb.append(",\"file\":");
        quote(sb, file);
        sb.append(",\"recovery\":");
        quote(sb, recovery);
        sb.append(",\"published\":").append(published);
        sb.append(",\"gossip\":{");
        int i = 0;
        for (Map.Entry<String, Long> e : gossip.entrySet()) {
            quote(i++ == 0 ? sb : sb.append(','), e.getKey()).append(':').append(e.getValue());
        }
        sb.append("},\"sync_sessions\":").append(syncSessions);
        sb.append(",\"sync_failures\":").append(syncFailures);
        sb.append(",\"sync_records_received\":").append(syncRecordsReceived);
        sb.append(",\"sync_records_accepted\":").append(syncRecordsAccepted);
        sb.append(",\"sync_bytes\":").append(syncBytes);
        sb.append(",\"conflicts\":").append(conflicts);
        sb.append(",\"refused_records\":").append(refusedRecords);
        sb.append(",\"recent_refusals\":[");
        for (int j = 0; j < recentRefusals.size(); j++) {
            quote(j == 0 ? sb : sb.append(','), recentRefusals.get(j));
        }
        return sb.append("]}").toString();
    }
}
