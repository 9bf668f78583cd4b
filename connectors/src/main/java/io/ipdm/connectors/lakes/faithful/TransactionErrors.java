package io.ipdm.connectors.lakes.faithful;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Solana's bincode {@code TransactionError} as the JSON getBlock shows it (serde's externally
 * tagged form): {@code "AccountInUse"}, {@code {"InstructionError":[2,{"Custom":6001}]}}, {@code
 * {"InsufficientFundsForRent":{"account_index":3}}}. Variant tags are declaration order.
 */
final class TransactionErrors {
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

    private TransactionErrors() {}

    /**
     * Reads one {@code TransactionError} as getBlock's compact JSON text (what Jackson prints for
     * it), written straight into a string: one per failed transaction, on the decode's hot path.
     */
    static String read(BincodeReader in) {
        String name = name(TRANSACTION, in.u32(), "TransactionError");
        StringBuilder b = new StringBuilder(48);
        switch (name) {
            case "InstructionError" -> {
                b.append("{\"InstructionError\":[").append(in.u8()).append(',');
                instructionError(in, b);
                b.append("]}");
            }
            case "DuplicateInstruction" ->
                    b.append("{\"DuplicateInstruction\":").append(in.u8()).append('}');
            case "InsufficientFundsForRent", "ProgramExecutionTemporarilyRestricted" ->
                    b.append("{\"")
                            .append(name)
                            .append("\":{\"account_index\":")
                            .append(in.u8())
                            .append("}}");
            default -> b.append('"').append(name).append('"');
        }
        return b.toString();
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
        throw new MetaFormatException(type + " variant '" + name + "' is unknown");
    }

    private static void instructionError(BincodeReader in, StringBuilder b) {
        String name = name(INSTRUCTION, in.u32(), "InstructionError");
        switch (name) {
            case "Custom" -> b.append("{\"Custom\":").append(in.u32()).append('}');
            // BorshIoError carried a String until Solana 2.x made it a unit variant
            case "BorshIoError" -> {
                if (in.atEnd()) {
                    b.append("\"BorshIoError\"");
                } else {
                    b.append("{\"BorshIoError\":\"")
                            .append(JsonStringEncoder.getInstance().quoteAsString(in.string()))
                            .append("\"}");
                }
            }
            default -> b.append('"').append(name).append('"');
        }
    }

    private static String name(String[] names, long tag, String type) {
        if (tag < 0 || tag >= names.length) {
            throw new MetaFormatException(type + " variant " + tag + " is unknown");
        }
        return names[(int) tag];
    }
}
