package dev.iffleet.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Where one stage's time went: waiting in Kafka, running the model, and reading/writing Redis.
 * {@code queuedMs + ioMs} is the per-hop overhead of the fleet; {@code runMs} is the model's share.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageTiming(Long queuedMs, Long runMs, Long ioMs, Long startedAt, Long finishedAt, String worker) {}
