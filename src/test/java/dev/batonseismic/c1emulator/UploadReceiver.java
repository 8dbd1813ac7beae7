package dev.batonseismic.c1emulator;

import com.google.protobuf.ByteString;
import dev.batonseismic.c1.api.BatonServiceUploadAssetRequest;
import dev.batonseismic.c1.api.BatonServiceUploadAssetResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One UploadAsset stream: metadata first, then data chunks of at most 1 MiB written straight to a file (memory
 * stays flat), then eof with the SHA-256 of all the data. The file is kept only when the stream completes with a
 * matching checksum; any refusal or break deletes it.
 */
final class UploadReceiver implements StreamObserver<BatonServiceUploadAssetRequest> {
    static final int MAX_CHUNK = 1024 * 1024;

    private final UploadStore store;
    private final C1Records records;
    private final int breakAfterChunks;
    private final StreamObserver<BatonServiceUploadAssetResponse> answer;
    private final Instant at = Instant.now();
    private final List<Integer> chunkSizes = new ArrayList<>();
    private String hostId = "";
    private String taskId = "";
    private Path file;
    private OutputStream out;
    private MessageDigest sha256;
    private long bytes;
    private boolean eof;
    private boolean done;

    /** {@code breakAfterChunks}: break the stream after that many data chunks (at eof at the latest); -1: never. */
    UploadReceiver(UploadStore store, C1Records records, int breakAfterChunks,
                   StreamObserver<BatonServiceUploadAssetResponse> answer) {
        this.store = store;
        this.records = records;
        this.breakAfterChunks = breakAfterChunks;
        this.answer = answer;
    }

    @Override
    public void onNext(BatonServiceUploadAssetRequest message) {
        if (done) {
            return;
        }
        try {
            switch (message.getMsgCase()) {
                case METADATA -> metadata(message.getMetadata());
                case DATA -> data(message.getData().getData());
                case EOF -> eof(message.getEof());
                default -> refuse("a message with neither metadata, data nor eof");
            }
        } catch (IOException e) {
            fail(Status.Code.INTERNAL, "the emulator cannot store the upload: " + e);
        }
    }

    private void metadata(BatonServiceUploadAssetRequest.UploadMetadata metadata) throws IOException {
        if (file != null) {
            refuse("metadata sent twice");
            return;
        }
        hostId = metadata.getHostId();
        taskId = metadata.getTaskId();
        if (taskId.isEmpty()) {
            refuse("the metadata has no task_id");
            return;
        }
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        file = store.newFile(taskId);
        out = new BufferedOutputStream(Files.newOutputStream(file), 256 * 1024);
        if (breakAfterChunks == 0) {
            breakStream();
        }
    }

    private void data(ByteString data) throws IOException {
        if (file == null) {
            refuse("the first message must be metadata, not data");
            return;
        }
        if (eof) {
            refuse("data after eof");
            return;
        }
        if (data.size() > MAX_CHUNK) {
            refuse("a data chunk of " + data.size() + " bytes, more than " + MAX_CHUNK);
            return;
        }
        data.writeTo(out);
        sha256.update(data.asReadOnlyByteBuffer());
        chunkSizes.add(data.size());
        bytes += data.size();
        if (breakAfterChunks > 0 && chunkSizes.size() >= breakAfterChunks) {
            breakStream();
        }
    }

    private void eof(BatonServiceUploadAssetRequest.UploadEOF message) throws IOException {
        if (file == null) {
            refuse("the first message must be metadata, not eof");
            return;
        }
        if (eof) {
            refuse("eof sent twice");
            return;
        }
        if (breakAfterChunks >= 0) {
            breakStream();
            return;
        }
        byte[] expected = sha256.digest();
        byte[] claimed = message.getSha256Checksum().toByteArray();
        if (claimed.length != 32) {
            refuse("sha256_checksum has " + claimed.length + " bytes, not 32");
            return;
        }
        if (!MessageDigest.isEqual(expected, claimed)) {
            refuse("sha256_checksum " + HexFormat.of().formatHex(claimed) + " does not match the data's "
                    + HexFormat.of().formatHex(expected));
            return;
        }
        out.close();
        eof = true;
    }

    @Override
    public void onCompleted() {
        if (done) {
            return;
        }
        if (!eof) {
            refuse("the stream ended without eof");
            return;
        }
        done = true;
        records.uploadAttempt(new C1Records.UploadAttempt(at, hostId, taskId, List.copyOf(chunkSizes), bytes, file, null));
        answer.onNext(BatonServiceUploadAssetResponse.getDefaultInstance());
        answer.onCompleted();
    }

    @Override
    public void onError(Throwable t) {
        if (done) {
            return;
        }
        done = true;
        discard();
        records.uploadAttempt(new C1Records.UploadAttempt(at, hostId, taskId, List.copyOf(chunkSizes), bytes, null,
                "the client ended the stream: " + Status.fromThrowable(t)));
    }

    private void breakStream() {
        fail(Status.Code.UNAVAILABLE, "stream broken");
    }

    private void refuse(String why) {
        fail(Status.Code.INVALID_ARGUMENT, why);
    }

    private void fail(Status.Code code, String why) {
        done = true;
        discard();
        records.uploadAttempt(new C1Records.UploadAttempt(at, hostId, taskId, List.copyOf(chunkSizes), bytes, null,
                code + ": " + why));
        answer.onError(Status.fromCode(code).withDescription(why).asRuntimeException());
    }

    private void discard() {
        try {
            if (out != null) {
                out.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a leftover file in the emulator's temporary directory; close() removes it
        }
    }
}
