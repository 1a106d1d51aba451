import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import local.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A stand-in for the model API on 127.0.0.1: answers {@code POST /v1/messages} with a server-sent
 * event stream (one text block) and keeps every request body, which is how a test proves what the
 * model was given.
 */
public final class FakeModelApi implements AutoCloseable {

    private final HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private final Function<String, String> reply;

    /** @param reply the assistant text for a request, given its last user prompt */
    public FakeModelApi(Function<String, String> reply) throws IOException {
        this.reply = reply;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/v1/messages")) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        synchronized (this) {
            requests.add(body);
        }
        JsonNode request = Json.MAPPER.readTree(body);
        String text = reply.apply(lastPrompt(request));
        byte[] stream = sse(request.path("model").asText("claude-test"), text).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, stream.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(stream);
        }
    }

    /** The last text block of the last user message that is not a tool result. */
    static String lastPrompt(JsonNode request) {
        String prompt = "";
        for (JsonNode message : request.path("messages")) {
            if (!message.path("role").asText().equals("user")) {
                continue;
            }
            JsonNode content = message.path("content");
            if (content.isTextual()) {
                prompt = content.asText();
                continue;
            }
            boolean toolResult = false;
            String text = null;
            for (JsonNode block : content) {
                toolResult |= block.path("type").asText().equals("tool_result");
                if (block.path("type").asText().equals("text")) {
                    text = block.path("text").asText();
                }
            }
            if (!toolResult && text != null) {
                prompt = text;
            }
        }
        return prompt;
    }

    private static String sse(String model, String text) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode start = f.objectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", "msg_fake").put("type", "message").put("role", "assistant").put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 10).put("output_tokens", 1);
        ObjectNode blockStart = f.objectNode().put("type", "content_block_start").put("index", 0);
        blockStart.putObject("content_block").put("type", "text").put("text", "");
        ObjectNode delta = f.objectNode().put("type", "content_block_delta").put("index", 0);
        delta.putObject("delta").put("type", "text_delta").put("text", text);
        ObjectNode blockStop = f.objectNode().put("type", "content_block_stop").put("index", 0);
        ObjectNode messageDelta = f.objectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", 5);
        ObjectNode stop = f.objectNode().put("type", "message_stop");
        StringBuilder out = new StringBuilder();
        for (ObjectNode event : List.of(start, blockStart, delta, blockStop, messageDelta, stop)) {
            out.append("event: ").append(event.path("type").asText()).append('\n')
                    .append("data: ").append(event).append("\n\n");
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
