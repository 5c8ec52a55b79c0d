package dev.iffleet.gateway.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One POST of a delivery: when, and the response code or the error. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(long at, Integer code, String error) {}
