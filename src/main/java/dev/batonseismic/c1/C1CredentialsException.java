package dev.batonseismic.c1;

import java.util.List;

/** BATON_CLIENT_ID or BATON_CLIENT_SECRET is malformed: one sentence per problem, naming the variable, never the secret. */
public class C1CredentialsException extends IllegalArgumentException {
    private final List<String> problems;

    C1CredentialsException(List<String> problems) {
        super(String.join(" ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
