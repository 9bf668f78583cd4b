package io.ipdm.connectors.solana.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Solana's bincode {@code TransactionError} as the JSON getBlock shows it (serde's externally
 * tagged form): {@code "AccountInUse"}, {@code {"InstructionError":[2,{"Custom":6001}]}}, {@code
 * {"InsufficientFundsForRent":{"account_index":3}}}. Variant tags are declaration order.
 */
final class OldTransactionErrors {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final String[] TRANSACTION = {
        "AccountInUse",
        "AccountLoadedTwice",
        "AccountNotFound",
        "ProgramAccountNotFound",
        "InsufficientFundsForFee",
        "InvalidAccountForFee",
        "AlreadyProcessed",
        "BlockhashNotFound",
        "InstructionError",
        "CallChainTooDeep",
        "MissingSignatureForFee",
        "InvalidAccountIndex",
        "SignatureFailure",
        "InvalidProgramForExecution",
        "SanitizeFailure",
        "ClusterMaintenance",
        "AccountBorrowOutstanding",
        "WouldExceedMaxBlockCostLimit",
        "UnsupportedVersion",
        "InvalidWritableAccount",
        "WouldExceedMaxAccountCostLimit",
        "WouldExceedAccountDataBlockLimit",
        "TooManyAccountLocks",
        "AddressLookupTableNotFound",
        "InvalidAddressLookupTableOwner",
        "InvalidAddressLookupTableData",
        "InvalidAddressLookupTableIndex",
        "InvalidRentPayingAccount",
        "WouldExceedMaxVoteCostLimit",
        "WouldExceedAccountDataTotalLimit",
        "DuplicateInstruction",
        "InsufficientFundsForRent",
        "MaxLoadedAccountsDataSizeExceeded",
        "InvalidLoadedAccountsDataSizeLimit",
        "ResanitizationNeeded",
        "ProgramExecutionTemporarilyRestricted",
        "UnbalancedTransaction",
        "ProgramCacheHitMaxLimit",
        "CommitCancelled"
    };

    private static final String[] INSTRUCTION = {
        "GenericError",
        "InvalidArgument",
        "InvalidInstructionData",
        "InvalidAccountData",
        "AccountDataTooSmall",
        "InsufficientFunds",
        "IncorrectProgramId",
        "MissingRequiredSignature",
        "AccountAlreadyInitialized",
        "UninitializedAccount",
        "UnbalancedInstruction",
        "ModifiedProgramId",
        "ExternalAccountLamportSpend",
        "ExternalAccountDataModified",
        "ReadonlyLamportChange",
        "ReadonlyDataModified",
        "DuplicateAccountIndex",
        "ExecutableModified",
        "RentEpochModified",
        "NotEnoughAccountKeys",
        "AccountDataSizeChanged",
        "AccountNotExecutable",
        "AccountBorrowFailed",
        "AccountBorrowOutstanding",
        "DuplicateAccountOutOfSync",
        "Custom",
        "InvalidError",
        "ExecutableDataModified",
        "ExecutableLamportChange",
        "ExecutableAccountNotRentExempt",
        "UnsupportedProgramId",
        "CallDepth",
        "MissingAccount",
        "ReentrancyNotAllowed",
        "MaxSeedLengthExceeded",
        "InvalidSeeds",
        "InvalidRealloc",
        "ComputationalBudgetExceeded",
        "PrivilegeEscalation",
        "ProgramEnvironmentSetupFailure",
        "ProgramFailedToComplete",
        "ProgramFailedToCompile",
        "Immutable",
        "IncorrectAuthority",
        "BorshIoError",
        "AccountNotRentExempt",
        "InvalidAccountOwner",
        "ArithmeticOverflow",
        "UnsupportedSysvar",
        "IllegalOwner",
        "MaxAccountsDataAllocationsExceeded",
        "MaxAccountsExceeded",
        "MaxInstructionTraceLengthExceeded",
        "BuiltinProgramsMustConsumeComputeUnits"
    };

    private OldTransactionErrors() {}

    /** Reads one {@code TransactionError}. */
    static JsonNode read(OldBincodeReader in) {
        String name = name(TRANSACTION, in.u32(), "TransactionError");
        switch (name) {
            case "InstructionError" -> {
                ArrayNode pair = F.arrayNode();
                pair.add(in.u8());
                pair.add(instructionError(in));
                return tagged(name, pair);
            }
            case "DuplicateInstruction" -> {
                return tagged(name, F.numberNode(in.u8()));
            }
            case "InsufficientFundsForRent", "ProgramExecutionTemporarilyRestricted" -> {
                ObjectNode fields = F.objectNode();
                fields.put("account_index", in.u8());
                return tagged(name, fields);
            }
            default -> {
                return F.textNode(name);
            }
        }
    }

    /**
     * Writes {@code err} (getBlock's JSON form) as the bincode {@code TransactionError} {@link
     * #read} reads back; an unknown variant name is an error naming it.
     */
    static byte[] write(JsonNode err) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        String name = err.isTextual() ? err.asText() : err.fieldNames().next();
        JsonNode value = err.isTextual() ? null : err.get(name);
        u32(out, tag(TRANSACTION, name, "TransactionError"));
        switch (name) {
            case "InstructionError" -> {
                out.write(value.get(0).asInt());
                JsonNode ie = value.get(1);
                String iname = ie.isTextual() ? ie.asText() : ie.fieldNames().next();
                u32(out, tag(INSTRUCTION, iname, "InstructionError"));
                if (iname.equals("Custom")) {
                    u32(out, ie.get(iname).asLong());
                } else if (iname.equals("BorshIoError") && !ie.isTextual()) {
                    byte[] text =
                            ie.get(iname)
                                    .asText()
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    u32(out, text.length);
                    u32(out, 0); // bincode string length is a u64
                    out.writeBytes(text);
                }
            }
            case "DuplicateInstruction" -> out.write(value.asInt());
            case "InsufficientFundsForRent", "ProgramExecutionTemporarilyRestricted" ->
                    out.write(value.get("account_index").asInt());
            default -> {}
        }
        return out.toByteArray();
    }

    private static void u32(java.io.ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static int tag(String[] names, String name, String type) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        throw new OldMetaFormatException(type + " variant '" + name + "' is unknown");
    }

    private static JsonNode instructionError(OldBincodeReader in) {
        String name = name(INSTRUCTION, in.u32(), "InstructionError");
        return switch (name) {
            case "Custom" -> tagged(name, F.numberNode(in.u32()));
            // BorshIoError carried a String until Solana 2.x made it a unit variant
            case "BorshIoError" ->
                    in.atEnd() ? F.textNode(name) : tagged(name, F.textNode(in.string()));
            default -> F.textNode(name);
        };
    }

    private static ObjectNode tagged(String name, JsonNode value) {
        ObjectNode o = F.objectNode();
        o.set(name, value);
        return o;
    }

    private static String name(String[] names, long tag, String type) {
        if (tag < 0 || tag >= names.length) {
            throw new OldMetaFormatException(type + " variant " + tag + " is unknown");
        }
        return names[(int) tag];
    }
}
