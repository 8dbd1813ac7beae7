package dev.batonseismic.sink;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The name a {@link SyncSink} is chosen by: the value of SINK_TYPE (sink.type) that selects it, e.g. file or c1z. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SinkType {
    String value();
}
