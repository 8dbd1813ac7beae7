package dev.batonseismic.c1;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.batonseismic.baton.v2.AccountInfo;
import dev.batonseismic.baton.v2.CreateAccountResponse;
import dev.batonseismic.baton.v2.DeleteResourceResponse;
import dev.batonseismic.baton.v2.Entitlement;
import dev.batonseismic.baton.v2.Grant;
import dev.batonseismic.baton.v2.GrantAlreadyExists;
import dev.batonseismic.baton.v2.GrantAlreadyRevoked;
import dev.batonseismic.baton.v2.GrantManagerServiceGrantResponse;
import dev.batonseismic.baton.v2.GrantManagerServiceRevokeResponse;
import dev.batonseismic.baton.v2.Resource;
import dev.batonseismic.baton.v2.ResourceId;
import dev.batonseismic.c1.api.Task;
import dev.batonseismic.provisioning.ProvisioningResult;
import dev.batonseismic.provisioning.ProvisioningResult.Status;
import dev.batonseismic.sink.C1zMessages;
import java.util.List;

/**
 * ConductorOne's provisioning tasks as the connector's own provisioning requests (the JSON of {@code direct:provisioning},
 * with the task id as {@code requestId}, so a task delivered twice is carried out once), and their results as the
 * responses baton defines: {@code GrantManagerServiceGrantResponse}, {@code …RevokeResponse},
 * {@code CreateAccountResponse}, {@code DeleteResourceResponse}. No-ops are successes with {@code GrantAlreadyExists} /
 * {@code GrantAlreadyRevoked}; refusals (provisioning off, licenses) and bad input are non-retryable errors; Seismic
 * being unavailable is a retryable one.
 */
final class C1TaskRequests {
    private static final String[] GIVEN_NAME = {"first_name", "given_name", "givenName", "firstName"};
    private static final String[] FAMILY_NAME = {"last_name", "family_name", "familyName", "lastName"};

    private C1TaskRequests() {}

    /** The provisioning request for a grant, revoke, create_account or delete_resource task. */
    static ObjectNode request(Task task, ObjectMapper json) {
        ObjectNode r = json.createObjectNode().put("requestId", task.getId());
        switch (task.getTaskTypeCase()) {
            case GRANT -> {
                Task.GrantTask g = task.getGrant();
                if (!g.hasEntitlement() || !g.hasPrincipal()) {
                    throw new IllegalArgumentException("malformed grant task: it has no entitlement or no principal");
                }
                r.put("operation", "grant").put("entitlementId", entitlementId(g.getEntitlement()))
                        .put("principalId", principalId(g.getPrincipal().getId()));
            }
            case REVOKE -> {
                Grant grant = task.getRevoke().getGrant();
                if (!task.getRevoke().hasGrant()) {
                    throw new IllegalArgumentException("malformed revoke task: it has no grant");
                }
                String grantId = grant.hasEntitlement() && grant.hasPrincipal()
                        ? entitlementId(grant.getEntitlement()) + ":" + principalId(grant.getPrincipal().getId())
                        : grant.getId();
                r.put("operation", "revoke").put("grantId", grantId);
            }
            case CREATE_ACCOUNT -> createAccount(task.getCreateAccount(), r);
            case DELETE_RESOURCE -> {
                ResourceId id = task.getDeleteResource().getResourceId();
                if (id.getResourceType().isEmpty() || id.getResource().isEmpty()) {
                    throw new IllegalArgumentException("malformed delete_resource task: it names no resource");
                }
                r.put("operation", "deleteResource").put("resourceId", id.getResourceType() + ":" + id.getResource());
            }
            default -> throw new IllegalArgumentException("not a provisioning task: " + C1Task.typeOf(task));
        }
        return r;
    }

    /** An entitlement's baton id, built from its resource and slug when ConductorOne leaves the id out. */
    private static String entitlementId(Entitlement e) {
        if (!e.getId().isEmpty()) {
            return e.getId();
        }
        ResourceId rid = e.getResource().getId();
        if (rid.getResourceType().isEmpty() || rid.getResource().isEmpty() || e.getSlug().isEmpty()) {
            throw new IllegalArgumentException("malformed task: the entitlement has neither an id nor a resource and slug");
        }
        return rid.getResourceType() + ":" + rid.getResource() + ":" + e.getSlug();
    }

    private static String principalId(ResourceId id) {
        if (id.getResourceType().isEmpty() || id.getResource().isEmpty()) {
            throw new IllegalArgumentException("malformed task: the principal has no resource id");
        }
        return id.getResourceType() + ":" + id.getResource();
    }

