package dev.iffleet.core.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a job is in its life; terminal states never change again. */
public enum JobState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }

    public static JobState fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
