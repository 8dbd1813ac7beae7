package dev.batonseismic.config;

import java.util.List;

/**
 * A deployment setting is missing or malformed. Its message is meant for the operator as is: one sentence per problem,
 * naming the environment variable, never echoing a secret.
 */
public class InvalidSettingException extends RuntimeException {
    private final List<String> problems;

    public InvalidSettingException(List<String> problems) {
        super(String.join(" ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // a configuration error is not a program error: no stack trace to show
    }
}
