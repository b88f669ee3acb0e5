package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import io.seqcl.augment.BatchViews;
import io.seqcl.augment.DistinctPair;
import io.seqcl.loss.ContrastiveRegularizer;
import io.seqcl.loss.InfoNCE;
import io.seqcl.nn.ActivationFn;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;
import io.seqcl.optim.MultiStageStep;
import io.seqcl.optim.SingleLossStep;
import io.seqcl.optim.SplitLoss;
import io.seqcl.optim.StepContext;
import io.seqcl.optim.OptimConfig;
import io.seqcl.optim.TrainStep;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * MCLRec, contrastive sequential recommendation with stochastic data augmentation plus two learnable augmenter
 * MLPs that are meta-optimised for the contrastive task.
 *
 * <p>Qin et al., "Meta-optimized Contrastive Learning for Sequential Recommendation", SIGIR 2023
 * (../shared/papers/002_8cbc21390195a073.txt), as specified in /work/shared/specs/mclrec.md. Encoder {@code f}:
 * {@link SASRec} (RecBole form). Per batch two views x~1, x~2 (two distinct ops of crop / mask / reorder, drawn once
 * from {@code ctx.rng()} and reused by every stage of the batch); {@code h~k = f(x~k)}, {@code z~k = w_k(h~k)} with
 * augmenters {@code w_k(h) = normalize(W3 GELU(W2 GELU(W1 h + b1) + b2) + b3)} (parameters {@code augmenter1.*},
 * {@code augmenter2.*}). Losses: {@code L_cl1 = NTXent(h~1, h~2)}, {@code L_cl2 = NTXent(h~1, z~2) +
 * NTXent(h~2, z~1) + NTXent(z~1, z~2)} (tau 1, dot), R = {@link ContrastiveRegularizer} over
 * {@link MCLRecConfig.RPairs}; encoder loss {@code L0 = L_rec + lambda L_cl1 + beta (L_cl2 + rWeight R)};
 * augmenter loss {@code L1} per {@link MCLRecConfig.Stage2Loss}. Schedule: {@link MultiStageStep} with stages
 * {@code [encoder on L0, augmenters on L1, encoder on L0]} (code; the last one only with {@code thirdStep}), or
 * {@link SingleLossStep} over everything for MCLRec-J. All encoder passes of a stage are fused into one call.
 *
 * <p>Deviations from the reference code: augmenter widths follow d (code: fixed 64); normalisation has a 1e-12
 * floor; the padding row is excluded from the softmax by default (backbone loss); ablation E (shared augmenter)
 * exists only in the paper. Weights, augmentations and dropout come from seeded Java/engine streams.
 */
public final class MCLRec extends AbstractRecommender<MCLRecConfig> {

    /** Name prefix of the augmenter parameters (the group phi). */
    public static final String AUGMENTER_PREFIX = "augmenter";

    /** Selects the augmenter parameters phi1, phi2. */
    public static final Predicate<String> AUGMENTER_GROUP = n -> n.startsWith(AUGMENTER_PREFIX);

    /**
     * The two augmented views of one batch.
     *
     * @param view1 x~1
     * @param view2 x~2
     */
    public record Views(Batch view1, Batch view2) {

        /**
         * The views of consecutive rows of the batch.
         *
         * @param from first row
         * @param to end row (exclusive)
         * @return those rows of both views
         */
        public Views rows(int from, int to) {
            return new Views(view1.rows(from, to), view2.rows(from, to));
        }
    }

    /**
     * Loss terms of one forward pass; a term that was not computed is {@code null}.
     *
     * @param rec next-item CE
     * @param cl1 L_cl1
     * @param cl2 L_cl2
     * @param r the regulariser R
     */
    public record Terms(NDArray rec, NDArray cl1, NDArray cl2, NDArray r) {
    }

