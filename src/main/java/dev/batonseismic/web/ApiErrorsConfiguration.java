package dev.batonseismic.web;

import jakarta.servlet.DispatcherType;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The REST API answers in its own JSON shape, {@code {"error": "…"}}, whoever refuses a call: 503 while the routes
 * are not running ({@link ApiStartingFilter}), Spring Security and Spring MVC ({@link ApiErrorFilter}), Spring
 * Security's firewall (the {@link RequestRejectedHandler} below) and Tomcat itself ({@link JsonErrorReportValve}).
 * Paths outside {@code /api} (Hawtio, the actuator) keep Spring Boot's and Tomcat's answers.
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

    @Bean
    public FilterRegistrationBean<ApiErrorFilter> apiErrorFilter() {
        FilterRegistrationBean<ApiErrorFilter> r = new FilterRegistrationBean<>(new ApiErrorFilter());
        r.addUrlPatterns("/api/*");
        r.setDispatcherTypes(DispatcherType.REQUEST);
        r.setOrder(ORDER + 1);
        return r;
    }

    /** Spring Security's firewall (encoded '.', '%', ';', '//' …): a JSON 400 naming what it refused under /api. */
    @Bean
    public RequestRejectedHandler apiRequestRejectedHandler() {
        RequestRejectedHandler others = new HttpStatusRequestRejectedHandler();
        return (request, response, rejected) -> {
            if (!RestErrors.isApi(request) || response.isCommitted()) {
                others.handle(request, response, rejected);
                return;
            }
            String why = rejected.getMessage() == null ? "the request is malformed" : RestErrors.shorten(rejected.getMessage());
            RestErrors.write(response, 400, "Bad Request: " + why.substring(0, 1).toLowerCase(Locale.ROOT) + why.substring(1));
        };
    }

    /** Tomcat's own refusals (before any filter): the host's error report valve answers JSON under /api. */
    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> apiTomcatErrors() {
        return new TomcatJsonErrors();
    }

    /** Ordered last, so that it replaces the valve Spring Boot's own customizer adds to the host. */
    static final class TomcatJsonErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                Container parent = context.getParent();
                if (!(parent instanceof StandardHost host)) {
                    return;
                }
                JsonErrorReportValve json = new JsonErrorReportValve();
                for (Valve v : host.getPipeline().getValves()) {
                    if (v instanceof ErrorReportValve old && !(v instanceof JsonErrorReportValve)) {
                        json.setShowReport(old.isShowReport());
                        json.setShowServerInfo(old.isShowServerInfo());
                        host.getPipeline().removeValve(v);
                    }
                }
                host.getPipeline().addValve(json);
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName()); // Tomcat adds no other one
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    /** Hears the application close. */
    public record ClosingListener(ApiStartingFilter filter) implements ApplicationListener<ContextClosedEvent> {
        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            filter.closing();
        }
    }
}
