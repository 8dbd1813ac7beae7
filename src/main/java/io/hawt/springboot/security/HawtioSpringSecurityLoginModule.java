package io.hawt.springboot.security;

import io.hawt.web.auth.RolePrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.spi.LoginModule;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Stand-in for the class of the same name in {@code io.hawt:hawtio-springboot-security}, which Maven Central does not
 * serve for Hawtio 5.2.0 (stack.md §4). Hawtio's Spring Security JAAS configuration names it as its second login
 * module: it turns the Spring authorities of the logged-in user (minus {@code ROLE_}) into Hawtio role principals,
 * so {@code hawtio.roles} can admit admin and viewer.
 */
public class HawtioSpringSecurityLoginModule implements LoginModule {
    private Subject subject;
    private final List<RolePrincipal> added = new ArrayList<>();

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
    }

    @Override
    public boolean login() {
        return SecurityContextHolder.getContext().getAuthentication() != null;
    }

    @Override
    public boolean commit() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null) {
            return false;
        }
        for (GrantedAuthority authority : auth.getAuthorities()) {
            String name = authority.getAuthority();
            RolePrincipal role = new RolePrincipal(name.startsWith("ROLE_") ? name.substring(5) : name);
            added.add(role);
            subject.getPrincipals().add(role);
        }
        return true;
    }

    @Override
    public boolean abort() {
        return logout();
    }

    @Override
    public boolean logout() {
        if (subject != null) {
            subject.getPrincipals().removeAll(added);
        }
        added.clear();
        return true;
    }
}
