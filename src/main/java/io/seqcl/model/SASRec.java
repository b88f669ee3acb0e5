package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.seqcl.nn.Norm;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Packing;
import io.seqcl.nn.Params;
import io.seqcl.nn.TransformerStack;
import io.seqcl.protocol.Batch;
import io.seqcl.optim.StepContext;

import java.util.SplittableRandom;

/**
 * SASRec, self-attentive sequential recommendation (Kang and McAuley, ICDM 2018), in the BERT-style post-LN
 * form used by RecBole, CL4SRec, DuoRec, MCLRec and ContrastVAE (sasrec_backbone.md A).
 *
 * <p>Input {@code x_t = E[s_t] + P[t]}, then LayerNorm and dropout, then L causal post-LN Transformer blocks;
 * the sequence representation {@code h} is the output at the last real position; scores are {@code h E^T}
 * with the item table tied between input and output.
 *
 * <p>Deviations from the reference codes: the padding row 0 is excluded from the softmax by default
 * ({@link io.seqcl.loss.FullSoftmaxCrossEntropy#includePaddingRow()} restores RecBole's behaviour); BCE uses
 * softplus instead of {@code log(sigma + 1e-24)}; weights are drawn from a Java random stream, so they differ
 * from PyTorch's draws for the same seed. The original TF SASRec (pre-LN, scaled embeddings, sampled
 * evaluation) is not this class.
 */
public class SASRec extends AbstractRecommender<SASRecConfig> {

    /** Parameter name of the item table. */
    public static final String ITEM_EMBEDDING = "item_embedding";

    private final SASRecConfig config;
    private final Params params;
    private final NDArray itemEmb;
    private final NDArray posEmb;
    private final Norm lnIn;
    private final TransformerStack encoder;

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N (the item table has N+1 rows)
     * @param config configuration
     * @param seed initialisation seed
     */
    public SASRec(int numItems, SASRecConfig config, long seed) {
        this(numItems, config, seed, new Params());
    }

    /**
     * Builds the model in a given parameter store (for models that contain a SASRec, so that one store holds all
     * weights).
     *
     * @param numItems number of items N (the item table has N+1 rows)
     * @param config configuration
     * @param seed initialisation seed
     * @param store the parameter store
     */
    SASRec(int numItems, SASRecConfig config, long seed, Params store) {
        super("SASRec", numItems, config, store);
        this.config = config;
        this.params = store;
        SplittableRandom rng = new SplittableRandom(seed);
        int d = config.transformer().hiddenSize();
        itemEmb = params.normal(ITEM_EMBEDDING, config.initStd(), rng, numItems + 1, d);
        posEmb = params.normal("position_embedding", config.initStd(), rng, config.maxLen(), d);
        lnIn = new Norm(params, "ln_in", d, config.transformer().layerNormEps());
        encoder = new TransformerStack(params, "encoder", config.transformer(), false, config.initStd(), rng);
    }

    /** @return the item embedding table {@code [N+1, d]} (row 0 = padding) */
    public NDArray itemEmbedding() {
        return itemEmb;
    }

    /**
     * Embeds a batch: {@code Dropout(LN(E[s_t] + P[t]))}.
     *
     * @param batch the inputs
     * @param training whether dropout is active
     * @return {@code [B, T, d]}
     */
    protected NDArray embed(Batch batch, boolean training) {
        NDManager m = params.manager();
        NDArray ids = Ops.ids(m, batch.items());
        int t = batch.maxLen();
        NDArray pos = t == config.maxLen() ? posEmb : posEmb.get(new NDIndex("0:" + t));
        NDArray x = Ops.rows(itemEmb, ids).add(pos);
        return Ops.dropout(lnIn.forward(x), config.transformer().hiddenDropout(), training);
    }

    /**
     * The layout of a batch for this model's causal encoder: packed unless the configuration selects the padded
     * path ({@link io.seqcl.nn.TransformerConfig#packed()}).
     *
     * @param batch the batch
     * @return its layout (made once per batch and shared by every pass over it)
     */
    public Packing packing(Batch batch) {
        return Packing.causal(params.manager(), batch, config.transformer().packed());
    }

    /**
     * The layout of a batch, with every position computed when {@code allPositions} (callers that read the
     * outputs at padding positions, e.g. a KL over all {@code T} positions).
     *
     * @param batch the batch
     * @param allPositions whether padding positions must be computed too
     * @return its layout
     */
    public Packing packing(Batch batch, boolean allPositions) {
        return Packing.causal(params.manager(), batch, config.transformer().packed(), allPositions);
    }

    /**
     * Embeds the active positions of a layout: {@code Dropout(LN(E[s_t] + P[t]))} per token.
     *
     * @param batch the inputs (items may differ from the layout's batch, e.g. a reordered view of the same lengths)
     * @param p the layout
     * @param training whether dropout is active
     * @return states in {@code p}'s layout
     */
    protected NDArray embed(Batch batch, Packing p, boolean training) {
        if (!p.packed()) {
            return embed(batch, training);
        }
        NDManager m = params.manager();
        NDArray x = Ops.rows(itemEmb, m.create(p.tokenIds(batch.items())))
                .add(Ops.rows(posEmb, m.create(p.tokenPositions())));
        return Ops.dropout(lnIn.forward(x), config.transformer().hiddenDropout(), training);
    }

    /**
     * Runs the causal encoder over a batch.
     *
     * @param batch the inputs
     * @param training whether dropout is active
     * @return hidden states {@code [B, T, d]} (zeros at padding positions when packed)
     */
    public NDArray encode(Batch batch, boolean training) {
        Packing p = packing(batch);
        return p.unpack(encode(batch, p, training));
    }