    private final MCLRecConfig config;
    private final ContrastiveEncoder encoder;
    private final Augmenter aug1;
    private final Augmenter aug2;
    private final DistinctPair viewMaker;
    private final InfoNCE cl1Loss;
    private final InfoNCE cl2Loss = new InfoNCE();
    private final ContrastiveRegularizer reg;

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N
     * @param config configuration
     * @param seed initialisation seed
     */
    public MCLRec(int numItems, MCLRecConfig config, long seed) {
        super(ModelRegistry.get("mclrec").nameFor(config), numItems, config, new Params());
        this.config = config;
        this.encoder = new ContrastiveEncoder(numItems, config.backbone(), config.maskToken(), seed, params());
        SplittableRandom rng = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
        this.aug1 = new Augmenter(encoder.params(), AUGMENTER_PREFIX + "1", config, rng);
        this.aug2 = config.sharedAugmenter() ? aug1 : new Augmenter(encoder.params(), AUGMENTER_PREFIX + "2", config, rng);
        this.viewMaker = config.views(numItems());
        this.cl1Loss = config.infoNCE();
        this.reg = config.regularizer();
    }

    /** An augmenter MLP {@code normalize(W_L act(... act(W_1 h + b_1) ...) + b_L)}. */
    private static final class Augmenter {
        private final List<NDArray> weights = new ArrayList<>();
        private final List<NDArray> biases = new ArrayList<>();
        private final boolean normalize;

        Augmenter(Params params, String name, MCLRecConfig config, SplittableRandom rng) {
            int d = config.backbone().transformer().hiddenSize();
            List<Integer> sizes = new ArrayList<>();
            sizes.add(d);
            sizes.addAll(config.augmenterHidden());
            sizes.add(d);
            for (int l = 0; l + 1 < sizes.size(); l++) {
                int in = sizes.get(l);
                int out = sizes.get(l + 1);
                String p = name + ".layer" + l;
                if (config.augmenterInit() == MCLRecConfig.AugmenterInit.NORMAL) {
                    weights.add(params.normal(p + ".weight", config.backbone().initStd(), rng, out, in));
                    biases.add(params.constant(p + ".bias", 0f, out));
                } else {
                    double bound = 1.0 / Math.sqrt(in);
                    weights.add(params.add(p + ".weight", uniform(rng, out * in, bound), out, in));
                    biases.add(params.add(p + ".bias", uniform(rng, out, bound), out));
                }
            }
            this.normalize = config.augmenterNormalize();
        }

