package dev.chunkmesh.node.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chunkmesh.catalog.oci.MediaTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptedTypesTest {

    @Test
    void gathersEveryHeaderLineAsDockerSendsThem() {
        AcceptedTypes t = AcceptedTypes.parse(List.of(MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_LIST, MediaTypes.OCI_MANIFEST));
        assertEquals(MediaTypes.DOCKER_MANIFEST + ", " + MediaTypes.DOCKER_LIST + ", " + MediaTypes.OCI_MANIFEST, t.header());
    }

    @Test
    void splitsCommaListsAndDropsParametersAndDuplicates() {
        AcceptedTypes t = AcceptedTypes.parse(List.of(MediaTypes.OCI_INDEX + ";q=0.9, " + MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX));
        assertEquals(List.of(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST), t.types());
    }

    @Test
    void aClientNamingNoManifestTypeIsOfferedEveryTypeSoTheOriginNeverConvertsToSchema1() {
        assertEquals(MediaTypes.ACCEPTED_MANIFESTS, AcceptedTypes.parse(List.of()).types());
        AcceptedTypes any = AcceptedTypes.parse(List.of("*/*"));
        assertEquals(MediaTypes.ACCEPTED_MANIFESTS.size() + 1, any.types().size());
        assertEquals("*/*", any.types().get(any.types().size() - 1));
    }

    @Test
    void keepsTheClientsChoiceWhenItNamesOnlyOneType() {
        assertEquals(List.of(MediaTypes.DOCKER_MANIFEST), AcceptedTypes.parse(List.of(MediaTypes.DOCKER_MANIFEST)).types());
    }

    @Test
    void cutsAbsurdlyLongLists() {
        StringBuilder b = new StringBuilder(MediaTypes.OCI_MANIFEST);
        for (int i = 0; i < 1000; i++) {
            b.append(", application/x-").append(i);
        }
        assertEquals(AcceptedTypes.MAX_TYPES, AcceptedTypes.parse(List.of(b.toString())).types().size());
    }
}
