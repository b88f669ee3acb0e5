package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import io.seqcl.loss.InfoNCE;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Params;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.optim.SplitLoss;
import io.seqcl.optim.StepContext;

import java.util.Arrays;
import java.util.List;

/**
 * DuoRec, SASRec with contrastive regularisation from dropout (model-level augmentation) and from supervised
 * positives: another training sequence with the same target item.
 *
 * <p>Qiu et al., "Contrastive Learning for Representation Degeneration Problem in Sequential Recommendation", WSDM
 * 2022 (baseline in the MCLRec paper, ../shared/papers/002_8cbc21390195a073.txt), as specified in
 * /work/shared/specs/cl4srec_duorec.md §4. {@link #prepare} indexes the training prefix samples by target item
 * (the code's {@code semantic_augmentation}); each batch draws for every row one other sample with the same target
 * uniformly from {@code ctx.rng()} (the row itself if there is none) and uses its unaugmented prefix as the positive.
 * Loss variants: {@link DuoRecConfig.Contrast}. All encoder passes of a step are fused into one call (independent
 * dropout per row).
 *
 * <p>Deviations from the reference code: the positive index is rebuilt in memory by {@link #prepare} (no
 * {@code .npy} cache); the padding row is excluded from the softmax by default (backbone loss); random draws come
 * from Java streams, not NumPy's.
 */
public final class DuoRec extends AbstractRecommender<DuoRecConfig> {

    private final DuoRecConfig config;
    private final ContrastiveEncoder encoder;
    private final InfoNCE infoNCE;
    private int[][] train;
    private int[] splitIndex;
    private long[][] byTarget;

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N
     * @param config configuration
     * @param seed initialisation seed
     */
    public DuoRec(int numItems, DuoRecConfig config, long seed) {
        super("DuoRec", numItems, config, new Params());
        this.config = config;
        this.encoder = new ContrastiveEncoder(numItems, config.backbone(), MaskToken.PADDING, seed, params());
        this.infoNCE = config.infoNCE();
    }

    /**
     * Indexes the training prefix samples (split user {@code i}, target index {@code t >= 1}, the convention of
     * {@link io.seqcl.protocol.TrainingSamples}) by target item.
     */
    @Override
    public void prepare(LeaveOneOutSplit split) {
        int n = split.numUsers();
        train = new int[n][];
        splitIndex = new int[split.dataset().numUsers()];
        Arrays.fill(splitIndex, -1);
        int[] count = new int[numItems() + 1];
        for (int i = 0; i < n; i++) {
            train[i] = split.trainSequence(i);
            splitIndex[split.datasetUser(i)] = i;
            for (int t = 1; t < train[i].length; t++) {
                count[train[i][t]]++;
            }
        }
        byTarget = new long[numItems() + 1][];
        for (int y = 0; y <= numItems(); y++) {
            byTarget[y] = new long[count[y]];
        }
        int[] fill = new int[numItems() + 1];
        for (int i = 0; i < n; i++) {
            for (int t = 1; t < train[i].length; t++) {
                int y = train[i][t];
                byTarget[y][fill[y]++] = ((long) i << 32) | t;
            }
        }
    }

    /**
     * Number of other training samples with target {@code item} plus the sample itself, i.e. the size of the
     * positive pool of a sample with that target (0 before {@link #prepare}).
     *
     * @param item the target item
     * @return the number of training samples with that target
     */
    public int samplesWithTarget(int item) {
        return byTarget == null ? 0 : byTarget[item].length;
    }

    /**
     * Draws the supervised positives of a batch: for each row one other training sample with the same target
     * (uniform, from {@code ctx.rng()}), or the row itself if it has none.
     *
     * @param batch a training batch of prefix samples
     * @param ctx step context
     * @return the positives' inputs (no targets), padded like the batch
     * @throws IllegalStateException if {@link #prepare} was not called
     */
    public Batch positives(Batch batch, StepContext ctx) {
        if (byTarget == null) {
            throw new IllegalStateException("DuoRec.prepare(split) must be called before training "
                    + "(it indexes the same-target positives)");
        }
        int bsz = batch.size();
        int tMax = batch.maxLen();
        int[][] items = new int[bsz][];
        int[] lengths = new int[bsz];
        int[] users = new int[bsz];
        for (int b = 0; b < bsz; b++) {
            int y = batch.targets()[b][batch.lastIndex(b)];
            long[] pool = byTarget[y];
            long self = selfKey(batch, b, y);
            int selfPos = self < 0 ? -1 : Arrays.binarySearch(pool, self);
            int others = pool.length - (selfPos >= 0 ? 1 : 0);
            if (others == 0) {
                items[b] = batch.items()[b].clone();
                lengths[b] = batch.lengths()[b];
                users[b] = batch.users()[b];
                continue;
            }
            int r = ctx.rng().nextInt(others);
            if (selfPos >= 0 && r >= selfPos) {
                r++;
            }
            int i = (int) (pool[r] >>> 32);
            int t = (int) pool[r];
            int from = Math.max(0, t - tMax);
            items[b] = Batch.pad(train[i], from, t, tMax, batch.padding());
            lengths[b] = t - from;
            users[b] = -1;
        }
        return new Batch(items, null, null, lengths, users, batch.padding());
    }

