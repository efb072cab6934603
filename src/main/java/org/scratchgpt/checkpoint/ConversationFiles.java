package org.scratchgpt.checkpoint;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.scratchgpt.UserError;
import org.scratchgpt.io.Sha256;

/**
 * What an instruction-tuning run's checkpoints record of its data, so that {@code train --resume} reads them again
 * as conversations: the chat file and the validation file ({@code finetune --chat} and {@code --chat-val}; "" for
 * none, the last tenth of the chat file then), each by its path as given and its SHA-256. As for a corpus
 * ({@link RunCorpus}), the path is a hint and the SHA-256 decides: a moved file resumes when it is passed again
 * ({@code --chat}, {@code --chat-val}), a changed one does not.
 */
public record ConversationFiles(String chat, String chatSha256, String chatVal, String chatValSha256) {
    static final String JSON_FIELD = "conversations";

    /** The files of a run about to start; {@code chatVal} may be null. */
    public static ConversationFiles of(Path chat, Path chatVal) throws IOException {
        return new ConversationFiles(chat.toString(), Sha256.of(chat), chatVal == null ? "" : chatVal.toString(),
                chatVal == null ? "" : Sha256.of(chatVal));
    }

    /** Where a resumed run finds them; {@code chatVal} null when the run held out the chat file's last tenth. */
    public record Found(Path chat, Path chatVal) {}

    /** The recorded files, or the ones given in their place, each checked by its SHA-256. */
    public Found toResume(Optional<Path> givenChat, Optional<Path> givenChatVal) throws IOException {
        if (chatVal.isEmpty() && givenChatVal.isPresent()) {
            throw new UserError("--chat-val cannot change a resumed run: it validates on the last tenth of " + chat
                    + ", not on a file of its own; leave out --chat-val");
        }
        Path train = RunCorpus.recognised("--chat", "chat file", chat, chatSha256, givenChat);
        if (chatVal.isEmpty()) {
            return new Found(train, null);
        }
        return new Found(train, RunCorpus.recognised("--chat-val", "validation file", chatVal, chatValSha256,
                givenChatVal));
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("chat", chat);
        json.addProperty("chat_sha256", chatSha256);
        json.addProperty("chat_val", chatVal);
        json.addProperty("chat_val_sha256", chatValSha256);
        return json;
    }

    static ConversationFiles fromJson(JsonObject json) {
        return new ConversationFiles(json.get("chat").getAsString(), json.get("chat_sha256").getAsString(),
                json.get("chat_val").getAsString(), json.get("chat_val_sha256").getAsString());
    }
}
