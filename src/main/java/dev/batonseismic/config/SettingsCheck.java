package dev.batonseismic.config;

import dev.batonseismic.c1.C1Settings;
import dev.batonseismic.sink.SinkType;
import dev.batonseismic.sink.SyncSink;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Runs {@link SettingsConfiguration#check} once the beans are declared and before any is made: a misconfigured
 * deployment stops with every problem named, instead of with the first bean that trips over one. The names SINK_TYPE
 * may take are read from the sink beans' {@link SinkType} (and service mode's c1), not from a second list.
 */
public class SettingsCheck implements BeanFactoryPostProcessor, EnvironmentAware {
    private Environment env;

    @Override
    public void setEnvironment(Environment environment) {
        this.env = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beans) {
        SettingsConfiguration.check(env, sinkTypes(beans));
        BatonStandardSettings.notices(env).forEach(n -> LoggerFactory.getLogger(BatonStandardSettings.class).warn(n));
    }

    /** The sink names of the SyncSink beans declared in {@code beans}, and c1. */
    static List<String> sinkTypes(ConfigurableListableBeanFactory beans) {
        List<String> types = new ArrayList<>();
        for (String name : beans.getBeanNamesForType(SyncSink.class, true, false)) {
            SinkType type = beans.findAnnotationOnBean(name, SinkType.class, false);
            if (type != null) {
                types.add(type.value());
            }
        }
        types.add(C1Settings.SINK_TYPE);
        return types;
    }
}