    /** The index key of the sample in row b, or -1 if the row is not a training prefix sample of the split. */
    private long selfKey(Batch batch, int b, int y) {
        int u = batch.users()[b];
        if (u < 0 || u >= splitIndex.length || splitIndex[u] < 0) {
            return -1;
        }
        int i = splitIndex[u];
        int[] s = train[i];
        int len = batch.lengths()[b];
        int tMax = batch.maxLen();
        int[] row = batch.items()[b];
        int off = batch.padding() == io.seqcl.protocol.Padding.RIGHT ? 0 : tMax - len;
        for (int t = 1; t < s.length; t++) {
            if (s[t] != y || Math.min(t, tMax) != len) {
                continue;
            }
            int from = t - len;
            boolean same = true;
            for (int k = 0; k < len && same; k++) {
                same = row[off + k] == s[from + k];
            }
            if (same) {
                return ((long) i << 32) | t;
            }
        }
        return -1;
    }

    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        return split.loss(batch, ctx);
    }

    /**
     * {@inheritDoc} The next-item loss of each range (its share of the mean over target slots) and, as the joint
     * term, the variant's contrastive losses on the ranges' last states; positives are drawn per range from its
     * stream.
     *
     * @return the split loss when the backbone loss is a mean over target slots (the built-in ones); else null
     */
    @Override
    public SplitLoss splitLoss() {
        return encoder.sasrec().perSlotLoss() ? split : null;
    }

    private boolean unsupervised() {
        DuoRecConfig.Contrast c = config.contrast();
        return (c == DuoRecConfig.Contrast.UN || c == DuoRecConfig.Contrast.US) && config.lambda() > 0;
    }

    private final SplitLoss split = new SplitLoss() {
        @Override
        public Part part(Batch range, int from, Batch whole, StepContext ctx) {
            DuoRecConfig.Contrast c = config.contrast();
            boolean sup = config.supervised();
            boolean unsup = unsupervised();
            if (!sup && !unsup) {
                return new Part(encoder.recLoss(encoder.encode(true, range), range, whole), List.of());
            }
            Batch pos = sup ? positives(range, ctx) : null;
            ContrastiveEncoder.Encoded e;
            List<NDArray> reps;
            if (sup && (unsup || c == DuoRecConfig.Contrast.US_X)) {
                e = encoder.encode(true, range, range, pos);
                reps = c == DuoRecConfig.Contrast.US_X ? List.of(e.last(1), e.last(2))
                        : List.of(e.last(0), e.last(1), e.last(2));
            } else {
                e = sup ? encoder.encode(true, range, pos) : encoder.encode(true, range, range);
                reps = List.of(e.last(0), e.last(1));
            }
            return new Part(encoder.recLoss(e, range, whole), reps);
        }

        @Override
        public NDArray joint(List<NDArray> reps, Batch whole) {
            if (reps.isEmpty()) {
                return null;
            }
            DuoRecConfig.Contrast c = config.contrast();
            long[] groups = config.maskSameTarget() ? whole.lastTargets() : null;
            return switch (c) {
                case US_X, SU -> Ops.scale(infoNCE.compute(reps.get(0), reps.get(1), groups), config.lambdaSem());
                case UN -> Ops.scale(infoNCE.compute(reps.get(0), reps.get(1), groups), config.lambda());
                case US -> {
                    boolean unsup = unsupervised();
                    NDArray loss = null;
                    if (unsup) {
                        loss = Ops.scale(infoNCE.compute(reps.get(0), reps.get(1), groups), config.lambda());
                    }
                    if (config.supervised()) {
                        NDArray sem = Ops.scale(infoNCE.compute(reps.get(0), reps.get(unsup ? 2 : 1), groups),
                                config.lambdaSem());
                        loss = loss == null ? sem : loss.add(sem);
                    }
                    yield loss;
                }
            };
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
