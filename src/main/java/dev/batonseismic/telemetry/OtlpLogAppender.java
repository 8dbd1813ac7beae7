package dev.batonseismic.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.logs.Severity;
import java.util.concurrent.TimeUnit;

/**
 * Hands each log line to OpenTelemetry's logs (as baton-sdk tees its zap logger into OTLP, {@code pkg/uotel/config.go}):
 * the same formatted message the console shows, its level, logger (as the instrumentation scope), thread and exception,
 * within the span current on the logging thread. The exporter's own loggers ({@code io.opentelemetry}, {@code io.grpc})
 * are left out, so a collector that is down does not feed its own failures back to itself.
 */
final class OtlpLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private final LoggerProvider logs;

    OtlpLogAppender(LoggerProvider logs) {
        this.logs = logs;
        setName("otlp");
    }

    @Override
    protected void append(ILoggingEvent event) {
        String logger = event.getLoggerName();
        if (logger.startsWith("io.opentelemetry.") || logger.startsWith("io.grpc.")) {
            return;
        }
        LogRecordBuilder record = logs.get(logger).logRecordBuilder()
                .setTimestamp(event.getTimeStamp(), TimeUnit.MILLISECONDS)
                .setSeverity(severity(event.getLevel()))
                .setSeverityText(event.getLevel().toString())
                .setBody(event.getFormattedMessage())
                .setAttribute("thread.name", event.getThreadName());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            record.setAttribute("exception.type", thrown.getClassName());
            if (thrown.getMessage() != null) {
                record.setAttribute("exception.message", thrown.getMessage());
            }
            record.setAttribute("exception.stacktrace", ThrowableProxyUtil.asString(thrown));
        }
        record.emit();
    }

    private static Severity severity(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> Severity.ERROR;
            case Level.WARN_INT -> Severity.WARN;
            case Level.INFO_INT -> Severity.INFO;
            case Level.DEBUG_INT -> Severity.DEBUG;
            default -> Severity.TRACE;
        };
    }
}
