package io.seqcl.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader of the safetensors format: an 8-byte little-endian header length {@code n}, {@code n} bytes of JSON
 * ({@code {"NAME": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}), then
 * the raw little-endian tensor bytes, offsets relative to the end of the header. The JSON is read by a small
 * parser of its own ({@link #parse}), so that no JSON library is needed.
 */
final class SafeTensors {

    private static final Map<String, DType> DTYPES = Map.of("F32", DType.FLOAT32, "F64", DType.FLOAT64,
            "F16", DType.FLOAT16, "BF16", DType.BFLOAT16, "I64", DType.INT64, "I32", DType.INT32,
            "I16", DType.INT16, "I8", DType.INT8, "U8", DType.UINT8, "BOOL", DType.BOOL);

    private SafeTensors() {
    }

    static StateDict read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointFormatException(file, "safetensors file shorter than its 8-byte header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long n = len.getLong(0);
            if (n < 2 || n > size - 8 || n > 100_000_000L) {
                throw new CheckpointFormatException(file, "safetensors header length " + n + " does not fit a file"
                        + " of " + size + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8);
            Object header;
            try {
                header = parse(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new CheckpointFormatException(file, "invalid safetensors JSON header", e);
            }
            if (!(header instanceof Map<?, ?> h)) {
                throw new CheckpointFormatException(file, "safetensors header is not a JSON object");
            }
            long dataStart = 8 + n;
            long dataSize = size - dataStart;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : h.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals("__metadata__")) {
                    continue;
                }
                out.put(name, tensor(file, ch, name, e.getValue(), dataStart, dataSize));
            }
            return new StateDict(file.toString(), out);
        }
    }

    private static Tensor tensor(Path file, FileChannel ch, String name, Object spec, long dataStart, long dataSize)
            throws IOException {
        if (!(spec instanceof Map<?, ?> m) || !(m.get("dtype") instanceof String dt)
                || !(m.get("shape") instanceof List<?> shapeList)
                || !(m.get("data_offsets") instanceof List<?> offs) || offs.size() != 2) {
            throw new CheckpointFormatException(file, "tensor '" + name + "': header entry needs dtype, shape and "
                    + "two data_offsets, got " + spec);
        }
        DType type = DTYPES.get(dt);
        if (type == null) {
            throw new CheckpointFormatException(file, "tensor '" + name + "': unsupported dtype " + dt);
        }
        long[] shape = new long[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = ((Number) shapeList.get(i)).longValue();
        }
        long begin = ((Number) offs.get(0)).longValue();
        long end = ((Number) offs.get(1)).longValue();
        long numel;
        try {
            numel = Tensor.numel(shape);
        } catch (IllegalArgumentException | ArithmeticException ex) {
            throw new CheckpointFormatException(file, "tensor '" + name + "': invalid shape " + shapeList);
        }
        if (begin < 0 || end < begin || end > dataSize) {
            throw new CheckpointFormatException(file, "tensor '" + name + "': data_offsets [" + begin + ", " + end
                    + "] outside the " + dataSize + " data bytes (file truncated?)");
        }
        if (end - begin != numel * type.bytes) {
            throw new CheckpointFormatException(file, "tensor '" + name + "': " + (end - begin) + " bytes for shape "
                    + shapeList + " of " + dt + " (needs " + numel * type.bytes + ")");
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(end - begin));
        readFully(ch, b, dataStart + begin);
        return new Tensor(shape, type.toFloats(b.array(), ByteOrder.LITTLE_ENDIAN), type.label);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /**
     * Parses JSON: objects become ordered maps, arrays lists, numbers {@link Long} or {@link Double}.
     *
     * @param json the text
     * @return the value
     * @throws IllegalArgumentException naming the character position of a syntax error
     */
    static Object parse(String json) {
        Json p = new Json(json);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.i != json.length()) {
            throw p.error("trailing characters");
        }
        return v;
    }

    private static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + i);
        }

        void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        char peek() {
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(i);
        }

        void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        Object value() {
            char c = peek();
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                default:
                    break;
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            return number();
        }

        Map<String, Object> object() {
            expect('{');
            Map<String, Object> m = new LinkedHashMap<>();
            ws();
            if (peek() == '}') {
                i++;
                return m;
            }
            while (true) {
                ws();
                String k = string();
                ws();
                expect(':');
                ws();
                if (m.put(k, value()) != null) {
                    throw error("duplicate key \"" + k + "\"");
                }
                ws();
                if (peek() == ',') {
                    i++;
                    continue;
                }
                expect('}');
                return m;
            }
        }

        List<Object> array() {
            expect('[');
            List<Object> a = new ArrayList<>();
            ws();
            if (peek() == ']') {
                i++;
                return a;
            }
            while (true) {
                ws();
                a.add(value());
                ws();
                if (peek() == ',') {
                    i++;
                    continue;
                }
                expect(']');
                return a;
            }
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = peek();
                i++;
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = peek();
                i++;
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        Object number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String t = s.substring(start, i);
            if (t.isEmpty()) {
                throw error("unexpected character '" + s.charAt(start) + "'");
            }
            try {
                if (t.contains(".") || t.contains("e") || t.contains("E")) {
                    return Double.parseDouble(t);
                }
                return Long.parseLong(t);
            } catch (NumberFormatException ex) {
                i = start;
                throw error("bad number '" + t + "'");
            }
        }
    }
}
