package dev.batonseismic.web;

import dev.batonseismic.config.SeismicProperties;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.util.StringUtils;

/**
 * Nobody else drives the connector: the REST API needs a user or an API key (GET: any role; writes: admin or api),
 * actuator endpoints (Hawtio, Jolokia, Prometheus) need admin or viewer, Jolokia writes and executions need admin,
 * and browser writes carry a CSRF token (Hawtio sends it from the XSRF-TOKEN cookie). Health stays public.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccessProperties.class)
public class SecurityConfig {
    static final String ADMIN = "admin";
    static final String VIEWER = "viewer";
    static final String API = "api";

    @Bean
    public SecurityFilterChain connectorSecurity(HttpSecurity http, AccessProperties access,
                                                 SeismicProperties seismic) throws Exception {
        String callbackSecret = seismic.callback() == null || seismic.callback().signingSecret() == null ? "" : seismic.callback().signingSecret();
        // Seismic cannot log in: its callback is public when its signature is checked, else it needs admin or api
        String callback = callbackSecret.isBlank() ? "/no-public-callback" : "/api/v1/seismic/delegation-callback";
        http.authorizeHttpRequests(a -> a
                        // the REQUEST dispatch was authorized; platform-http answers on an ASYNC dispatch, denials on ERROR
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers(HttpMethod.POST, callback).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/error").permitAll() // a denial's error dispatch must keep its 403
                        .requestMatchers(HttpMethod.GET, "/api/v1/openapi.json").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/provisioning/dead-letters/**").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(ADMIN, VIEWER, API)
                        .requestMatchers("/api/**").hasAnyRole(ADMIN, API)
                        .requestMatchers("/actuator/**").hasAnyRole(ADMIN, VIEWER)
                        .anyRequest().authenticated())
                // security headers written before the request goes on: platform-http answers on another thread
                // (async), and Spring Security writing them on the way back raced Tomcat's commit of the answer
                // (an empty ": " header line now and then; spring-security#15510)
                .headers(h -> h.withObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                    @Override
                    public <O extends HeaderWriterFilter> O postProcess(O filter) {
                        filter.setShouldWriteHeadersEagerly(true);
                        return filter;
                    }
                }))
                .httpBasic(Customizer.withDefaults())
                .formLogin(Customizer.withDefaults())
                .csrf(c -> c.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new SpaCsrfTokenRequestHandler())
                        .ignoringRequestMatchers("/api/**"))
                .addFilterBefore(new ApiKeyFilter(access.apiKeys()), BasicAuthenticationFilter.class)
                .addFilterAfter(new JolokiaWriteGuard(ADMIN), AuthorizationFilter.class);
        return http.build();
    }

    @Bean
    public UserDetailsService connectorUsers(AccessProperties access) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        for (AccessProperties.User u : access.users()) {
            if (StringUtils.hasText(u.name()) && StringUtils.hasText(u.password())) {
                String password = u.password().startsWith("{") ? u.password() : "{noop}" + u.password();
                users.createUser(User.withUsername(u.name()).password(password).passwordEncoder(p -> p)
                        .roles(u.roles().toArray(String[]::new)).build());
            }
        }
        return users;
    }

    /** Spring Security's documented handler for single-page apps: the raw token from the header, masked otherwise. */
    static final class SpaCsrfTokenRequestHandler implements CsrfTokenRequestHandler {
        private final CsrfTokenRequestHandler plain = new CsrfTokenRequestAttributeHandler();
        private final CsrfTokenRequestHandler xor = new XorCsrfTokenRequestAttributeHandler();

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
            xor.handle(request, response, token);
            token.get(); // render the cookie
        }

        @Override
        public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
            String header = request.getHeader(token.getHeaderName());
            return (StringUtils.hasText(header) ? plain : xor).resolveCsrfTokenValue(request, token);
        }
    }
}
