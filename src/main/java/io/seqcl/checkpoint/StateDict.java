package io.seqcl.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named tensors of a checkpoint (name to shape and float values), in file order.
 *
 * <p>{@link #read(Path)} recognises a PyTorch zip checkpoint ({@code torch.save} of torch &gt;= 1.6; a state dict,
 * or a dict holding one under {@code "state_dict"}/{@code "model"} as RecBole's trainer saves it) and a safetensors
 * file by their first bytes. The legacy (pre-1.6, non-zip) {@code torch.save} format is not read; it is reported
 * with the fix ({@code torch.save(obj, f)} again with a recent torch).
 */
public final class StateDict {

    private final String source;
    private final Map<String, Tensor> tensors;

    /**
     * @param source where the tensors came from (used in messages)
     * @param tensors name to tensor, in order
     */
    public StateDict(String source, Map<String, Tensor> tensors) {
        this.source = source;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /**
     * Reads a PyTorch {@code .pth} or a safetensors file, recognised by content rather than by suffix.
     *
     * @param file the checkpoint
     * @return its tensors
     * @throws CheckpointFormatException naming the file if it is neither format or is damaged
     * @throws IOException if it cannot be read
     */
    public static StateDict read(Path file) throws IOException {
        byte[] head = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return TorchZip.read(file);
        }
        if (n >= 1 && (head[0] & 0xff) == 0x80) {
            throw new CheckpointFormatException(file, "legacy (pre-1.6, non-zip) torch.save format, which is not "
                    + "read; re-save it with torch >= 1.6: torch.save(torch.load(f), f2)");
        }
        if (n == 9 && head[8] == '{') {
            return SafeTensors.read(file);
        }
        throw new CheckpointFormatException(file, "neither a PyTorch zip checkpoint (torch.save) nor a safetensors "
                + "file (first bytes not recognised)");
    }

    /**
     * Reads a PyTorch zip checkpoint.
     *
     * @param file the {@code .pth}
     * @return its tensors
     * @throws IOException naming the file on failure
     */
    public static StateDict readTorch(Path file) throws IOException {
        return TorchZip.read(file);
    }

    /**
     * Reads a safetensors file.
     *
     * @param file the file
     * @return its tensors
     * @throws IOException naming the file on failure
     */
    public static StateDict readSafetensors(Path file) throws IOException {
        return SafeTensors.read(file);
    }

    /** @return where the tensors came from */
    public String source() {
        return source;
    }

    /** @return the tensor names in file order */
    public List<String> names() {
        return new ArrayList<>(tensors.keySet());
    }

    /** @return name to tensor, read-only, in file order */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** @return the number of tensors */
    public int size() {
        return tensors.size();
    }

    /**
     * @param name a tensor name
     * @return whether the checkpoint has it
     */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * @param name a tensor name
     * @return the tensor
     * @throws IllegalArgumentException naming the checkpoint if absent
     */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(source + " has no tensor named '" + name + "'");
        }
        return t;
    }

    /**
     * Removes a prefix shared by every name, e.g. {@code "module."} of a model saved under
     * {@code torch.nn.DataParallel}.
     *
     * @param prefix the prefix
     * @return a state dict without it, or this one if some name lacks it
     */
    public StateDict withoutCommonPrefix(String prefix) {
        if (tensors.isEmpty() || !tensors.keySet().stream().allMatch(k -> k.startsWith(prefix))) {
            return this;
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        tensors.forEach((k, v) -> m.put(k.substring(prefix.length()), v));
        return new StateDict(source, m);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(source).append(" (").append(size()).append(" tensors)");
        tensors.forEach((k, v) -> sb.append("\n  ").append(k).append(' ').append(v.shapeString()).append(' ')
                .append(v.dtype()));
        return sb.toString();
    }
}
