package dev.jgan.trainer.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jgan.api.InvalidConfigException;
import dev.jgan.api.NetworkProvider;
import dev.jgan.api.NetworkRegistry;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a {@link NetworkConfig} is read from and written to JSON: one section per type, bound to its spec record. */
final class NetworkSections {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReader.class);

    /** The built-in network types and the module that registers each. */
    static final Map<String, String> BUILT_IN_MODULES = Map.of(
            "dense", "dev.jgan:gan-dense",
            "dcgan", "dev.jgan:gan-conv",
            "resnet", "dev.jgan:gan-conv");

    private NetworkSections() {}

    /** What a type name must be, naming the module to add when it is a built-in type whose module is absent. */
    static String expectedType(NetworkRegistry registry, String type) {
        String module = BUILT_IN_MODULES.get(type);
        if (module != null && registry.find(type).isEmpty()) {
            return "a registered network type, one of " + registry.types() + "; \"" + type + "\" is in " + module
                    + ": add that module to the class path";
        }
        return "a registered network type, one of " + registry.types()
                + " (custom types register a NetworkProvider)";
    }

    /** Binds a network section to the spec record of the type it names. */
    static final class Reader extends JsonDeserializer<NetworkConfig> implements ContextualDeserializer {

        private final boolean generator;

        Reader() {
            this(true);
        }

        private Reader(boolean generator) {
            this.generator = generator;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            return new Reader(property == null || !"discriminator".equals(property.getName()));
        }

        private String role() {
            return generator ? "generator" : "discriminator";
        }

        private Class<? extends Record> spec(NetworkProvider provider) {
            return generator ? provider.generatorSpec() : provider.discriminatorSpec();
        }

        @Override
        public NetworkConfig deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            NetworkRegistry registry = (NetworkRegistry) ctxt.getAttribute(ConfigReader.REGISTRY);
            JsonNode node = ctxt.readTree(p);
            if (node == null || !node.isObject()) {
                throw new InvalidConfigException("", "an object with a \"type\" and that type's fields",
                        node == null ? null : node.getNodeType().toString().toLowerCase(Locale.ROOT));
            }
            JsonNode typeNode = node.get("type");
            if (typeNode == null || !typeNode.isTextual()) {
                throw new InvalidConfigException("type", "a registered network type, one of " + registry.types(),
                        typeNode);
            }
            String type = typeNode.asText();
            NetworkProvider provider = registry.find(type).orElseThrow(() -> new InvalidConfigException("type",
                    expectedType(registry, type), type));
            Class<? extends Record> specType = spec(provider);
            if (specType == null) {
                throw new InvalidConfigException("type", "a type that provides a " + role() + "; '" + type
                        + "' does not", type);
            }
            ObjectNode fields = ((ObjectNode) node).deepCopy();
            fields.remove("type");
            ObjectNode own = null;
            Map<String, Record> others = new TreeMap<>();
            Map<String, ObjectNode> unvalidated = new TreeMap<>();
            Set<String> sectionNames = new TreeSet<>(registry.types());
            sectionNames.addAll(BUILT_IN_MODULES.keySet());
            for (String name : sectionNames) {
                JsonNode section = fields.remove(name);
                if (section == null) {
                    continue;
                }
                if (!section.isObject()) {
                    throw new InvalidConfigException(name, "an object with the settings of type '" + name + "'",
                            section.getNodeType().toString().toLowerCase(Locale.ROOT));
                }
                if (name.equals(type)) {
                    own = (ObjectNode) section;
                    continue;
                }
                var other = registry.find(name);
                if (other.isEmpty()) {
                    LOG.info("{}.{}: kept as written and not checked: type \"{}\" is in {}, which is not on the "
                            + "class path (only \"{}\" is trained)", role(), name, name, BUILT_IN_MODULES.get(name),
                            type);
                    unvalidated.put(name, (ObjectNode) section);
                    continue;
                }
                Class<? extends Record> otherSpec = spec(other.get());
                if (otherSpec == null) {
                    throw new InvalidConfigException(name, "the settings of a type that provides a " + role()
                            + "; '" + name + "' does not", name);
                }
                others.put(name, bind((ObjectNode) section, otherSpec, name, p, ctxt));
            }
            if (own != null) {
                for (var it = own.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (fields.has(e.getKey())) {
                        throw new InvalidConfigException(e.getKey(), "one value: it is given both beside \"type\" "
                                + "and in the \"" + type + "\" section", e.getValue());
                    }
                    fields.set(e.getKey(), e.getValue());
                }
            }
            return new NetworkConfig(type, bind(fields, specType, null, p, ctxt), others, unvalidated);
        }

        /** Binds {@code fields} to {@code specType}; errors carry {@code section} in their JSON path. */
        private static Record bind(ObjectNode fields, Class<? extends Record> specType, String section,
                                   JsonParser p, DeserializationContext ctxt) throws IOException {
            try (JsonParser sub = fields.traverse(p.getCodec())) {
                sub.nextToken();
                return ctxt.readValue(sub, specType);
            } catch (JsonMappingException e) {
                throw section == null ? e : JsonMappingException.wrapWithPath(e, fields, section);
            }
        }
    }

    /** Writes {@code {"type": ..., "<type>": {<settings>}, ...}}: every type in its own section, sorted by name. */
    static final class Writer extends JsonSerializer<NetworkConfig> {

        @Override
        public void serialize(NetworkConfig value, JsonGenerator gen, SerializerProvider serializers)
                throws IOException {
            ObjectMapper mapper = (ObjectMapper) gen.getCodec();
            ObjectNode node = mapper.createObjectNode();
            node.put("type", value.type());
            Map<String, JsonNode> all = new TreeMap<>(value.unvalidated());
            value.alternatives().forEach((name, spec) -> all.put(name, mapper.valueToTree(spec)));
            all.put(value.type(), mapper.valueToTree(value.spec()));
            node.setAll(all);
            gen.writeTree(node);
        }
    }
}
