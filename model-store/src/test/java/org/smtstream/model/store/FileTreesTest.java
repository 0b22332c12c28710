package org.smtstream.model.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path dir;

    @Test
    void shouldDeleteATreeAndLeaveItsSiblings() throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("a/b/c"));
        Files.writeString(root.resolve("a/b/c/file.bin"), "x");
        Files.writeString(root.resolve("a/top.txt"), "y");
        Files.createDirectories(root.resolve("empty"));
        Path sibling = Files.writeString(dir.resolve("sibling.txt"), "kept");

        FileTrees.deleteRecursively(root);

        assertFalse(Files.exists(root));
        assertTrue(Files.exists(sibling), "only the tree goes");
    }

    @Test
    void shouldDeleteASingleFileAndIgnoreWhatIsNotThere() throws IOException {
        Path file = Files.writeString(dir.resolve("one.txt"), "z");

        FileTrees.deleteRecursively(file);
        FileTrees.deleteRecursively(dir.resolve("never-created"));

        assertFalse(Files.exists(file));
    }
}
