package io.seqcl.checkpoint;

import ai.djl.ndarray.NDArray;
import io.seqcl.model.SASRec;
import io.seqcl.model.SASRecConfig;
import io.seqcl.model.SequentialRecommender;
import io.seqcl.nn.Params;
import io.seqcl.nn.TransformerConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a RecBole-family SASRec checkpoint (RecBole SASRec, and the SASRec encoders of the RecBole-based CL4SRec,
 * DuoRec and MCLRec codes) into a seqcl model, e.g.
 * {@code CheckpointImport.recbole(Path.of("model.pth")).into(model)}.
 *
 * <p>Names are mapped by {@link RecBoleNames} (its javadoc has the table and the rules: no transposes, the dropped
 * augmentation-mask row, ignored training-only tensors). The import checks every tensor before it changes the model:
 * a missing, unexpected or misshaped tensor raises {@link CheckpointMismatchException} listing them all (expected
 * and found shapes) and leaves the model untouched.
 *
 * <p>Only weights are imported: dropout rates, LayerNorm epsilon, activation and the number of heads are not stored
 * in a state dict and must be set in the model's configuration (RecBole's defaults are
 * {@link SASRecConfig#defaults()}).
 */
public final class CheckpointImport {

    private final StateDict stateDict;

    private CheckpointImport(StateDict stateDict) {
        this.stateDict = stateDict.withoutCommonPrefix("module.");
    }

    /**
     * Reads a RecBole-family checkpoint ({@code .pth} from {@code torch.save}, possibly wrapped as
     * {@code {'state_dict': ...}}, or safetensors).
     *
     * @param file the checkpoint
     * @return the import
     * @throws IOException naming the file if it cannot be read
     */
    public static CheckpointImport recbole(Path file) throws IOException {
        return new CheckpointImport(StateDict.read(file));
    }

    /**
     * Wraps tensors already read.
     *
     * @param stateDict RecBole-named tensors
     * @return the import
     */
    public static CheckpointImport recbole(StateDict stateDict) {
        return new CheckpointImport(stateDict);
    }

    /** @return the checkpoint's tensors */
    public StateDict stateDict() {
        return stateDict;
    }

    /**
     * What an import did.
     *
     * @param source the checkpoint
     * @param loaded seqcl parameters overwritten from the checkpoint
     * @param keptInModel seqcl parameters left as they were (training-only, e.g. MCLRec's augmenters)
     * @param ignoredInCheckpoint checkpoint tensors not used (training-only by {@link RecBoleNames})
     * @param droppedMaskRow whether the checkpoint's last item row (augmentation mask token) was dropped
     */
    public record Report(String source, List<String> loaded, List<String> keptInModel,
                         List<String> ignoredInCheckpoint, boolean droppedMaskRow) {
        @Override
        public String toString() {
            return "imported " + loaded.size() + " tensors from " + source
                    + (droppedMaskRow ? "; dropped the augmentation-mask item row" : "")
                    + (keptInModel.isEmpty() ? "" : "; kept " + keptInModel.size() + " training-only parameters")
                    + (ignoredInCheckpoint.isEmpty() ? "" : "; ignored " + ignoredInCheckpoint);
        }
    }

    /**
     * Overwrites a SASRec-family model's weights (SASRec, CL4SRec, DuoRec, MCLRec) with the checkpoint's.
     *
     * @param model the target; its configuration must match the checkpoint's shapes
     * @return what was loaded, kept and ignored
     * @throws CheckpointMismatchException listing all missing, unexpected and misshaped tensors; the model is then
     *     unchanged
     */
    public Report into(SequentialRecommender model) {
        Params params = model.params();
        List<String> problems = new ArrayList<>();
        List<String> loaded = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        Set<String> used = new HashSet<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        boolean dropped = false;
        for (String name : params.names()) {
            NDArray p = params.get(name);
            long[] expected = p.getShape().getShape();
            String source = RecBoleNames.toRecBole(name).orElse(null);
            if (source == null) {
                if (RecBoleNames.ignorableInModel(name)) {
                    kept.add(name);
                    values.put(name, p.toFloatArray());
                } else {
                    problems.add("model parameter '" + name + "' " + Arrays.toString(expected)
                            + " has no RecBole counterpart (not a SASRec-family model?)");
                }
                continue;
            }
            if (!stateDict.contains(source)) {
                problems.add("missing tensor '" + source + "' (for " + name + ", expected shape "
                        + Arrays.toString(expected) + ")");
                continue;
            }
            used.add(source);
            Tensor t = stateDict.get(source);
            long[] found = t.shape();
            if (Arrays.equals(found, expected)) {
                values.put(name, t.values());
                loaded.add(name);
            } else if (name.equals(SASRec.ITEM_EMBEDDING) && found.length == 2 && expected.length == 2
                    && found[1] == expected[1] && found[0] == expected[0] + 1) {
                values.put(name, Arrays.copyOf(t.values(), Math.toIntExact(expected[0] * expected[1])));
                loaded.add(name);
                dropped = true;
            } else {
                problems.add("tensor '" + source + "' has shape " + t.shapeString() + " but " + name + " expects "
                        + Arrays.toString(expected) + hint(name, expected, found));
            }
        }
        List<String> ignored = new ArrayList<>();
        for (String n : stateDict.names()) {
            if (used.contains(n)) {
                continue;
            }
            if (RecBoleNames.ignorableInCheckpoint(n)) {
                ignored.add(n);
            } else {
                problems.add("unexpected tensor '" + n + "' " + stateDict.get(n).shapeString()
                        + " (no parameter of " + model.name() + " maps to it)");
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointMismatchException(stateDict.source(), model.name(), problems);
        }
        params.restore(values);
        return new Report(stateDict.source(), loaded, kept, ignored, dropped);
    }

    private static String hint(String name, long[] expected, long[] found) {
        if (name.equals(SASRec.ITEM_EMBEDDING) && found.length == 2) {
            return " (the checkpoint has " + (found[0] - 1) + " items, or " + (found[0] - 2)
                    + " plus a mask row; the model has " + (expected[0] - 1) + " item rows after padding)";
        }
        if (name.equals("position_embedding") && found.length == 2) {
            return " (the checkpoint was trained with maxLen " + found[0] + ")";
        }
        return "";
    }

    /**
     * Builds a SASRec shaped like the checkpoint and loads it: hidden size, number of layers, feed-forward width
     * and maxLen are read from the tensors; heads, activation, dropout, LayerNorm epsilon, padding and loss come
     * from {@code base} (a state dict does not record them).
     *
     * @param numItems N, the number of items of the dataset the checkpoint was trained on (its item table has
     *     N+1 rows, or N+2 with the mask row of DuoRec/MCLRec)
     * @param base the rest of the configuration, e.g. {@link SASRecConfig#defaults()}
     * @return the loaded model (caller closes it)
     * @throws CheckpointMismatchException if the tensors do not fit
     */
    public SASRec sasrec(int numItems, SASRecConfig base) {
        long[] pos = require("position_embedding.weight", 2).shape();
        long[] ff = require("trm_encoder.layer.0.feed_forward.dense_1.weight", 2).shape();
        int layers = 0;
        while (stateDict.contains("trm_encoder.layer." + layers + ".feed_forward.dense_1.weight")) {
            layers++;
        }
        TransformerConfig t = base.transformer();
        TransformerConfig shaped = t.withHiddenSize((int) pos[1]).withLayers(layers).withInnerSize((int) ff[0]);
        SASRec model = new SASRec(numItems, base.withMaxLen((int) pos[0]).withTransformer(shaped), 0L);
        try {
            into(model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    private Tensor require(String name, int rank) {
        if (!stateDict.contains(name)) {
            throw new CheckpointMismatchException(stateDict.source(), "SASRec", List.of("missing tensor '" + name
                    + "'"));
        }
        Tensor t = stateDict.get(name);
        if (t.shape().length != rank) {
            throw new CheckpointMismatchException(stateDict.source(), "SASRec", List.of("tensor '" + name
                    + "' has shape " + t.shapeString() + ", expected rank " + rank));
        }
        return t;
    }
}
