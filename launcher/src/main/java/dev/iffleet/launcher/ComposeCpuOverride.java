package dev.iffleet.launcher;

import java.util.Map;

/**
 * Writes the compose override that runs a fleet of {@link ComposeFile} on a machine without GPUs: every worker
 * replica's GPU reservation is removed ({@code !reset}: an {@code nvidia} device request fails where there is no
 * such driver) and its model runs on the CPU. {@code docker-compose.cpu.yml} is this for one replica per stage.
 */
final class ComposeCpuOverride {

    private static final String HEAD = """
            # CPU override of docker-compose.yml, for a machine without GPUs (like the dev machines):
            #   docker compose -f docker-compose.yml -f docker-compose.cpu.yml up --build
            # Each worker's GPU reservation is removed (`!reset`, Compose >= 2.24.4; an nvidia device request fails
            # where there is no such driver) and its model runs on the CPU. This file is exactly `./fleet compose --cpu`
            # (ComposeCpuOverrideTest compares them); `./fleet compose --cpu --replicas stage1=4 > compose.cpu.replicas.yml`
            # writes the override of a scaled file.

            services:
            """;
    private static final String WORKER = """
              %s:
                deploy: !reset {}
                environment:
                  FLEET_MODEL_DEVICE: cpu
            """;

    private ComposeCpuOverride() {}

    /** @param replicas replicas per worker service (1 if absent), as given to {@link ComposeFile#render} */
    static String render(Map<Service, Integer> replicas) {
        StringBuilder out = new StringBuilder(HEAD);
        for (Service s : Service.values()) {
            if (!s.isWorker()) {
                continue;
            }
            for (int i = 0; i < replicas.getOrDefault(s, 1); i++) {
                out.append(WORKER.formatted(ComposeFile.serviceName(s, i)));
            }
        }
        return out.toString();
    }
}