    /**
     * Runs the causal encoder over a batch in a given layout.
     *
     * @param batch the inputs
     * @param p the batch's layout ({@link #packing})
     * @param training whether dropout is active
     * @return hidden states in {@code p}'s layout
     */
    public NDArray encode(Batch batch, Packing p, boolean training) {
        return encoder.forward(embed(batch, p, training), p, training);
    }

    /**
     * Runs the encoder stack on embedded inputs in a layout.
     *
     * @param x embedded inputs in {@code p}'s layout
     * @param p layout and mask
     * @param training whether dropout is active
     * @return hidden states in {@code p}'s layout
     */
    NDArray encodeEmbedded(NDArray x, Packing p, boolean training) {
        return encoder.forward(x, p, training);
    }

    /**
     * Runs the encoder stack on inputs that are already embedded, e.g. to feed one embedding (with one dropout
     * mask) through the encoder twice (ContrastVAE's two passes).
     *
     * @param x embedded inputs {@code [B, T, d]} from {@link #embed}
     * @param mask additive attention mask
     * @param training whether dropout is active
     * @return hidden states {@code [B, T, d]}
     */
    NDArray encodeEmbedded(NDArray x, NDArray mask, boolean training) {
        return encoder.forward(x, mask, training);
    }

    /**
     * Picks each row's hidden state at its last real position.
     *
     * @param hidden {@code [B, T, d]}
     * @param batch the batch the states belong to
     * @return {@code [B, d]}
     */
    public static NDArray lastHidden(NDArray hidden, Batch batch) {
        Shape s = hidden.getShape();
        long t = s.get(1);
        long[] idx = new long[batch.size()];
        for (int b = 0; b < idx.length; b++) {
            idx[b] = b * t + batch.lastIndex(b);
        }
        return Ops.rows(hidden.reshape(s.get(0) * t, s.get(2)), idx);
    }

    /**
     * Computes the next-item loss on the target positions of a batch from given hidden states.
     *
     * @param hidden {@code [B, T, d]}
     * @param batch the batch with targets
     * @return scalar loss
     */
    protected NDArray recLoss(NDArray hidden, Batch batch) {
        return recLoss(hidden, batch, itemEmb);
    }

    /**
     * Computes the next-item loss against a given output table (e.g. the item rows 0..N of a table that also holds
     * a mask token N+1, as in CL4SRec).
     *
     * @param hidden {@code [B, T, d]}
     * @param batch the batch with targets
     * @param table output item table {@code [C, d]}; targets index its rows
     * @return scalar loss
     */
    protected NDArray recLoss(NDArray hidden, Batch batch, NDArray table) {
        Shape s = hidden.getShape();
        Batch.TargetSlots slots = batch.targetSlots();
        NDArray h = Ops.rows(hidden.reshape(s.get(0) * s.get(1), s.get(2)), slots.flatIndices(batch.maxLen()));
        return lossOn(h, table, slots);
    }

    /**
     * The loss on gathered states; when the table is this model's own item table and that leaf is frozen (no
     * {@code requires_grad}, e.g. Meta-SGCL's stage 2), through {@link io.seqcl.loss.RecLoss#computeFrozenTable},
     * which may skip the table's gradient work. Other tables (slices, sums) are passed on as they are: DJL reports
     * {@code requires_grad} only for leaf arrays.
     */
    private NDArray lossOn(NDArray h, NDArray table, Batch.TargetSlots slots) {
        if (table == itemEmb && !itemEmb.hasGradient()) {
            return config.loss().computeFrozenTable(h, table, slots.targets(), slots.negatives());
        }
        return config.loss().compute(h, table, slots.targets(), slots.negatives());
    }

    /**
     * Computes the next-item loss on the target positions of a batch from hidden states in a layout.
     *
     * @param hidden states in {@code p}'s layout
     * @param p the layout ({@code rowOffset + B} rows or more)
     * @param rowOffset first row of {@code batch} in the layout (fused passes over several batches)
     * @param batch the batch with targets
     * @param table output item table {@code [C, d]}
     * @return scalar loss
     */
    protected NDArray recLoss(NDArray hidden, Packing p, int rowOffset, Batch batch, NDArray table) {
        Batch.TargetSlots slots = batch.targetSlots();
        long[] idx = new long[slots.size()];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = p.slot(rowOffset + slots.rows()[k], slots.positions()[k]);
        }
        return lossOn(p.gather(hidden, idx), table, slots);
    }

    /**
     * @return for the two built-in next-item losses (a mean of one term per target slot) the loss split by rows;
     *     null for other losses
     */
    @Override
    public io.seqcl.optim.SplitLoss splitLoss() {
        return perSlotLoss() ? io.seqcl.optim.SplitLoss.perRow(this::loss) : null;
    }

    /** @return whether the next-item loss is one of the built-in ones, a mean of one term per target slot */
    boolean perSlotLoss() {
        return config.loss() instanceof io.seqcl.loss.FullSoftmaxCrossEntropy
                || config.loss() instanceof io.seqcl.loss.SampledBinaryCrossEntropy;
    }

    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        Packing p = packing(batch);
        return recLoss(encode(batch, p, true), p, 0, batch, itemEmb);
    }

    /** @return true: scoring builds its own layout per batch and only reads the parameters */
    @Override
    public boolean concurrentScoring() {
        return true;
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        Packing p = packing(batch);
        // packed: the last block runs at the read positions only (TransformerStack.forwardLast); padded: the
        // reference path over all positions
        NDArray last = p.packed() ? encoder.forwardLast(embed(batch, p, false), p) : p.last(encode(batch, p, false));
        return last.matMul(itemEmb.transpose());
    }
}