        private static float[] uniform(SplittableRandom rng, int n, double bound) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            }
            return v;
        }

        NDArray forward(NDArray h) {
            NDArray x = h;
            for (int l = 0; l < weights.size(); l++) {
                x = Linear.linear(x, weights.get(l), biases.get(l)).singletonOrThrow();
                if (l + 1 < weights.size()) {
                    x = ActivationFn.GELU.apply(x);
                }
            }
            return normalize ? Ops.l2Normalize(x, 1e-12) : x;
        }
    }

    /**
     * Draws the two augmented views of a batch from {@code ctx.rng()}.
     *
     * @param batch training batch (not modified)
     * @param ctx step context
     * @return the views
     */
    public Views views(Batch batch, StepContext ctx) {
        Batch[] v = BatchViews.twoViews(batch, viewMaker, ctx.rng());
        return new Views(v[0], v[1]);
    }

    /**
     * Runs a training forward (dropout on) and computes the requested terms.
     *
     * @param batch training batch (targets for L_rec)
     * @param views its views
     * @param rec whether to compute L_rec (needs an encoder pass of the original input)
     * @param cl1 whether to compute L_cl1
     * @param cl2 whether to compute L_cl2
     * @param r whether to compute R
     * @return the terms, unrequested ones {@code null}
     */
    public Terms terms(Batch batch, Views views, boolean rec, boolean cl1, boolean cl2, boolean r) {
        boolean needViews = cl1 || cl2 || r;
        ContrastiveEncoder.Encoded e;
        int o;
        if (rec && needViews) {
            e = encoder.encode(true, batch, views.view1(), views.view2());
            o = 1;
        } else if (rec) {
            e = encoder.encode(true, batch);
            o = 1;
        } else {
            e = encoder.encode(true, views.view1(), views.view2());
            o = 0;
        }
        NDArray lRec = rec ? encoder.recLoss(e, 0, batch) : null;
        if (!needViews) {
            return new Terms(lRec, null, null, null);
        }
        return heads(lRec, e.last(o), e.last(o + 1), cl1, cl2, r);
    }

    /** The terms that read the views' last states {@code h1, h2} (and the augmenters on them). */
    private Terms heads(NDArray lRec, NDArray h1, NDArray h2, boolean cl1, boolean cl2, boolean r) {
        boolean augmented = cl2 || r;
        return heads(lRec, h1, h2, augmented ? aug1.forward(h1) : null, augmented ? aug2.forward(h2) : null, cl1, cl2,
                r);
    }

    /** The terms from the views' last states and their augmented versions {@code z_k = w_k(h_k)} (null if unused). */
    private Terms heads(NDArray lRec, NDArray h1, NDArray h2, NDArray z1, NDArray z2, boolean cl1, boolean cl2,
                        boolean r) {
        NDArray lCl1 = cl1 ? cl1Loss.compute(h1, h2) : null;
        NDArray lCl2 = null;
        NDArray lR = null;
        if (cl2 || r) {
            if (cl2) {
                lCl2 = cl2Loss.compute(h1, z2).add(cl2Loss.compute(h2, z1)).add(cl2Loss.compute(z1, z2));
            }
            if (r) {
                lR = reg.compute(z1, z2);
                if (config.rPairs() == MCLRecConfig.RPairs.THREE) {
                    lR = reg.compute(h1, z2).add(reg.compute(h2, z1)).add(lR);
                }
            }
        }
        return new Terms(lRec, lCl1, lCl2, lR);
    }

    /**
     * The encoder loss {@code L0 = L_rec + lambda L_cl1 + beta (L_cl2 + rWeight R)} (terms with weight 0 are not
     * computed).
     *
     * @param batch training batch
     * @param views its views
     * @return scalar
     */
    public NDArray encoderLoss(Batch batch, Views views) {
        StageTerms s = stageTerms(true);
        return encoderTotal(terms(batch, views, true, s.cl1(), s.cl2(), s.r()));
    }

    /** Which of L_cl1, L_cl2 and R a stage's loss has (terms with weight 0 are not computed). */
    private record StageTerms(boolean cl1, boolean cl2, boolean r) {
    }

    /** @param encoderStage L0 (true) or the augmenter loss L1 (false) */
    private StageTerms stageTerms(boolean encoderStage) {
        if (encoderStage) {
            boolean cl2 = config.beta() > 0;
            return new StageTerms(config.lambda() > 0, cl2, cl2 && config.rWeight() > 0);
        }
        boolean code = config.stage2Loss() == MCLRecConfig.Stage2Loss.CODE;
        return new StageTerms(code && config.lambda() > 0, true, stage2RWeight() > 0);
    }

    /** @return the weight of R in L1: CODE {@code rWeight}, PAPER {@code rWeight beta} */
    private double stage2RWeight() {
        return config.stage2Loss() == MCLRecConfig.Stage2Loss.CODE ? config.rWeight()
                : config.rWeight() * config.beta();
    }

    /** {@code rec + lambda cl1 + beta (cl2 + rWeight R)} over the present terms (null if none). */
    private NDArray encoderTotal(Terms t) {
        NDArray loss = t.rec();
        if (t.cl1() != null) {
            NDArray c = Ops.scale(t.cl1(), config.lambda());
            loss = loss == null ? c : loss.add(c);
        }
        if (t.cl2() != null) {
            NDArray inner = t.r() != null ? t.cl2().add(Ops.scale(t.r(), config.rWeight())) : t.cl2();
            NDArray c = Ops.scale(inner, config.beta());
            loss = loss == null ? c : loss.add(c);
        }
        return loss;
    }

    /**
     * The augmenter loss L1: CODE {@code lambda L_cl1 + L_cl2 + rWeight R}, PAPER {@code L_cl2 + rWeight beta R}
     * (no L_rec: it has no augmenter gradient).
     *
     * @param batch training batch
     * @param views its views
     * @return scalar
     */
    public NDArray augmenterLoss(Batch batch, Views views) {
        StageTerms s = stageTerms(false);
        return augmenterTotal(terms(batch, views, false, s.cl1(), s.cl2(), s.r()));
    }

    /** {@code cl2 [+ lambda cl1] [+ w R]} with the stage-2 weight of R. */
    private NDArray augmenterTotal(Terms t) {
        double rw = stage2RWeight();
        NDArray loss = t.cl2();
        if (t.cl1() != null) {
            loss = loss.add(Ops.scale(t.cl1(), config.lambda()));
        }
        if (t.r() != null) {
            loss = loss.add(Ops.scale(t.r(), rw));
        }
        return loss;
    }

    /**
     * A stage loss split by rows ({@link SplitLoss}): each range encodes its rows of the views (and of the batch
     * for L_rec, its share of the mean over target slots), applies the augmenters to the views' last states (they
     * work row by row) and hands in {@code h1, h2, z1, z2}; the joint term computes the contrastive losses and the
     * regulariser on the whole batch.
     *
     * @param views the batch's views (drawn once per batch and shared by the stages), or null to draw each range's
     *     views from its own stream (the joint schedule)
     * @param encoderStage L0 (true) or the augmenter loss L1 (false)
     * @return the split loss; with {@code views} given, {@code split(views, true).loss(b, ctx)} equals
     *     {@code encoderLoss(b, views)} and {@code split(views, false).loss(b, ctx)} equals
     *     {@code augmenterLoss(b, views)}
     */
    public SplitLoss split(Views views, boolean encoderStage) {
        StageTerms s = stageTerms(encoderStage);
        boolean cl1 = s.cl1();
        boolean cl2 = s.cl2();
        boolean r = s.r();
        return new SplitLoss() {
            @Override
            public Part part(Batch range, int from, Batch whole, StepContext ctx) {
                Views v = views == null ? views(range, ctx) : views.rows(from, from + range.size());
                boolean needViews = cl1 || cl2 || r;
                if (!needViews) {
                    return new Part(encoder.recLoss(encoder.encode(true, range), range, whole), List.of());
                }
                ContrastiveEncoder.Encoded e = encoderStage ? encoder.encode(true, range, v.view1(), v.view2())
                        : encoder.encode(true, v.view1(), v.view2());
                int o = encoderStage ? 1 : 0;
                NDArray h1 = e.last(o);
                NDArray h2 = e.last(o + 1);
                // the augmenters work row by row: each range applies them to its own states
                List<NDArray> reps = cl2 || r ? List.of(h1, h2, aug1.forward(h1), aug2.forward(h2)) : List.of(h1, h2);
                return new Part(encoderStage ? encoder.recLoss(e, range, whole) : null, reps);
            }

            @Override
            public NDArray joint(List<NDArray> reps, Batch whole) {
                if (reps.isEmpty()) {
                    return null;
                }
                boolean augmented = reps.size() == 4;
                Terms t = heads(null, reps.get(0), reps.get(1), augmented ? reps.get(2) : null,
                        augmented ? reps.get(3) : null, cl1, cl2, r);
                return encoderStage ? encoderTotal(t) : augmenterTotal(t);
            }
        };
    }

    /**
     * {@inheritDoc} The encoder loss L0 split by rows, each range drawing its own views (the joint schedule
     * MCLRec-J); the meta schedule trains its stages in row ranges through {@link #newTrainStep(OptimConfig, int)}.
     *
     * @return the split encoder loss when the next-item loss is a mean over target slots (the built-in ones)
     */
    @Override
    public SplitLoss splitLoss() {
        return encoder.sasrec().perSlotLoss() ? split(null, true) : null;
    }

    /** {@inheritDoc} The encoder loss L0 on views drawn from {@code ctx.rng()} (what MCLRec-J minimises). */
    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        return encoderLoss(batch, views(batch, ctx));
    }

    /** @return true: scoring encodes each batch in its own layout and only reads the parameters */
    @Override
    public boolean concurrentScoring() {
        return true;
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        return encoder.scoreAll(batch);
    }

    /**
     * META: a {@link MultiStageStep} with groups {@code encoder} (everything but the augmenters) and
     * {@code augmenters}, views prepared once per batch, stages {@code [encoder L0, augmenters L1(, encoder L0)]};
     * JOINT: {@link SingleLossStep} over all parameters on L0.
     */
    @Override
    public TrainStep newTrainStep(OptimConfig trainConfig) {
        if (config.schedule() == MCLRecConfig.Schedule.JOINT) {
            return super.newTrainStep(trainConfig);
        }
        List<MultiStageStep.Stage<Views>> stages = new ArrayList<>();
        MultiStageStep.StageLoss<Views> l0 = (b, v, c) -> encoderLoss(b, v);
        stages.add(new MultiStageStep.Stage<>("encoder", l0));
        stages.add(new MultiStageStep.Stage<>("augmenters", (b, v, c) -> augmenterLoss(b, v)));
        if (config.thirdStep()) {
            stages.add(new MultiStageStep.Stage<>("encoder", l0));
        }
        return new MultiStageStep<>(name(), params(), List.of(
                new MultiStageStep.Group("encoder", AUGMENTER_GROUP.negate(), 0),
                new MultiStageStep.Group("augmenters", AUGMENTER_GROUP, config.metaLearningRate())),
                this::views, stages, trainConfig);
    }

    /**
     * {@inheritDoc} With the meta schedule every stage runs in row ranges: the batch's views are drawn once and
     * each range encodes its rows of them ({@link MultiStageStep.Stage#split}).
     */
    @Override
    public TrainStep newTrainStep(OptimConfig trainConfig, int shards) {
        if (shards == 1 || config.schedule() == MCLRecConfig.Schedule.JOINT) {
            return super.newTrainStep(trainConfig, shards);
        }
        if (splitLoss() == null) {
            throw new IllegalArgumentException(name() + " cannot be trained in row ranges with a custom next-item "
                    + "loss");
        }
        MultiStageStep.StageLoss<Views> l0 = (b, v, c) -> encoderLoss(b, v);
        List<MultiStageStep.Stage<Views>> stages = new ArrayList<>();
        stages.add(new MultiStageStep.Stage<>("encoder", l0).withSplit(v -> split(v, true)));
        stages.add(new MultiStageStep.Stage<Views>("augmenters", (b, v, c) -> augmenterLoss(b, v))
                .withSplit(v -> split(v, false)));
        if (config.thirdStep()) {
            stages.add(new MultiStageStep.Stage<>("encoder", l0).withSplit(v -> split(v, true)));
        }
        return new MultiStageStep<>(name(), params(), List.of(
                new MultiStageStep.Group("encoder", AUGMENTER_GROUP.negate(), 0),
                new MultiStageStep.Group("augmenters", AUGMENTER_GROUP, config.metaLearningRate())),
                this::views, stages, trainConfig, shards);
    }

    /**
     * The learned views of a batch for plots (MCLRec Figs. 2 and 5): two data-augmented views encoded without
     * dropout and passed through the augmenters, {@code z1 = w1(h1)} and {@code z2 = w2(h2)}.
     *
     * @param batch sequences
     * @param ctx the random stream for the data augmentation
     * @return {@code [2][B][d]}: z1 rows, then z2 rows
     */
    public float[][][] learnedViews(Batch batch, StepContext ctx) {
        Views v = views(batch, ctx);
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            ContrastiveEncoder.Encoded e = encoder.encode(false, v.view1(), v.view2());
            return new float[][][] {rows(aug1.forward(e.last(0))), rows(aug2.forward(e.last(1)))};
        }
    }

    private static float[][] rows(NDArray a) {
        int n = (int) a.getShape().get(0);
        int d = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }
}
