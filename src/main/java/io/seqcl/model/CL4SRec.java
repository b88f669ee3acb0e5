package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import io.seqcl.augment.BatchViews;
import io.seqcl.augment.DistinctPair;
import io.seqcl.loss.InfoNCE;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;
import io.seqcl.optim.SplitLoss;
import io.seqcl.optim.StepContext;

import java.util.List;

/**
 * CL4SRec, SASRec trained jointly with an NT-Xent loss between two randomly augmented views of each input.
 *
 * <p>Xie et al., "Contrastive Learning for Sequential Recommendation", ICDE 2022, in the form of the DuoRec
 * repository that the MCLRec paper (../shared/papers/002_8cbc21390195a073.txt, Table 3) and DuoRec compare with, as
 * specified in /work/shared/specs/cl4srec_duorec.md §1-3. Per batch: {@code h = f(x)} with dropout and
 * {@code L_rec = CE(h E^T, y)}; two views with distinct operators of {crop, mask, reorder} drawn from
 * {@code ctx.rng()}; {@code L = L_rec + lambda NTXent(f(x~1), f(x~2))} (2B-2 in-batch negatives, mean over 2B rows).
 * The original input and both views go through the encoder in one fused pass (independent dropout per row).
 *
 * <p>Deviations from the reference code: views are copies (the repo code masks/reorders its stored data in place);
 * crop keeps at least one item; the padding row is excluded from the softmax by default (backbone loss); the
 * original paper's pre-training variant is not implemented (the codes train jointly). Weights and dropout come
 * from seeded Java/engine streams, not PyTorch's.
 */
public final class CL4SRec extends AbstractRecommender<CL4SRecConfig> {

    private final CL4SRecConfig config;
    private final ContrastiveEncoder encoder;
    private final DistinctPair views;
    private final InfoNCE infoNCE;

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N
     * @param config configuration
     * @param seed initialisation seed
     */
    public CL4SRec(int numItems, CL4SRecConfig config, long seed) {
        super("CL4SRec", numItems, config, new Params());
        this.config = config;
        this.encoder = new ContrastiveEncoder(numItems, config.backbone(), config.maskToken(), seed, params());
        this.views = config.views(numItems());
        this.infoNCE = config.infoNCE();
    }

    /**
     * The two augmented views of a batch, drawn from {@code ctx.rng()}.
     *
     * @param batch training batch (not modified)
     * @param ctx step context
     * @return {@code {view1, view2}}
     */
    public Batch[] views(Batch batch, StepContext ctx) {
        return BatchViews.twoViews(batch, views, ctx.rng());
    }

    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        return split.loss(batch, ctx);
    }

    /**
     * {@inheritDoc} The next-item loss of each range (its share of the mean over target slots) and, as the joint
     * term, {@code lambda NTXent} on the ranges' last view states; views are drawn per range from its stream.
     *
     * @return the split loss when the backbone loss is a mean over target slots (the built-in ones); else null
     */
    @Override
    public SplitLoss splitLoss() {
        return encoder.sasrec().perSlotLoss() ? split : null;
    }

    private final SplitLoss split = new SplitLoss() {
        @Override
        public Part part(Batch range, int from, Batch whole, StepContext ctx) {
            if (config.lambda() == 0) {
                return new Part(encoder.recLoss(encoder.encode(true, range), range, whole), List.of());
            }
            Batch[] v = views(range, ctx);
            ContrastiveEncoder.Encoded e = encoder.encode(true, range, v[0], v[1]);
            return new Part(encoder.recLoss(e, range, whole), List.of(e.last(1), e.last(2)));
        }

        @Override
        public NDArray joint(List<NDArray> reps, Batch whole) {
            if (reps.isEmpty()) {
                return null;
            }
            long[] groups = config.maskSameTarget() ? whole.lastTargets() : null;
            return Ops.scale(infoNCE.compute(reps.get(0), reps.get(1), groups), config.lambda());
        }
    };

    /** @return true: scoring encodes each batch in its own layout and only reads the parameters */
    @Override
    public boolean concurrentScoring() {
        return true;
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        return encoder.scoreAll(batch);
    }
}
