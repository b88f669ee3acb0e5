package io.seqcl.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import io.seqcl.nn.Dense;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Packing;
import io.seqcl.nn.Params;
import io.seqcl.optim.OptimConfig;
import io.seqcl.optim.SingleLossStep;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.LeaveOneOutSplit;
import io.seqcl.protocol.Padding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * S3-Rec with its masked-item-prediction (MIP) pre-training stage followed by fine-tuning ("S3-Rec_MIP" of MCLRec's
 * Table 3; baselines.md §8): a bidirectional Transformer learns to tell a masked item from a sampled negative, then
 * the same weights are fine-tuned as a causal SASRec.
 *
 * <p>Zhou, Wang, Zhao, Zhu, Wang, Zhang, Wang, Wen, "S3-Rec: Self-Supervised Learning for Sequential Recommendation
 * with Mutual Information Maximization", CIKM 2020, arXiv:2008.07873; reference code aHuiWang/CIKM2020-S3Rec
 * ({@code models.py}, {@code datasets.py}, {@code run_pretrain.py}, {@code run_finetune_full.py}). Without
 * attributes only MIP is used (MCLRec §4.1.2).
 *
 * <p><b>How the two stages fit the model contract.</b> {@link #prepare} runs the pre-training stage: its own
 * sampler (for each user the last T items of {@code s_1..s_{n-2}} and every prefix of them, re-masked every
 * epoch), its own Adam (batch {@code pretrainBatchSize}, learning rate {@code pretrainLearningRate}, discarded
 * afterwards, as the code starts fine-tuning with a fresh optimizer) and its own seeded streams (from the model's
 * seed and the epoch). Both stages use the same parameter store, so the weight transfer is the identity: the
 * trainer's fine-tuning starts from exactly the pre-trained item table, position table, input LayerNorm and blocks
 * (the code loads all of them, {@code load_state_dict}); the MIP head {@code W_mip} stays in the store, unused and
 * never updated by fine-tuning. Pre-training has no checkpoint of its own: a run resumed from a fine-tuning
 * checkpoint skips it ({@link #prepare(LeaveOneOutSplit, boolean)}; the checkpoint holds the weights it led to, and
 * {@link #pretrainLosses()} is then empty), while a run killed during pre-training repeats it from the start
 * (deterministic, so with the same result). {@link S3RecConfig.Stage#PRETRAIN_ONLY} skips
 * fine-tuning: the trainer's epochs continue MIP and items are scored with the MIP head at a trailing [mask].
 *
 * <p>MIP: masked sequence with id N+1 at each position but the last with probability {@code maskRatio}, the last
 * always; per masked position one negative uniform on [1, N+1] rejecting the sequence's items (the mask id can be
 * drawn, as in the code); {@code a = <W_mip h_t + b, E[item]>}; the loss is the <em>sum</em> over masked positions
 * of {@code -log sigma(sigma(a+) - sigma(a-))} (code) or {@code -log sigma(a+ - a-)} (paper), see
 * {@link S3RecConfig}. Pre-training uses the key-padding mask only, fine-tuning the causal mask.
 *
 * <p>Deviations from the code: the bidirectional mask uses -10000 instead of -1e8 (identical after the softmax
 * whenever a row has an allowed key, which every MIP row has); fine-tuning negatives come from seqcl's sampler
 * (uniform on [1, N], rejecting the user's whole sequence; the code draws from [1, N+1]); scores exclude the mask
 * row (the code ranks it too); early stopping and history exclusion are the trainer's settings (the code: valid
 * NDCG@20, patience 10, history scores set to 0). Weights, masks and dropout come from seeded Java/engine streams.
 */
public final class S3Rec extends AbstractRecommender<S3RecConfig> {

    /** Prefix of the MIP head's parameters. */
    public static final String MIP_HEAD = "mip";

    private final S3RecConfig config;
    private final ContrastiveEncoder encoder;
    private final Dense mip;
    private final long seed;
    private final int maskId;
    private final List<Double> pretrainLosses = new ArrayList<>();

    /**
     * A MIP sample: masked rows with the positive and negative item of every masked position.
     *
     * @param items encoder rows with the [mask] id at masked positions
     * @param lengths real positions per row
     * @param positives the original item at masked positions, 0 elsewhere
     * @param negatives a sampled negative at masked positions, 0 elsewhere
     * @param padding padding side
     */
    public record Mip(int[][] items, int[] lengths, int[][] positives, int[][] negatives, Padding padding) {

        /** @return the number of masked positions */
        public int masked() {
            int n = 0;
            for (int[] r : positives) {
                for (int v : r) {
                    n += v != 0 ? 1 : 0;
                }
            }
            return n;
        }
    }

    /**
     * Builds the model with weights drawn from {@code seed}; pre-training happens in {@link #prepare}.
     *
     * @param numItems number of items N (the item table has N+2 rows)
     * @param config configuration
     * @param seed initialisation seed (also seeds the pre-training streams)
     */
    public S3Rec(int numItems, S3RecConfig config, long seed) {
        super("S3Rec", numItems, config, new Params());
        this.config = config;
        this.seed = seed;
        this.maskId = numItems + 1;
        this.encoder = new ContrastiveEncoder(numItems, config.backbone(), MaskToken.MASK_ITEM, seed, params());
        int d = config.transformer().hiddenSize();
        this.mip = new Dense(params(), MIP_HEAD, d, d, config.initStd(), new SplittableRandom(seed).split());
    }

    /** @return the mean MIP loss of each pre-training epoch run by {@link #prepare} */
    public List<Double> pretrainLosses() {
        return Collections.unmodifiableList(pretrainLosses);
    }

    /**
     * Runs the MIP pre-training stage ({@code pretrainEpochs} epochs) on the training part of the split.
     *
     * @param split the leave-one-out split
     */
    @Override
    public void prepare(LeaveOneOutSplit split) {
        prepare(split, false);
    }

    /**
     * Runs the MIP pre-training stage, unless the trainer resumes from a checkpoint: its weights were trained after
     * pre-training and replace whatever pre-training would produce.
     *
     * @param split the leave-one-out split
     * @param resuming whether the parameters will be loaded from a checkpoint right after
     */
    @Override
    public void prepare(LeaveOneOutSplit split, boolean resuming) {
        pretrainLosses.clear();
        if (config.pretrainEpochs() == 0 || resuming) {
            return;
        }
        int t = config.maxLen();
        List<int[]> seqs = new ArrayList<>();
        for (int i = 0; i < split.numUsers(); i++) {
            int[] s = split.trainSequence(i);
            int[] window = Arrays.copyOfRange(s, Math.max(0, s.length - t), s.length);
            for (int k = 1; k <= window.length; k++) {
                seqs.add(Arrays.copyOf(window, k));
            }
        }
        if (seqs.isEmpty()) {
            throw new IllegalArgumentException("dataset " + split.dataset().name() + " yields no pre-training sample");
        }
        SingleLossStep step = new SingleLossStep(name() + " MIP pre-training", params(),
                (b, ctx) -> mipLoss(mipSample(b, config, numItems(), ctx.rng()), b.users()),
                new OptimConfig(config.pretrainLearningRate(), 0.9, 0.999, 0.0, 1e9));
        int bs = config.pretrainBatchSize();
        int batches = (seqs.size() + bs - 1) / bs;
        if (config.pretrainMaxSteps() > 0) {
            batches = Math.min(batches, config.pretrainMaxSteps());
        }
        for (int epoch = 1; epoch <= config.pretrainEpochs(); epoch++) {
            SplittableRandom rng = new SplittableRandom(mix(seed, epoch));
            Engine.getInstance().setRandomSeed((int) mix(seed + 1, epoch));
            int[] order = new int[seqs.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int x = order[i];
                order[i] = order[j];
                order[j] = x;
            }
            double sum = 0;
            for (int s = 0; s < batches; s++) {
                int from = s * bs;
                int to = Math.min(order.length, from + bs);
                int[][] rows = new int[to - from][];
                int[] lengths = new int[to - from];
                for (int r = from; r < to; r++) {
                    int[] q = seqs.get(order[r]);
                    rows[r - from] = Batch.pad(q, 0, q.length, t, config.padding());
                    lengths[r - from] = q.length;
                }
                int[] users = new int[rows.length];
                Arrays.fill(users, -1);
                Batch b = new Batch(rows, null, null, lengths, users, config.padding());
                sum += step.step(b, new StepContext(epoch, s + 1, rng, batches));
            }
            pretrainLosses.add(sum / batches);
        }
    }

    /** SplitMix64 finaliser of a seed and a counter (the trainer's mixing, so the streams are well spread). */
    private static long mix(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + 0x53334D4950L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Masks a batch for MIP (baselines.md §8): each row's sequence (its real items, followed by its last target when
     * the batch has targets, the most recent T kept) has every position but the last replaced by the [mask] id
     * with probability {@code maskRatio}, and the last position always; each masked position gets one negative
     * uniform on [1, N+1] that is not in the sequence.
     *
     * @param batch rows (pre-training prefixes, or the trainer's prefix samples)
     * @param c the configuration
     * @param numItems N
     * @param rng the random stream
     * @return the sample
     * @throws IllegalStateException if a sequence holds every id of [1, N+1]
     */
    public static Mip mipSample(Batch batch, S3RecConfig c, int numItems, SplittableRandom rng) {
        int t = c.maxLen();
        int bsz = batch.size();
        int mask = numItems + 1;
        int[][] items = new int[bsz][t];
        int[][] pos = new int[bsz][t];
        int[][] neg = new int[bsz][t];
        int[] lengths = new int[bsz];
        for (int b = 0; b < bsz; b++) {
            int[] seq = BERT4Rec.sequence(batch, b, true, t);
            int l = seq.length;
            int[] sorted = Arrays.stream(seq).sorted().distinct().toArray();
            if (sorted.length >= numItems + 1) {
                throw new IllegalStateException("a sequence holds every id of [1, " + (numItems + 1)
                        + "]; no MIP negative can be sampled");
            }
            int off = batch.padding() == Padding.RIGHT ? 0 : t - l;
            for (int i = 0; i < l; i++) {
                boolean masked = i == l - 1 || rng.nextDouble() < c.maskRatio();
                items[b][off + i] = masked ? mask : seq[i];
                if (masked) {
                    pos[b][off + i] = seq[i];
                    int candidate;
                    do {
                        candidate = 1 + rng.nextInt(numItems + 1);
                    } while (Arrays.binarySearch(sorted, candidate) >= 0);
                    neg[b][off + i] = candidate;
                }
            }
            lengths[b] = l;
        }
        return new Mip(items, lengths, pos, neg, batch.padding());
    }

    /**
     * The MIP scores {@code a = <W_mip h + b, E[item]>} of the masked positions of a sample, with the bidirectional
     * encoder.
     *
     * @param z the sample
     * @param users user ids of its rows
     * @param training whether dropout is active
     * @return {@code {a+, a-}}, each {@code [K]}
     */
    NDArray[] mipScores(Mip z, int[] users, boolean training) {
        int k = z.masked();
        long[] slots = new long[k];
        long[] p = new long[k];
        long[] n = new long[k];
        Batch in = new Batch(z.items(), null, null, z.lengths(), users, z.padding());
        Packing layout = Packing.bidirectional(params().manager(), in, config.transformer().packed());
        NDArray h = encoder.sasrec().encode(in, layout, training);
        int j = 0;
        for (int b = 0; b < z.items().length; b++) {
            for (int q = 0; q < z.items()[b].length; q++) {
                if (z.positives()[b][q] != 0) {
                    slots[j] = layout.slot(b, q);
                    p[j] = z.positives()[b][q];
                    n[j] = z.negatives()[b][q];
                    j++;
                }
            }
        }
        NDArray w = mip.forward(layout.gather(h, slots));
        NDArray table = encoder.sasrec().itemEmbedding();
        NDArray ap = w.mul(Ops.rows(table, p)).sum(new int[] {1});
        NDArray an = w.mul(Ops.rows(table, n)).sum(new int[] {1});
        return new NDArray[] {ap, an};
    }

    /**
     * The MIP loss of a sample: the sum over masked positions of the configured form.
     *
     * @param z the sample
     * @param users user ids of its rows
     * @return scalar loss
     */
    NDArray mipLoss(Mip z, int[] users) {
        NDArray[] a = mipScores(z, users, true);
        return mipLoss(a[0], a[1], config.mipLoss());
    }

    /**
     * The MIP loss of given scores: {@code sum -log sigma(sigma(a+) - sigma(a-))} or {@code sum -log sigma(a+ - a-)}.
     *
     * @param ap scores of the positives {@code [K]}
     * @param an scores of the negatives {@code [K]}
     * @param form the loss form
     * @return scalar loss
     */
    static NDArray mipLoss(NDArray ap, NDArray an, S3RecConfig.MipLoss form) {
        NDArray diff = form == S3RecConfig.MipLoss.DOUBLE_SIGMOID
                ? Activation.sigmoid(ap).sub(Activation.sigmoid(an)) : ap.sub(an);
        return Activation.softPlus(diff.neg()).sum();
    }

    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        if (config.stage() == S3RecConfig.Stage.PRETRAIN_ONLY) {
            return mipLoss(mipSample(batch, config, numItems(), ctx.rng()), batch.users());
        }
        return encoder.recLoss(encoder.encode(true, batch), 0, batch);
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        if (config.stage() == S3RecConfig.Stage.FINETUNE) {
            return encoder.scoreAll(batch);
        }
        int t = config.maxLen();
        int bsz = batch.size();
        int[][] rows = new int[bsz][];
        int[] lengths = new int[bsz];
        long[] slots = new long[bsz];
        for (int b = 0; b < bsz; b++) {
            int[] h = BERT4Rec.realItems(batch, b);
            int from = Math.max(0, h.length - (t - 1));
            int[] seq = Arrays.copyOf(Arrays.copyOfRange(h, from, h.length), h.length - from + 1);
            seq[seq.length - 1] = maskId;
            rows[b] = Batch.pad(seq, 0, seq.length, t, batch.padding());
            lengths[b] = seq.length;
        }
        Batch in = new Batch(rows, null, null, lengths, batch.users(), batch.padding());
        Packing layout = Packing.bidirectional(params().manager(), in, config.transformer().packed());
        NDArray h = encoder.sasrec().encode(in, layout, false);
        for (int b = 0; b < bsz; b++) {
            slots[b] = layout.slot(b, in.lastIndex(b));
        }
        NDArray w = mip.forward(layout.gather(h, slots));
        return w.matMul(encoder.outputTable().transpose());
    }

    /**
     * All hidden states of the encoder on rows, bidirectional (pre-training) or causal (fine-tuning), padded
     * {@code [B, T, d]} (tests).
     *
     * @param in rows
     * @param bidirectional which mask
     * @return the states
     */
    NDArray hidden(Batch in, boolean bidirectional) {
        boolean packed = config.transformer().packed();
        Packing p = bidirectional ? Packing.bidirectional(params().manager(), in, packed)
                : Packing.causal(params().manager(), in, packed, false);
        return p.unpack(encoder.sasrec().encode(in, p, false));
    }

    /** @return the item table {@code [N+2, d]} (row N+1 = [mask]) */
    NDArray itemEmbedding() {
        return encoder.sasrec().itemEmbedding();
    }

    /** @return the item rows 0..N */
    NDArray outputTable() {
        return itemEmbedding().get(new NDIndex("0:" + (numItems() + 1)));
    }
}
