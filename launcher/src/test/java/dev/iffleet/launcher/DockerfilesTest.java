package dev.iffleet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each service's Dockerfile takes its base image as a build argument whose default is the upstream image. */
class DockerfilesTest {

    static final String UPSTREAM_JRE = "eclipse-temurin:17-jre";

    @ParameterizedTest(name = "{0}")
    @EnumSource(Service.class)
    void baseImageIsABuildArgumentDefaultingToTheUpstreamJre(Service s) throws IOException {
        List<String> lines = Files.readAllLines(RepoRoot.find().resolve(s.module()).resolve("Dockerfile")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertEquals(List.of("FROM ${BASE_IMAGE}"), froms, s.module() + ": one stage, built FROM the argument");
        int arg = lines.indexOf("ARG BASE_IMAGE=" + UPSTREAM_JRE);
        assertTrue(arg >= 0 && arg < lines.indexOf(froms.get(0)),
                s.module() + ": needs `ARG BASE_IMAGE=" + UPSTREAM_JRE + "` before its FROM");
    }
}
