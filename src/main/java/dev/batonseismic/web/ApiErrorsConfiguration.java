package dev.batonseismic.web;

import jakarta.servlet.DispatcherType;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * The REST API's answers when no route can give one: 503 while the routes are not running ({@link ApiStartingFilter}).
 */
@Configuration(proxyBeanMethods = false)
public class ApiErrorsConfiguration {
    /** After Spring's request observation (so refusals are counted) and well before Spring Security (-100). */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    @Bean
    public FilterRegistrationBean<ApiStartingFilter> apiStartingFilter(ObjectProvider<CamelContext> camel) {
        AtomicReference<CamelContext> context = new AtomicReference<>();
        FilterRegistrationBean<ApiStartingFilter> r = new FilterRegistrationBean<>(new ApiStartingFilter(() -> {
            CamelContext c = context.get();
            if (c == null) {
                c = camel.getIfAvailable();
                context.set(c);
            }
            return c == null ? null : c.getStatus();
        }));
        r.addUrlPatterns("/api/*");
        r.setDispatcherTypes(DispatcherType.REQUEST);
        r.setOrder(ORDER);
        return r;
    }

    /** Tells the {@link ApiStartingFilter} the application is closing (the routes are about to stop). */
    @Bean
    public ClosingListener apiClosingListener(FilterRegistrationBean<ApiStartingFilter> apiStartingFilter) {
        return new ClosingListener(apiStartingFilter.getFilter());
    }

    /** Hears the application close. */
    public record ClosingListener(ApiStartingFilter filter) implements ApplicationListener<ContextClosedEvent> {
        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            filter.closing();
        }
    }
}
