package dev.batonseismic.config;

import org.springframework.boot.SpringBootExceptionReporter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Prints a configuration error as plain sentences on stderr and nothing else: no stack trace, no Spring failure
 * banner. The JVM then exits non-zero. Other start-up failures fall through to Spring Boot's own reporting.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class StartupFailureReporter implements SpringBootExceptionReporter {

    @Override
    public boolean reportException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidSettingException invalid) {
                invalid.problems().forEach(p -> System.err.println("Configuration error: " + p));
                return true;
            }
        }
        return false;
    }
}
