package io.ipdm.lakes.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a running node tells local tools in {@value #FILE} of its lake directory: pid, peer id,
 * admin URL, gateway URL (null without one) and listen addresses. The one writer ({@link LakeNode})
 * and reader ({@code ipdm node status}, {@code ipdm net}, jobs' node client, module fetching) of
 * that file.
 */
public record NodeInfo(
        long pid, String peerId, String admin, String gateway, List<String> addresses) {
    public static final String FILE = "node.json";

    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");
    private static final Pattern ADDRESSES = Pattern.compile("\"addresses\"\\s*:\\s*\\[([^]]*)]");
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    public NodeInfo {
        addresses = List.copyOf(addresses);
    }

    /** The file of the node running on {@code lake}. */
    public static Path file(Path lake) {
        return lake.resolve(FILE);
    }

    /** Writes the file atomically (a reader never sees half of it). */
    public void write(Path lake) throws IOException {
        Path tmp = Files.createTempFile(lake, ".node", ".json");
        Files.writeString(tmp, toJson() + "\n");
        Files.move(
                tmp,
                file(lake),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"pid\":").append(pid);
        NodeStatus.quote(sb.append(",\"peer_id\":"), peerId);
        NodeStatus.quote(sb.append(",\"admin\":"), admin);
        if (gateway != null) {
            NodeStatus.quote(sb.append(",\"gateway\":"), gateway);
        }
        sb.append(",\"addresses\":[");
        for (int i = 0; i < addresses.size(); i++) {
            NodeStatus.quote(i == 0 ? sb : sb.append(','), addresses.get(i));
        }
        return sb.append("]}").toString();
    }

    /**
     * Reads the file of the node running on {@code lake}.
     *
     * @throws NoSuchFileException when no node runs there (or it was killed before removing it)
     * @throws IOException when the file cannot be read or names no admin address
     */
    public static NodeInfo read(Path lake) throws IOException {
        Path f = file(lake);
        String json = Files.readString(f);
        Matcher pid = PID.matcher(json);
        String admin = field(json, "admin");
        if (admin == null) {
            throw new IOException(
                    f + " names no admin address; is it an ipdm node's " + FILE + "?");
        }
        List<String> addrs = new ArrayList<>();
        Matcher a = ADDRESSES.matcher(json);
        if (a.find()) {
            Matcher s = STRING.matcher(a.group(1));
            while (s.find()) {
                addrs.add(unquote(s.group(1)));
            }
        }
        return new NodeInfo(
                pid.find() ? Long.parseLong(pid.group(1)) : 0,
                field(json, "peer_id"),
                stripSlash(admin),
                stripSlash(field(json, "gateway")),
                addrs);
    }

    private static String field(String json, String name) {
        Matcher m =
                Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                        .matcher(json);
        return m.find() ? unquote(m.group(1)) : null;
    }

    private static String unquote(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                if (n == 'u' && i + 4 < s.length()) {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                } else {
                    out.append(n);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String stripSlash(String u) {
        return u != null && u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
