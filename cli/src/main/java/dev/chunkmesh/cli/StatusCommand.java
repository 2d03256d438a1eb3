package dev.chunkmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chunkmesh.store.ByteSize;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mesh status --node URL}: the POP as one node sees it. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a node's POP: members and their health, and what is held.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    NodeOptions node = new NodeOptions();

    @Option(names = "--json", description = "Print the node's status document as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        JsonNode s = node.client().get("/v1/status");
        if (json) {
            System.out.println(s.toPrettyString());
            return 0;
        }
        JsonNode self = s.path("node");
        System.out.printf("node %s (%s in %s%s), joined: %s%n", self.path("name").asText(), self.path("tier").asText(),
                self.path("pop").asText(), self.has("parent_pop") ? ", parent " + self.path("parent_pop").asText() : "",
                self.path("joined").asBoolean());
        System.out.printf("%n%-20s %-10s %-9s %-22s %10s %12s %9s%n", "MEMBER", "POP", "TIER", "PEER", "HEARTBEAT", "FREE", "SERVING");
        for (JsonNode m : s.path("members")) {
            System.out.printf(Locale.ROOT, "%-20s %-10s %-9s %-22s %8d ms %12s %9d%n", m.path("name").asText(), m.path("pop").asText(),
                    m.path("tier").asText(), m.path("peer").asText(), m.path("heartbeat_age_ms").asLong(),
                    ByteSize.human(m.path("free_bytes").asLong()), m.path("active_transfers").asInt());
        }
        System.out.printf("%n%-20s %12s %14s  %s%n", "BLOB", "SIZE", "HELD HERE", "HOLDERS (chunks)");
        for (JsonNode h : s.path("holdings")) {
            StringBuilder holders = new StringBuilder();
            for (JsonNode x : h.path("holders")) {
                holders.append(holders.length() == 0 ? "" : ", ").append(x.path("node").asText()).append(" (").append(x.path("chunks").asInt())
                        .append(")");
            }
            System.out.printf("%-20s %12s %6d/%-7d  %s%n", h.path("blob").asText().substring(0, 19), ByteSize.human(h.path("size").asLong()),
                    h.path("held_here").asLong(), h.path("chunks").asLong(), holders);
        }
        JsonNode st = s.path("store");
        System.out.printf("%nstore: %d chunks, %s of %s used, %d evictions, %d corrupt found; %d pulls running%n", st.path("chunks").asLong(),
                ByteSize.human(st.path("used_bytes").asLong()), ByteSize.human(st.path("capacity_bytes").asLong()),
                st.path("evictions").asLong(), st.path("corrupt_found").asLong(), s.path("pulls_running").asInt());
        return 0;
    }
}
