package dev.batonseismic.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code sink.*}: where a sync's result goes. {@code type} (SINK_TYPE) names a sink bean's {@code SinkType} or c1
 * (service mode); empty: c1 when BATON_CLIENT_ID is set, else file. {@link SettingsConfiguration} checks the name.
 */
@Validated
@ConfigurationProperties("sink")
public record SinkProperties(String type, File file, C1z c1z) {
    /** The file sink's output directory. */
    public record File(String directory) {}

    /** The .c1z sink's file, replaced atomically by each good sync. */
    public record C1z(String file) {}
}
