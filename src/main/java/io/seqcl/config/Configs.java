package io.seqcl.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads and writes seqcl's immutable configuration records as JSON and YAML (Jackson), and changes one field of a
 * record by its key path ({@code encoder.transformer.hiddenSize}); every record is re-validated by its own
 * constructor.
 *
 * <p>Errors are {@link ConfigException}s that name the source (file and line where there is one), the key path,
 * and what is allowed: an unknown key lists the known keys, a wrong type names the expected type, an enum lists
 * its values, a value the record rejects repeats the record's own message.
 */
public final class Configs {

    private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();
    private static final ObjectMapper YAML = configure(YAMLMapper.builder(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build())).build();

    private Configs() {
    }

    private static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>> B
            configure(B b) {
        return b.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /** @return the JSON mapper with seqcl's strict settings (shared, thread-safe) */
    public static ObjectMapper json() {
        return JSON;
    }

    /** @return the YAML mapper with seqcl's strict settings (shared, thread-safe) */
    public static ObjectMapper yaml() {
        return YAML;
    }

    /**
     * Picks the mapper by file name: {@code .yaml}/{@code .yml} read as YAML, everything else as JSON.
     *
     * @param file the file
     * @return the mapper
     */
    public static ObjectMapper mapperFor(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") ? YAML : JSON;
    }

    /**
     * A configuration as a JSON tree.
     *
     * @param value a configuration record
     * @return its tree
     */
    public static JsonNode toTree(Object value) {
        return JSON.valueToTree(value);
    }

    /**
     * A configuration as JSON text.
     *
     * @param value a configuration record
     * @return indented JSON
     */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * A configuration as YAML text.
     *
     * @param value a configuration record
     * @return YAML
     */
    public static String toYaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as YAML: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a configuration from JSON or YAML text (YAML is a superset of JSON, so both parse).
     *
     * @param type the record type
     * @param text the text
     * @param source where the text came from, for messages (e.g. a file name)
     * @param <T> the type
     * @return the validated configuration
     * @throws ConfigException naming the source, line, key path and what is allowed
     */
    public static <T> T parse(Class<T> type, String text, String source) {
        try {
            return YAML.readValue(text, type);
        } catch (IOException e) {
            throw explain(e, source, type);
        }
    }

    /**
     * Reads a configuration file ({@code .json}, {@code .yaml} or {@code .yml}).
     *
     * @param type the record type
     * @param file the file
     * @param <T> the type
     * @return the validated configuration
     * @throws ConfigException naming the file, line, key path and what is allowed
     */
    public static <T> T read(Class<T> type, Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return parse(type, text, file.toString());
    }

    /**
     * Converts a JSON tree (e.g. part of an experiment file) into a configuration.
     *
     * @param type the record type
     * @param tree the tree
     * @param source where it came from, for messages, including the path prefix (e.g. "exp.yaml: models[1].config")
     * @param <T> the type
     * @return the validated configuration
     */
    public static <T> T fromTree(Class<T> type, JsonNode tree, String source) {
        try {
            return JSON.treeToValue(tree, type);
        } catch (IOException | IllegalArgumentException e) {
            throw explain(e, source, type);
        }
    }

    /**
     * A copy of a configuration with the fields at the given key paths replaced; values are written as on the
     * command line ({@code 0.3}, {@code LEFT}, {@code true}, {@code [5,10]}) and converted to the field's type.
     *
     * @param config the configuration record
     * @param changes key path to value text, applied in order
     * @param <T> the type
     * @return the validated copy
     * @throws ConfigException naming the key path and what is allowed
     */
    @SuppressWarnings("unchecked")
    public static <T> T with(T config, Map<String, String> changes) {
        ObjectNode tree = (ObjectNode) toTree(config);
        for (Map.Entry<String, String> c : changes.entrySet()) {
            set(tree, c.getKey(), parseValue(c.getValue()), config.getClass());
        }
        return (T) fromTree(config.getClass(), tree, "--set");
    }

    /**
     * A copy of a configuration with one field replaced by a value (a number, string, boolean, enum constant or
     * record).
     *
     * @param config the configuration record
     * @param path key path, e.g. {@code encoder.maxLen}
     * @param value the new value
     * @param <T> the type
     * @return the validated copy
     */
    @SuppressWarnings("unchecked")
    public static <T> T with(T config, String path, Object value) {
        ObjectNode tree = (ObjectNode) toTree(config);
        set(tree, path, JSON.valueToTree(value), config.getClass());
        return (T) fromTree(config.getClass(), tree, "set " + path);
    }

    /**
     * Whether a configuration has a field at a key path.
     *
     * @param config the configuration record
     * @param path key path, e.g. {@code encoder.maxLen}
     * @return whether the path exists
     */
    public static boolean has(Object config, String path) {
        JsonNode n = toTree(config);
        for (String part : path.split("\\.")) {
            if (n == null || !n.isObject() || !n.has(part)) {
                return false;
            }
            n = n.get(part);
        }
        return true;
    }

    /**
     * Parses a value as written on a command line or in a {@code --set}: JSON/YAML scalars and lists; anything that
     * does not parse stays a string.
     *
     * @param text the text
     * @return the value as a tree node
     */
    public static JsonNode parseValue(String text) {
        try {
            JsonNode n = YAML.readTree(text);
            return n == null || n.isMissingNode() ? JsonNodeFactory.instance.nullNode() : n;
        } catch (IOException e) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    private static void set(ObjectNode root, String path, JsonNode value, Class<?> type) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (!node.has(p)) {
                throw new ConfigException("unknown key '" + path + "' for " + type.getSimpleName()
                        + (seen.length() == 0 ? "" : " (under '" + seen + "')") + "; known keys: "
                        + String.join(", ", fieldNames(node)));
            }
            if (i == parts.length - 1) {
                node.set(p, value);
            } else {
                JsonNode child = node.get(p);
                if (!child.isObject()) {
                    throw new ConfigException("key '" + path + "': '" + seen + (seen.length() == 0 ? "" : ".") + p
                            + "' is a value, not a group of keys");
                }
                node = (ObjectNode) child;
                seen.append(seen.length() == 0 ? "" : ".").append(p);
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        Iterator<String> it = node.fieldNames();
        it.forEachRemaining(out::add);
        return out;
    }

    /**
     * Turns a Jackson failure into a message a user can act on.
     *
     * @param e the failure
     * @param source file or context
     * @param type the record being read
     * @return the exception to throw
     */
    static ConfigException explain(Exception e, String source, Class<?> type) {
        String where = source;
        String path = "";
        if (e instanceof JsonMappingException m) {
            path = pathOf(m);
            if (m.getLocation() != null && m.getLocation().getLineNr() > 0) {
                where = source + ":" + m.getLocation().getLineNr();
            }
        } else if (e instanceof JsonProcessingException p && p.getLocation() != null) {
            where = source + ":" + p.getLocation().getLineNr();
        }
        String at = path.isEmpty() ? "" : " at key '" + path + "'";
        String msg;
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = u.getKnownPropertyIds() == null ? List.of()
                    : u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            msg = "unknown key '" + (path.isEmpty() ? u.getPropertyName() : path) + "'"
                    + " in " + simpleName(u.getReferringClass(), type) + "; known keys: " + String.join(", ", known);
        } else if (e instanceof InvalidFormatException f && f.getTargetType() != null
                && f.getTargetType().isEnum()) {
            msg = "invalid value '" + f.getValue() + "'" + at + "; allowed values: "
                    + Arrays.stream(f.getTargetType().getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        } else if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() == null ? v : v.getCause();
            msg = "invalid value" + at + ": " + cause.getMessage();
        } else if (e instanceof MismatchedInputException mi && String.valueOf(mi.getOriginalMessage())
                .startsWith("Cannot map `null`")) {
            msg = "missing key '" + path + "' (a " + (mi.getTargetType() == null ? "value"
                    : mi.getTargetType().getSimpleName()) + " is needed; write the whole group or start from "
                    + "`seqcl models NAME`)";
        } else if (e instanceof MismatchedInputException mi) {
            Class<?> t = mi.getTargetType();
            String expected = t == null ? "another type" : t.isEnum()
                    ? "one of " + Arrays.stream(t.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "))
                    : t.getSimpleName();
            msg = "wrong type" + at + ": expected " + expected + " (" + firstLine(mi.getOriginalMessage()) + ")";
        } else if (e instanceof JsonProcessingException p) {
            msg = "cannot parse" + at + ": " + firstLine(p.getOriginalMessage());
        } else {
            msg = firstLine(e.getMessage());
        }
        return new ConfigException(where + ": " + msg, e);
    }

    private static String simpleName(Class<?> c, Class<?> fallback) {
        return (c == null ? fallback : c).getSimpleName();
    }

    private static String pathOf(JsonMappingException m) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
