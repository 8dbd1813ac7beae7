package dev.batonseismic.c1emulator;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.batonseismic.baton.v2.AccountInfo;
import dev.batonseismic.baton.v2.Entitlement;
import dev.batonseismic.baton.v2.Grant;
import dev.batonseismic.baton.v2.Resource;
import dev.batonseismic.baton.v2.ResourceId;
import dev.batonseismic.c1.api.Task;

/** Tasks as ConductorOne sends them, to hand to {@link C1Emulator#enqueue(Task.Builder)}; ids are left for it to assign. */
public final class C1TaskBuilders {
    private C1TaskBuilders() {}

    public static Task.Builder hello() {
        return Task.newBuilder().setHello(Task.HelloTask.getDefaultInstance());
    }

    public static Task.Builder syncFull() {
        return Task.newBuilder().setSyncFull(Task.SyncFullTask.getDefaultInstance());
    }

    public static Task.Builder syncFull(Task.SyncFullTask.Builder options) {
        return Task.newBuilder().setSyncFull(options);
    }

    public static Task.Builder grant(Entitlement entitlement, Resource principal) {
        return Task.newBuilder().setGrant(Task.GrantTask.newBuilder().setEntitlement(entitlement).setPrincipal(principal));
    }

    public static Task.Builder revoke(Grant grant) {
        return Task.newBuilder().setRevoke(Task.RevokeTask.newBuilder().setGrant(grant));
    }

    public static Task.Builder createAccount(AccountInfo account) {
        return Task.newBuilder().setCreateAccount(Task.CreateAccountTask.newBuilder().setAccountInfo(account));
    }

    public static Task.Builder deleteResource(ResourceId resource) {
        return Task.newBuilder().setDeleteResource(Task.DeleteResourceTask.newBuilder().setResourceId(resource));
    }

    /** A known type this connector does not carry out. */
    public static Task.Builder rotateCredentials() {
        return Task.newBuilder().setRotateCredentials(Task.RotateCredentialsTask.getDefaultInstance());
    }

    /** A task type newer than this project's proto: an empty message in the given field number (e.g. 121). */
    public static Task.Builder unknownType(int fieldNumber) {
        return Task.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(fieldNumber, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.EMPTY).build())
                .build());
    }
}
