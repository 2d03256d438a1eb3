package dev.chunkmesh.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.node.config.ConfigKeys.Key;
import dev.chunkmesh.node.config.ConfigKeys.Section;
import dev.chunkmesh.node.http.ServerLimits;
import dev.chunkmesh.node.pull.PullSettings;
import dev.chunkmesh.store.ByteSize;
import dev.chunkmesh.store.chunker.ChunkerParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sections declare the keys; a key's default and its record's {@code DEFAULTS} are one value. */
class SectionDefaultsTest {

    @Test
    void everyRecordDefaultIsWhatTheDefaultsOfItsKeysLoadAs() {
        NodeConfig c = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());
        assertEquals(NodeConfig.Network.DEFAULTS, c.network());
        assertEquals(ServerLimits.DEFAULTS, c.network().limits());
        assertEquals(NodeConfig.Store.DEFAULTS, c.store());
        assertEquals(NodeConfig.Origins.DEFAULTS, c.origin());
        assertEquals(NodeConfig.Registry.DEFAULTS, c.registry());
        assertEquals(PullSettings.DEFAULTS, c.pull());
        assertEquals(ChunkerParams.DEFAULTS, c.chunker());
        assertEquals(NodeConfig.Admin.DEFAULTS, c.admin());
        assertEquals(Optional.empty(), c.tls());
        assertEquals(Optional.empty(), c.trustedKeys());
    }

    @Test
    void everyKeyIsDeclaredOnceByTheSectionItIsNamedAfter() {
        List<Key> listed = new ArrayList<>();
        var names = new HashSet<String>();
        for (Section s : ConfigKeys.SECTIONS) {
            assertTrue(names.add(s.name()), "section " + s.name() + " twice");
            assertTrue(!s.keys().isEmpty(), s.name());
            s.keys().forEach(k -> assertTrue(k.name().startsWith(s.name() + "."), k.name()));
            listed.addAll(s.keys());
        }
        assertEquals(listed, List.copyOf(ConfigKeys.ALL.values()), "ALL lists the sections' keys in order");
        assertEquals(List.of("node", "network", "cluster", "store", "origin", "tiers", "registry", "pull", "chunker", "tls", "admin",
                "catalog"), ConfigKeys.SECTIONS.stream().map(Section::name).toList());
    }

    @Test
    void aSectionRefusesAKeyOfAnotherSection() {
        assertThrows(IllegalArgumentException.class, () -> Section.of("store", new Key("pull.peer-batch", "32", "help")));
    }

    @Test
    void durationsAndSizesAreWrittenAsTheyAreReadBack() {
        Map<Duration, String> durations = Map.of(Duration.ofMillis(50), "50ms", Duration.ofSeconds(5), "5s", Duration.ofSeconds(60), "60s",
                Duration.ofSeconds(90), "90s", Duration.ofMinutes(5), "5m", Duration.ofMinutes(90), "90m", Duration.ofHours(3), "3h");
        durations.forEach((d, text) -> {
            assertEquals(text, Settings.durationText(d));
            assertEquals(d, Settings.parseDuration(text));
        });
        Map<Long, String> sizes = Map.of(0L, "0", 1000L, "1000", 16L << 10, "16KiB", 1536L << 10, "1536KiB", 16L << 20, "16MiB",
                10L << 30, "10GiB", 2L << 40, "2TiB", 4L << 50, "4096TiB");
        sizes.forEach((bytes, text) -> {
            assertEquals(text, Settings.sizeText(bytes));
            assertEquals(bytes, ByteSize.parse(text).bytes());
        });
    }
}
