package dev.jgan.trainer.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jgan.api.InvalidConfigException;
import dev.jgan.api.NetworkProvider;
import dev.jgan.api.LossRegistry;
import dev.jgan.api.NetworkRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.net.URI;
import java.nio.charset.MalformedInputException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads and writes {@link GanConfig} JSON. Strict: unknown fields, wrong types (no string-to-number coercion, no
 * floats for integers), duplicate keys and unregistered network types are rejected with a {@link ConfigException}
 * that names the JSON path and what was expected. Network sections are bound to the spec record of the type they
 * name, looked up in a {@link NetworkRegistry}; no class names are ever read from JSON.
 */
public final class ConfigReader {

    static final String REGISTRY = "jgan.registry";
    /** The largest config read, in bytes: far above any real config, far below what could exhaust memory. */
    public static final int MAX_BYTES = 1 << 20;
    private static final int MAX_DEPTH = 32;
    private static final int MAX_STRING = 1 << 16;
    private static final Pattern JACKSON_ACTUAL = Pattern.compile("from ([^:;(]+(\\([^)]*\\))?)");

    private final NetworkRegistry registry;
    private final LossRegistry losses;
    private final ObjectMapper mapper;

    /** A reader for the network types in {@link NetworkRegistry#global()}. */
    public ConfigReader() {
        this(NetworkRegistry.global());
    }

    /** A reader whose network types come from {@code registry}, with the built-in losses. */
    public ConfigReader(NetworkRegistry registry) {
        this(registry, LossRegistry.builtIn());
    }

    /** A reader whose network types come from {@code registry} and losses from {@code losses}. */
    public ConfigReader(NetworkRegistry registry, LossRegistry losses) {
        this.registry = registry;
        this.losses = losses;
        SimpleModule module = new SimpleModule("jgan-config");
        module.addSerializer(NetworkConfig.class, new NetworkSections.Writer());
        module.addSerializer(Path.class, new PathSerializer());
        module.addDeserializer(NetworkConfig.class, new NetworkSections.Reader());
        this.mapper = JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(StreamReadConstraints.builder()
                                .maxDocumentLength(MAX_BYTES).maxNestingDepth(MAX_DEPTH)
                                .maxStringLength(MAX_STRING).build())
                        .build())
                .addModule(module)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build();
    }

    /** The registry network types are looked up in. */
    public NetworkRegistry registry() {
        return registry;
    }

    /** The registry loss names are looked up in. */
    public LossRegistry losses() {
        return losses;
    }

    /** Reads a config file. */
    public GanConfig read(Path file) throws ConfigException {
        if (file.toString().isEmpty()) {
            throw new ConfigException("config", "", "expected the path of a JSON config file, got an empty string",
                    null);
        }
        if (Files.isDirectory(file)) {
            throw new ConfigException(file.toString(), "", "is a folder; expected a JSON config file", null);
        }
        String json;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new ConfigException(file.toString(), "", "expected a config of at most " + MAX_BYTES
                        + " bytes, the file has " + size + " bytes", null);
            }
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "", "no such file", null);
        } catch (MalformedInputException e) {
            throw new ConfigException(file.toString(), "", "not UTF-8 text; a config is a JSON file in UTF-8", null);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "", "cannot be read: " + e.getMessage(), e);
        }
        return read(json, file.toString());
    }

    /** Reads config JSON; {@code source} names it in error messages. */
    public GanConfig read(String json, String source) throws ConfigException {
        if (json.isBlank()) {
            throw new ConfigException(source, "", "the file is empty; expected a JSON object", null);
        }
        GanConfig config;
        try {
            config = mapper.readerFor(GanConfig.class).withAttribute(REGISTRY, registry).readValue(json);
        } catch (JsonProcessingException e) {
            throw translate(e, source);
        } catch (InvalidConfigException e) {
            throw new ConfigException(source, e.field(), "expected " + e.expected() + ", got "
                    + render(e.actual()), e);
        }
        String loss = config.loss().type();
        if (!losses.contains(loss)) {
            throw new ConfigException(source, "loss.type", "expected one of " + losses.names() + ", got "
                    + render(loss), null);
        }
        return config;
    }

    /** The config as JSON, every default filled in. */
    public String write(GanConfig config) {
        try {
            return mapper.writeValueAsString(config) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write config", e);
        }
    }

    /**
     * What a network type name must be for {@code registry}; for a built-in type whose module is absent it names
     * the module to add (e.g. {@code dev.jgan:gan-conv} for {@code "dcgan"}).
     */
    public static String expectedNetworkType(NetworkRegistry registry, String type) {
        return NetworkSections.expectedType(registry, type);
    }

    /** The shared mapper (strict reading, indented writing), for other JSON the trainer writes. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * A Jackson error of reading part of a config as one line naming the JSON path and what was expected, as
     * {@link #read} reports its own (for sections that other modules read, such as gan-spark's {@code spark}).
     */
    public static ConfigException translate(JsonProcessingException e, String source) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException c) {
                return new ConfigException(source, "", "too large to be a config: " + firstLine(c.getOriginalMessage())
                        .replaceAll(", from `[^`]*`\\)", ")"), e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonParseException p) {
                var loc = p.getLocation();
                String msg = firstLine(p.getOriginalMessage());
                int noise = msg.indexOf(" (start marker");
                String at = e instanceof JsonMappingException m ? path(m.getPath()) : "";
                return new ConfigException(source, at, "malformed JSON at line " + loc.getLineNr() + ", column "
                        + loc.getColumnNr() + ": " + (noise > 0 ? msg.substring(0, noise) : msg), e);
            }
        }
        if (!(e instanceof JsonMappingException m)) {
            return new ConfigException(source, "", firstLine(e.getOriginalMessage()), e);
        }
        String path = path(m.getPath());
        for (Throwable t = m.getCause(); t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigException ice) {
                return new ConfigException(source, join(path, ice.field()), "expected " + ice.expected()
                        + ", got " + render(ice.actual()), e);
            }
        }
        if (m instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            if (!path.endsWith(u.getPropertyName())) {
                path = join(path, u.getPropertyName());
            }
            return new ConfigException(source, path, "unknown field; expected one of: " + known, e);
        }
        if (m instanceof InvalidFormatException f) {
            return new ConfigException(source, path, "expected " + describe(f.getTargetType()) + ", got "
                    + render(f.getValue()), e);
        }
        if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            String msg = mi.getOriginalMessage();
            if (msg.startsWith("Missing required creator property")) {
                return new ConfigException(source, path, "missing; this field is required", e);
            }
            Matcher actual = JACKSON_ACTUAL.matcher(msg);
            return new ConfigException(source, path, "expected " + describe(mi.getTargetType())
                    + (actual.find() ? ", got " + actual.group(1).trim() : ""), e);
        }
        return new ConfigException(source, path, firstLine(m.getOriginalMessage()), e);
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (var r : refs) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String join(String path, String field) {
        if (field == null || field.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == Path.class || type == URI.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> "\"" + c.toString().toLowerCase(Locale.ROOT) + "\"")
                    .collect(Collectors.joining(", "));
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord() || type == NetworkConfig.class) {
            return "an object";
        }
        return "a value of type " + type.getSimpleName();
    }

    private static String render(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Paths as plain strings with forward slashes. */
    private static final class PathSerializer extends JsonSerializer<Path> {

        @Override
        public void serialize(Path value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.toString().replace('\\', '/'));
        }
    }
}
