package dev.batonseismic.c1emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** The directory uploads are written to, one file per attempt; a refused or broken attempt's file is deleted. */
final class UploadStore {
    private final Path directory;
    private final AtomicInteger attempts = new AtomicInteger();

    UploadStore(Path directory) {
        this.directory = directory;
    }

    /** A new, empty file for an upload of the task. */
    Path newFile(String taskId) throws IOException {
        String safe = taskId.replaceAll("[^A-Za-z0-9_-]", "_");
        return Files.createFile(directory.resolve(attempts.incrementAndGet() + "-" + safe + ".c1z"));
    }

    void deleteAll() {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + directory, e);
        }
    }

    /** The files present now: completed uploads only, once every stream has ended. */
    long fileCount() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
