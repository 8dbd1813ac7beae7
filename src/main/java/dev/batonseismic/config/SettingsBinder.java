package dev.batonseismic.config;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;

/**
 * Binds a {@code @ConfigurationProperties} record the way Spring Boot will, and turns what is wrong with it into
 * sentences naming the environment variable, e.g. "SYNC_PAGE_SIZE (sync.page-size) is malformed: expected a whole
 * number from 1 to 100, got '500'." What is expected is read from the record's own constraints ({@code @Min},
 * {@code @Max}, {@code @DurationMin}, {@code @Pattern}), so each range is declared once, on the record.
 */
final class SettingsBinder {
    private static final ValidatorFactory VALIDATION = Validation.byDefaultProvider().configure()
            .messageInterpolator(new org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator())
            .buildValidatorFactory();
    private static final Validator VALIDATOR = VALIDATION.getValidator();

    private SettingsBinder() {}

    /** The record bound from {@code env} (null when none of its settings is there); each problem added to {@code problems}. */
    static <T> T bind(Environment env, Class<T> type, List<String> problems) {
        String prefix = type.getAnnotation(ConfigurationProperties.class).value();
        List<String> found = new ArrayList<>();
        T bound = Binder.get(env).bind(prefix, Bindable.of(type), new AbstractBindHandler() {
            @Override
            public Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Exception error) {
                ConfigurationProperty property = context.getConfigurationProperty();
                found.add(malformed(name.toString(), expected(target.getType().resolve(Object.class), target.getAnnotations()),
                        property == null ? "" : String.valueOf(property.getValue())));
                return null; // the rest is still bound and checked: every problem is reported at once
            }
        }).orElse(null);
        if (bound != null) {
            for (ConstraintViolation<T> v : VALIDATOR.validate(bound)) {
                String property = prefix + "." + kebab(v.getPropertyPath());
                Object leaf = v.getLeafBean();
                String leafName = last(v.getPropertyPath());
                found.add(malformed(property, expected(leaf.getClass(), leafName), String.valueOf(env.getProperty(property, ""))));
            }
        }
        found.stream().sorted().forEach(problems::add);
        return bound;
    }

    /** The environment variable Spring's relaxed binding maps to a property, e.g. SYNC_PAGE_SIZE for sync.page-size. */
    static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    static String malformed(String property, String expected, String got) {
        return malformedEnv(envName(property) + " (" + property + ")", expected, got);
    }

    /** "NAME is malformed: expected …, got '…'." with the value shortened. */
    static String malformedEnv(String name, String expected, String got) {
        String shown = got.length() > 80 ? got.substring(0, 80) + "…" : got;
        return name + " is malformed: expected " + expected + ", got '" + shown.trim() + "'.";
    }

    private static String expected(Class<?> record, String component) {
        try {
            Field field = record.getDeclaredField(component);
            return expected(field.getType(), field.getAnnotations());
        } catch (NoSuchFieldException e) {
            return "a valid value";
        }
    }

    /** What a setting of this type with these constraints must look like, in words. */
    static String expected(Class<?> type, Annotation[] annotations) {
        Min min = find(annotations, Min.class);
        Max max = find(annotations, Max.class);
        Pattern pattern = find(annotations, Pattern.class);
        DurationMin durationMin = find(annotations, DurationMin.class);
        if (pattern != null) {
            return pattern.message();
        }
        if (type == Duration.class) {
            boolean aboveZero = durationMin != null && (durationMin.nanos() > 0 || durationMin.millis() > 0 || durationMin.seconds() > 0
                    || durationMin.minutes() > 0 || durationMin.hours() > 0 || durationMin.days() > 0);
            return "a duration such as 500ms, 30s or 2m" + (aboveZero ? ", above zero" : "");
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            if (min != null && max != null) {
                return "a whole number from " + min.value() + " to " + max.value();
            }
            return min != null ? "a whole number of at least " + min.value() : "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "a valid value";
    }

    private static <A extends Annotation> A find(Annotation[] annotations, Class<A> type) {
        return Arrays.stream(annotations).filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }

    private static String kebab(Path path) {
        List<String> parts = new ArrayList<>();
        path.forEach(node -> parts.add(node.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)));
        return String.join(".", parts);
    }

    private static String last(Path path) {
        String name = null;
        for (Path.Node node : path) {
            name = node.getName();
        }
        return name;
    }
}