    /** Login, email and names from the account info and its profile (the fields {@link C1Hello}'s schema offers). */
    private static void createAccount(Task.CreateAccountTask t, ObjectNode r) {
        if (!t.hasAccountInfo()) {
            throw new IllegalArgumentException("malformed create_account task: it has no account info");
        }
        if (!t.getResourceTypeId().isEmpty() && !t.getResourceTypeId().equals("user")) {
            throw new IllegalArgumentException("accounts are users: create_account for resource type '" + t.getResourceTypeId()
                    + "' is not supported");
        }
        AccountInfo info = t.getAccountInfo();
        Struct profile = info.getProfile();
        String email = info.getEmailsList().stream().filter(AccountInfo.Email::getIsPrimary).map(AccountInfo.Email::getAddress)
                .findFirst().orElse(info.getEmailsCount() > 0 ? info.getEmails(0).getAddress() : text(profile, "email"));
        String login = !info.getLogin().isEmpty() ? info.getLogin() : first(profile, "login", "username", "userName");
        r.put("operation", "createAccount").put("login", login.isEmpty() ? email : login).put("email", email);
        String given = first(profile, GIVEN_NAME);
        String family = first(profile, FAMILY_NAME);
        if (!given.isEmpty()) {
            r.put("givenName", given);
        }
        if (!family.isEmpty()) {
            r.put("familyName", family);
        }
    }

    private static String first(Struct profile, String... keys) {
        for (String k : keys) {
            String v = text(profile, k);
            if (!v.isEmpty()) {
                return v;
            }
        }
        return "";
    }

    private static String text(Struct profile, String key) {
        Value v = profile.getFieldsOrDefault(key, Value.getDefaultInstance());
        return v.getKindCase() == Value.KindCase.STRING_VALUE ? v.getStringValue().trim() : "";
    }

    /** The task's outcome from the provisioning result. */
    static C1Outcome outcome(Task task, ProvisioningResult result) {
        Status status = result.status();
        if (status == Status.SUCCEEDED || status == Status.ALREADY_EXISTS || status == Status.ALREADY_REVOKED) {
            return switch (task.getTaskTypeCase()) {
                case GRANT -> {
                    GrantManagerServiceGrantResponse.Builder resp = GrantManagerServiceGrantResponse.newBuilder();
                    if (result.grant() != null) {
                        resp.addGrants(C1zMessages.grant(result.grant()));
                    }
                    if (status == Status.ALREADY_EXISTS) {
                        resp.addAnnotations(Any.pack(GrantAlreadyExists.getDefaultInstance()));
                    }
                    GrantManagerServiceGrantResponse r = resp.build();
                    yield C1Outcome.success(r, r.getAnnotationsList(), result.message());
                }
                case REVOKE -> {
                    GrantManagerServiceRevokeResponse.Builder resp = GrantManagerServiceRevokeResponse.newBuilder();
                    if (status == Status.ALREADY_REVOKED) {
                        resp.addAnnotations(Any.pack(GrantAlreadyRevoked.getDefaultInstance()));
                    }
                    GrantManagerServiceRevokeResponse r = resp.build();
                    yield C1Outcome.success(r, r.getAnnotationsList(), result.message());
                }
                case CREATE_ACCOUNT -> {
                    Resource user = result.resource() == null ? Resource.getDefaultInstance() : C1zMessages.resource(result.resource());
                    CreateAccountResponse.Builder resp = CreateAccountResponse.newBuilder();
                    if (status == Status.ALREADY_EXISTS) {
                        resp.setAlreadyExists(CreateAccountResponse.AlreadyExistsResult.newBuilder().setResource(user).setIsCreateAccountResult(true));
                    } else {
                        resp.setSuccess(CreateAccountResponse.SuccessResult.newBuilder().setResource(user).setIsCreateAccountResult(true));
                    }
                    CreateAccountResponse r = resp.build();
                    // baton-sdk's create_account.go also hands the response over as an annotation
                    yield C1Outcome.success(r, List.of(Any.pack(r)), result.message());
                }
                case DELETE_RESOURCE -> C1Outcome.success(DeleteResourceResponse.getDefaultInstance(), List.of(), result.message());
                default -> throw new IllegalArgumentException("not a provisioning task: " + C1Task.typeOf(task));
            };
        }
        return error(result);
    }

    private static C1Outcome error(ProvisioningResult result) {
        int http = result.httpStatus();
        io.grpc.Status.Code code = switch (http) {
            case 400, 413 -> io.grpc.Status.Code.INVALID_ARGUMENT;
            case 403 -> result.status() == Status.REFUSED ? io.grpc.Status.Code.FAILED_PRECONDITION : io.grpc.Status.Code.PERMISSION_DENIED;
            case 404 -> io.grpc.Status.Code.NOT_FOUND;
            case 422 -> io.grpc.Status.Code.FAILED_PRECONDITION;
            default -> io.grpc.Status.Code.UNAVAILABLE;
        };
        // Seismic unavailable (502/503) may succeed later; everything else would fail the same way again
        return C1Outcome.error(code, result.message(), !result.transientFailure());
    }
}
