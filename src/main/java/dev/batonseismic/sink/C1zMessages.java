package dev.batonseismic.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.batonseismic.baton.v2.Entitlement;
import dev.batonseismic.baton.v2.Grant;
import dev.batonseismic.baton.v2.GroupTrait;
import dev.batonseismic.baton.v2.LicenseProfileTrait;
import dev.batonseismic.baton.v2.Resource;
import dev.batonseismic.baton.v2.ResourceId;
import dev.batonseismic.baton.v2.ResourceType;
import dev.batonseismic.baton.v2.RoleTrait;
import dev.batonseismic.baton.v2.SkipEntitlements;
import dev.batonseismic.baton.v2.SkipEntitlementsAndGrants;
import dev.batonseismic.baton.v2.SkipGrants;
import dev.batonseismic.baton.v2.UserTrait;
import dev.batonseismic.model.BatonGrant;
import dev.batonseismic.model.BatonRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Baton's records, from the protobuf JSON form {@link dev.batonseismic.model.BatonRecords} builds, to the generated
 * {@code c1.connector.v2} messages (src/main/proto), and on to deterministic wire bytes. Parsing is strict: a JSON
 * field the messages do not know is an error, not a silent loss.
 *
 * <p>Deterministic means what baton's writer does (Go's {@code Deterministic: true}): map keys (Struct profiles) in
 * sorted order, also inside the {@code google.protobuf.Any} annotations, whose bytes are re-marshalled here because
 * JsonFormat packs them in insertion order.
 */
public final class C1zMessages {
    /** The messages that travel in annotations, by full name. */
    static final Map<String, Message> ANNOTATIONS = List.<Message>of(UserTrait.getDefaultInstance(), GroupTrait.getDefaultInstance(),
                    RoleTrait.getDefaultInstance(), LicenseProfileTrait.getDefaultInstance(), SkipEntitlementsAndGrants.getDefaultInstance(),
                    SkipEntitlements.getDefaultInstance(), SkipGrants.getDefaultInstance()).stream()
            .collect(Collectors.toUnmodifiableMap(m -> m.getDescriptorForType().getFullName(), Function.identity()));
    static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
            .add(ANNOTATIONS.values().stream().map(Message::getDescriptorForType).toList()).build();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(TYPES);

    /** Protobuf JSON of a message whose Anys hold annotations ({@code capabilities} prints one). */
    public static String json(Message message) throws com.google.protobuf.InvalidProtocolBufferException {
        return JsonFormat.printer().usingTypeRegistry(TYPES).print(message);
    }
    /** Whether a message type can hold an Any at some depth (most of a grant cannot: it is walked no further). */
    private static final Map<Descriptor, Boolean> HOLDS_ANY = new ConcurrentHashMap<>();

    private C1zMessages() {}

    public static ResourceType resourceType(JsonNode json) {
        return parse(json, ResourceType.newBuilder());
    }

    public static Resource resource(JsonNode json) {
        return parse(json, Resource.newBuilder());
    }

    /** A resource from its protobuf JSON text. */
    public static Resource resource(String json) {
        return parse(json, Resource.newBuilder());
    }

    public static Entitlement entitlement(JsonNode json) {
        return parse(json, Entitlement.newBuilder());
    }

    public static Grant grant(JsonNode json) {
        return parse(json, Grant.newBuilder());
    }

    /** The grant built directly: the same message as {@link #grant(JsonNode)} of its JSON tree, without the tree. */
    public static Grant grant(BatonGrant g) {
        return Grant.newBuilder()
                .setEntitlement(Entitlement.newBuilder().setId(g.entitlementId())
                        .setResource(Resource.newBuilder().setId(resourceId(g.type(), g.resourceId()))))
                .setPrincipal(Resource.newBuilder().setId(resourceId(BatonRecords.USER, g.userId())))
                .setId(g.id())
                .build();
    }

    private static ResourceId resourceId(String type, String id) {
        return ResourceId.newBuilder().setResourceType(type).setResource(id).build();
    }

    /** The message's wire bytes with deterministic serialization (sorted map keys). */
    public static byte[] marshal(Message message) {
        byte[] out = new byte[message.getSerializedSize()];
        CodedOutputStream stream = CodedOutputStream.newInstance(out);
        stream.useDeterministicSerialization();
        try {
            message.writeTo(stream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stream.checkNoSpaceLeft();
        return out;
    }

    private static <T extends Message> T parse(JsonNode json, Message.Builder builder) {
        return parse(json.toString(), builder);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Message> T parse(String json, Message.Builder builder) {
        try {
            PARSER.merge(json, builder);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a valid " + builder.getDescriptorForType().getFullName()
                    + " in protobuf JSON form: " + e.getMessage(), e);
        }
        return (T) canonicalAnys(builder.build());
    }

    /** The message with every Any inside it (at any depth) re-packed from deterministic bytes. */
    private static Message canonicalAnys(Message message) {
        if (message instanceof Any any) {
            return repack(any);
        }
        if (!holdsAny(message.getDescriptorForType(), new HashSet<>())) {
            return message;
        }
        Message.Builder builder = null;
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            FieldDescriptor f = field.getKey();
            if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE || f.isMapField()) {
                continue; // maps (Struct fields, grant sources) hold no Any
            }
            if (f.isRepeated()) {
                List<?> values = (List<?>) field.getValue();
                for (int i = 0; i < values.size(); i++) {
                    Message before = (Message) values.get(i);
                    Message after = canonicalAnys(before);
                    if (after != before) {
                        builder = builder == null ? message.toBuilder() : builder;
                        builder.setRepeatedField(f, i, after);
                    }
                }
            } else {
                Message before = (Message) field.getValue();
                Message after = canonicalAnys(before);
                if (after != before) {
                    builder = builder == null ? message.toBuilder() : builder;
                    builder.setField(f, after);
                }
            }
        }
        return builder == null ? message : builder.build();
    }

    private static boolean holdsAny(Descriptor type, Set<Descriptor> seen) {
        Boolean known = HOLDS_ANY.get(type);
        if (known != null) {
            return known;
        }
        if (!seen.add(type)) {
            return true; // a cycle: assume it may (never wrong, only walks more)
        }
        boolean holds = type.equals(Any.getDescriptor());
        if (!holds) {
            for (FieldDescriptor f : type.getFields()) {
                if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isMapField() && holdsAny(f.getMessageType(), seen)) {
                    holds = true;
                    break;
                }
            }
        }
        HOLDS_ANY.put(type, holds);
        return holds;
    }

    private static Any repack(Any any) {
        String name = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
        Message type = ANNOTATIONS.get(name);
        if (type == null) {
            return any;
        }
        try {
            Message content = canonicalAnys(type.getParserForType().parseFrom(any.getValue()));
            return any.toBuilder().setValue(ByteString.copyFrom(marshal(content))).build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("annotation " + any.getTypeUrl() + " does not decode: " + e.getMessage(), e);
        }
    }
}
