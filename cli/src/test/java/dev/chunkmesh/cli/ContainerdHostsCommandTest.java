package dev.chunkmesh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerdHostsCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesOneHostsTomlPerUpstreamNamingTheMirror() throws Exception {
        CliRun run = CliRun.run("containerd-hosts", "--dir", dir.toString(), "--mirror", "http://127.0.0.1:5050",
                "--upstream", "docker.io=https://registry-1.docker.io", "--upstream", "registry.example.com:5000=http://registry.example.com:5000");
        assertEquals(0, run.exitCode(), run.err());
        String docker = Files.readString(dir.resolve("docker.io/hosts.toml"));
        assertTrue(docker.contains("server = \"https://registry-1.docker.io\""), docker);
        assertTrue(docker.contains("[host.\"http://127.0.0.1:5050\"]\n  capabilities = [\"pull\", \"resolve\"]"), docker);
        assertTrue(Files.exists(dir.resolve("registry.example.com:5000/hosts.toml")));
    }

    @Test
    void refusesHostsThatWouldEscapeTheFolder() {
        CliRun run = CliRun.run("containerd-hosts", "--dir", dir.toString(), "--upstream", "../etc=https://x.example");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("must be a registry host"), run.err());
    }
}
