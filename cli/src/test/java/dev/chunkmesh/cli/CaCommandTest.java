package dev.chunkmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chunkmesh.node.tls.MeshCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaCommandTest {

    @TempDir
    Path dir;

    @Test
    void initThenIssueGivesANodeCertificateSignedByTheMeshCa() throws Exception {
        Path ca = dir.resolve("ca");
        assertEquals(0, CliRun.run("ca", "init", "--dir", ca.toString()).exitCode());
        CliRun issued = CliRun.run("ca", "issue", "--dir", ca.toString(), "--node", "fra1-a", "--address", "10.0.0.11",
                "--out", dir.resolve("node").toString());
        assertEquals(0, issued.exitCode(), issued.err());
        X509Certificate root = MeshCa.readCert(ca.resolve("ca.crt"));
        X509Certificate leaf = MeshCa.readCert(dir.resolve("node/fra1-a.crt"));
        leaf.verify(root.getPublicKey());
        assertTrue(leaf.getSubjectX500Principal().getName().contains("CN=fra1-a"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("node/fra1-a.key"))));
        CliRun again = CliRun.run("ca", "init", "--dir", ca.toString());
        assertEquals(1, again.exitCode(), "an existing CA is never overwritten");
        assertTrue(again.err().contains("already exists"), again.err());
    }
}
