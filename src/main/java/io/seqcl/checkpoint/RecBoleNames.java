package io.seqcl.checkpoint;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name map between RecBole-family SASRec state dicts and seqcl's SASRec parameters.
 *
 * <p>RecBole's SASRec and the SASRec encoders of the RecBole-based CL4SRec, DuoRec and MCLRec codes share one
 * module layout; seqcl's {@link io.seqcl.model.SASRec} (and CL4SRec, DuoRec and MCLRec, which wrap it) name the
 * same tensors as follows ({@code i} = layer index):
 *
 * <table>
 * <caption>seqcl parameter = RecBole tensor</caption>
 * <tr><th>seqcl</th><th>RecBole</th><th>shape</th></tr>
 * <tr><td>item_embedding</td><td>item_embedding.weight</td><td>[N+1, d] (N+2 with a mask row, see below)</td></tr>
 * <tr><td>position_embedding</td><td>position_embedding.weight</td><td>[T, d]</td></tr>
 * <tr><td>ln_in.weight / .bias</td><td>LayerNorm.weight / .bias</td><td>[d]</td></tr>
 * <tr><td>encoder.layer<i>i</i>.attn.q / k / v / o .weight</td>
 *     <td>trm_encoder.layer.<i>i</i>.multi_head_attention.query / key / value / dense .weight</td><td>[d, d]</td></tr>
 * <tr><td>encoder.layer<i>i</i>.attn.q / k / v / o .bias</td>
 *     <td>trm_encoder.layer.<i>i</i>.multi_head_attention.query / key / value / dense .bias</td><td>[d]</td></tr>
 * <tr><td>encoder.layer<i>i</i>.ln1.weight / .bias</td>
 *     <td>trm_encoder.layer.<i>i</i>.multi_head_attention.LayerNorm.weight / .bias</td><td>[d]</td></tr>
 * <tr><td>encoder.layer<i>i</i>.ff1.weight / .bias</td>
 *     <td>trm_encoder.layer.<i>i</i>.feed_forward.dense_1.weight / .bias</td><td>[inner, d] / [inner]</td></tr>
 * <tr><td>encoder.layer<i>i</i>.ff2.weight / .bias</td>
 *     <td>trm_encoder.layer.<i>i</i>.feed_forward.dense_2.weight / .bias</td><td>[d, inner] / [d]</td></tr>
 * <tr><td>encoder.layer<i>i</i>.ln2.weight / .bias</td>
 *     <td>trm_encoder.layer.<i>i</i>.feed_forward.LayerNorm.weight / .bias</td><td>[d]</td></tr>
 * </table>
 *
 * <p><b>No transposes.</b> seqcl's {@link io.seqcl.nn.Dense} stores its weight as {@code [out, in]} and computes
 * {@code x W^T + b}, exactly like {@code torch.nn.Linear}, so every tensor is copied as it is (the fixture test
 * with a non-square feed-forward and PyTorch-computed scores checks this).
 *
 * <p><b>Rules beside the names</b> (applied by {@link CheckpointImport}):
 * <ul>
 * <li>The mask row: DuoRec's and MCLRec's codes (and the DuoRec-repo CL4SRec) allocate {@code n_items + 1 = N + 2}
 * item rows, the last being the augmentation mask token, and score only rows {@code 0..N}. When the checkpoint has
 * exactly one item row more than the seqcl model, that last row is dropped (reported in the import report).</li>
 * <li>Training-only tensors are ignored: checkpoint names beginning with one of {@link #IGNORED_CHECKPOINT_PREFIXES}
 * (MCLRec's learnable augmenters {@code aug_1}/{@code aug_2}, which the authors' trainer keeps outside the model;
 * they are ignored should a checkpoint include them) and seqcl parameters of MCLRec's augmenters
 * ({@link io.seqcl.model.MCLRec#AUGMENTER_GROUP}), which keep their initial values; neither takes part in
 * scoring.</li>
 * <li>A {@code "module."} prefix on every name ({@code torch.nn.DataParallel}) is removed.</li>
 * </ul>
 */
public final class RecBoleNames {

    /** Checkpoint name prefixes of training-only modules, ignored on import. */
    public static final List<String> IGNORED_CHECKPOINT_PREFIXES = List.of("aug_1.", "aug_2.");

    private static final Pattern LAYER = Pattern.compile("encoder\\.layer(\\d+)\\.([a-z0-9]+)\\.(?:([qkvo])\\.)?"
            + "(weight|bias)");

    private RecBoleNames() {
    }

    /**
     * Maps a seqcl SASRec-family parameter name to its RecBole name.
     *
     * @param seqclName e.g. {@code encoder.layer1.attn.o.weight}
     * @return e.g. {@code trm_encoder.layer.1.multi_head_attention.dense.weight}, or empty for a name outside the
     *     SASRec encoder (e.g. MCLRec's augmenters)
     */
    public static Optional<String> toRecBole(String seqclName) {
        switch (seqclName) {
            case "item_embedding":
                return Optional.of("item_embedding.weight");
            case "position_embedding":
                return Optional.of("position_embedding.weight");
            case "ln_in.weight":
                return Optional.of("LayerNorm.weight");
            case "ln_in.bias":
                return Optional.of("LayerNorm.bias");
            default:
                break;
        }
        Matcher m = LAYER.matcher(seqclName);
        if (!m.matches()) {
            return Optional.empty();
        }
        String p = "trm_encoder.layer." + m.group(1) + ".";
        String sub = m.group(2);
        String lin = m.group(3);
        String wb = m.group(4);
        String module;
        if (sub.equals("attn") && lin != null) {
            module = "multi_head_attention." + switch (lin) {
                case "q" -> "query";
                case "k" -> "key";
                case "v" -> "value";
                default -> "dense";
            };
        } else if (lin != null) {
            return Optional.empty();
        } else {
            module = switch (sub) {
                case "ln1" -> "multi_head_attention.LayerNorm";
                case "ff1" -> "feed_forward.dense_1";
                case "ff2" -> "feed_forward.dense_2";
                case "ln2" -> "feed_forward.LayerNorm";
                default -> null;
            };
            if (module == null) {
                return Optional.empty();
            }
        }
        return Optional.of(p + module + "." + wb);
    }

    /**
     * @param checkpointName a RecBole tensor name
     * @return whether the import ignores it as training-only ({@link #IGNORED_CHECKPOINT_PREFIXES})
     */
    public static boolean ignorableInCheckpoint(String checkpointName) {
        return IGNORED_CHECKPOINT_PREFIXES.stream().anyMatch(checkpointName::startsWith);
    }

    /**
     * @param seqclName a seqcl parameter name
     * @return whether a checkpoint may lack it (MCLRec's augmenters, unused at inference)
     */
    public static boolean ignorableInModel(String seqclName) {
        return io.seqcl.model.MCLRec.AUGMENTER_GROUP.test(seqclName);
    }
}
