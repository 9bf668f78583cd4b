package io.ipdm.connectors.solana;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.BasicArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/**
 * The row kinds every Solana source produces, with their positional schemas. The field order is a
 * contract other modules compile against: fields may be appended, never reordered or removed. See
 * docs/solana.md for the meaning of each field.
 */
public enum SolanaTable {
    BLOCKS(
            f("slot", Types.LONG),
            f("parent_slot", Types.LONG),
            f("blockhash", Types.STRING),
            f("previous_blockhash", Types.STRING),
            f("block_time", Types.LONG),
            f("block_height", Types.LONG),
            f("tx_count", Types.INT),
            f("vote_tx_count", Types.INT),
            f("failed_tx_count", Types.INT),
            f("signature_count", Types.INT),
            f("total_fee", Types.LONG),
            f("total_compute_units", Types.LONG),
            f("leader", Types.STRING),
            f("leader_reward", Types.LONG)),
    TRANSACTIONS(
            f("slot", Types.LONG),
            f("block_time", Types.LONG),
            f("index", Types.INT),
            f("signature", Types.STRING),
            f("fee_payer", Types.STRING),
            f("fee", Types.LONG),
            f("success", Types.BOOLEAN),
            f("error", Types.STRING),
            f("compute_units", Types.LONG),
            f("program_ids", BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO),
            f("inner_program_ids", BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO),
            f("is_vote", Types.BOOLEAN),
            f("num_signatures", Types.INT),
            f("version", Types.STRING),
            f("num_instructions", Types.INT),
            f("num_inner_instructions", Types.INT),
            f("num_accounts", Types.INT),
            f("recent_blockhash", Types.STRING)),
    INSTRUCTIONS(
            f("slot", Types.LONG),
            f("block_time", Types.LONG),
            f("tx_index", Types.INT),
            f("signature", Types.STRING),
            f("instruction_index", Types.INT),
            f("inner_index", Types.INT),
            f("stack_height", Types.INT),
            f("program_id", Types.STRING),
            f("accounts", BasicArrayTypeInfo.STRING_ARRAY_TYPE_INFO),
            f("data", Types.STRING),
            f("success", Types.BOOLEAN),
            f("is_vote", Types.BOOLEAN)),
    TOKEN_BALANCE_CHANGES(
            f("slot", Types.LONG),
            f("block_time", Types.LONG),
            f("tx_index", Types.INT),
            f("signature", Types.STRING),
            f("account_index", Types.INT),
            f("account", Types.STRING),
            f("mint", Types.STRING),
            f("owner", Types.STRING),
            f("token_program", Types.STRING),
            f("decimals", Types.INT),
            f("pre_amount", Types.LONG),
            f("post_amount", Types.LONG),
            f("delta", Types.LONG),
            f("ui_delta", Types.DOUBLE),
            f("success", Types.BOOLEAN));

    private final String[] names;
    private final TypeInformation<?>[] types;

    SolanaTable(Field... fields) {
        names = Arrays.stream(fields).map(Field::name).toArray(String[]::new);
        types = Arrays.stream(fields).map(Field::type).toArray(TypeInformation<?>[]::new);
    }

    /** The row type with snake_case field names; a new instance on every call. */
    public RowTypeInfo rowType() {
        return new RowTypeInfo(types.clone(), names.clone());
    }

    public List<String> fieldNames() {
        return List.of(names);
    }

    public int arity() {
        return names.length;
    }

    /** Position of a field, or an error listing the fields of this table. */
    public int indexOf(String field) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(field)) {
                return i;
            }
        }
        throw new IllegalArgumentException(
                "table " + tableName() + " has no field '" + field + "'; fields: " + fieldNames());
    }

    /** Position of {@code block_time} (unix seconds, nullable): the event-time field. */
    public int blockTimeIndex() {
        return indexOf("block_time");
    }

    /**
     * Event time of a row of this table in epoch milliseconds ({@code block_time * 1000}), or
     * {@link Long#MIN_VALUE} (Flink's "no timestamp") when the block time is unknown.
     */
    public long eventTimeMillis(org.apache.flink.types.Row row) {
        Object t = row.getField(1);
        if (this == BLOCKS) {
            t = row.getField(4);
        }
        return t == null ? Long.MIN_VALUE : (Long) t * 1000L;
    }

    /** The lower-case name used in YAML, e.g. {@code token_balance_changes}. */
    public String tableName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a YAML table name; the error lists the allowed names. */
    public static SolanaTable fromName(String name) {
        List<String> allowed = new ArrayList<>();
        for (SolanaTable t : values()) {
            if (t.tableName().equals(name)) {
                return t;
            }
            allowed.add(t.tableName());
        }
        throw new IllegalArgumentException(
                "unknown Solana table '" + name + "'; allowed: " + String.join(", ", allowed));
    }

    private record Field(String name, TypeInformation<?> type) {}

    private static Field f(String name, TypeInformation<?> type) {
        return new Field(name, type);
    }
}
