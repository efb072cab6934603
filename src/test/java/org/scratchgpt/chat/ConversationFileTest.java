package org.scratchgpt.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchgpt.UserError;

class ConversationFileTest {
    @TempDir Path dir;

    @Test
    void readsTheCommonFormatSkippingBlankLines() throws IOException {
        Path file = Files.writeString(dir.resolve("chat.jsonl"), """
                {"messages": [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello", "name": "bot"}]}

                {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}], "id": 7}
                """);
        List<Conversation> conversations = ConversationFile.read(file);
        assertEquals(2, conversations.size());
        assertEquals(List.of(Message.system("Be terse."), Message.user("hi"), Message.assistant("hello")),
                conversations.get(0).messages());
        assertEquals(file + " line 3", conversations.get(1).source());
    }

    @Test
    void aBadLineIsOneErrorNamingFileLineAndProblem() throws IOException {
        assertBad("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}", "line 2 is not valid JSON");
        assertBad("{\"msgs\": []}", "line 2 has no \"messages\" list");
        assertBad("{\"messages\": [{\"role\": \"bot\", \"content\": \"hi\"}]}",
                "line 2, message 1 has the role \"bot\": use \"system\", \"user\" or \"assistant\"");
        assertBad("{\"messages\": [{\"role\": \"user\", \"content\": 5}]}", "line 2, message 1 has no \"content\" string");
        assertBad("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "line 2 has no assistant message");
        assertBad("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"system\", \"content\": \"x\"},"
                + " {\"role\": \"assistant\", \"content\": \"y\"}]}", "line 2, message 2 is a system message after the start");
    }

    @Test
    void aMissingOrEmptyFileSaysWhatToGive() throws IOException {
        UserError missing = assertThrows(UserError.class, () -> ConversationFile.read(dir.resolve("none.jsonl")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        UserError empty = assertThrows(UserError.class, () -> ConversationFile.read(Files.writeString(dir.resolve("e.jsonl"), "\n")));
        assertTrue(empty.getMessage().contains("holds no conversation"), empty.getMessage());
    }

    private void assertBad(String secondLine, String expected) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.jsonl"),
                "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}]}\n"
                        + secondLine + "\n");
        UserError e = assertThrows(UserError.class, () -> ConversationFile.read(file));
        assertTrue(e.getMessage().startsWith(file + " " + expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
