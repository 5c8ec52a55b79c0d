package dev.iffleet.launcher.cli;

/** The CLI's exit codes, and how a job's final status or a gateway answer maps to one. */
enum ExitCode {
    SUCCEEDED(0),
    JOB_FAILED(1),
    USAGE(2),
    GATEWAY(3);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    /** A finished job: succeeded is 0, failed or canceled is 1; anything else is not a final status. */
    static ExitCode forJobStatus(String status) {
        return switch (status) {
            case "succeeded" -> SUCCEEDED;
            case "failed", "canceled" -> JOB_FAILED;
            default -> throw new IllegalArgumentException("not a final job status: " + status);
        };
    }

    static boolean isFinal(String status) {
        return status.equals("succeeded") || status.equals("failed") || status.equals("canceled");
    }

    /** An HTTP answer: 2xx is fine, anything else is a gateway error. */
    static ExitCode forHttpStatus(int status) {
        return status >= 200 && status < 300 ? SUCCEEDED : GATEWAY;
    }
}
