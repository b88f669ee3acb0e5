package io.seqcl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.seqcl.loss.FullSoftmaxCrossEntropy;
import io.seqcl.nn.ActivationFn;
import io.seqcl.nn.Dense;
import io.seqcl.nn.Norm;
import io.seqcl.nn.Ops;
import io.seqcl.nn.Packing;
import io.seqcl.nn.Params;
import io.seqcl.optim.StepContext;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * BERT4Rec, a bidirectional Transformer trained with a Cloze objective: random items of a sequence are replaced by
 * a [mask] token and predicted from both sides; at inference a [mask] is appended after the history and the output
 * at it scores the next item (baselines.md §5).
 *
 * <p>Sun, Liu, Wu, Pei, Lin, Ou, Jiang, "BERT4Rec: Sequential Recommendation with Bidirectional Encoder
 * Representations from Transformer", CIKM 2019, arXiv:1904.06690. Encoder: sasrec_backbone.md A blocks with the
 * key-padding mask only ({@link Packing#bidirectional}), item table of N+2 rows (0 padding, N+1 = [mask]), input
 * {@code Dropout(LN(E[s] + P))}; optional output head {@code o = LN(GELU(W h + b))} with logits
 * {@code o E_{0..N}^T + bias}; loss = mean cross-entropy over the scored masked positions, the [mask] row is never
 * a class nor a candidate. The Cloze masks are drawn per batch from the step's random stream ({@link #cloze}).
 *
 * <p>Which variant runs is the configuration's ({@link BERT4RecConfig}: seqcl's clean default, RecBole v1.0.0 and
 * RecBole HEAD). Deviations from RecBole in every preset: a batch in which no position is scored gives loss 0
 * (RecBole: 0/0 = NaN); weights and masks come from seeded Java/engine streams, not PyTorch's; the padding row keeps
 * its N(0, 0.02) draw as in RecBole and is a softmax class only with {@link BERT4RecConfig#includePaddingRow()}
 * (the RecBole presets). Deviations from the original TF code: no sliding windows or dupe
 * factor, prefix samples instead; Adam without warm-up.
 */
public final class BERT4Rec extends AbstractRecommender<BERT4RecConfig> {

    private final BERT4RecConfig config;
    private final SASRec encoder;
    private final Dense head;
    private final Norm headNorm;
    private final NDArray bias;
    private final int maskId;

    /**
     * A Cloze-masked batch: the rows fed to the encoder and, at the scored masked positions, the original items.
     *
     * @param items encoder input {@code [B][T]} with the [mask] id at masked positions
     * @param lengths real (non-padding) positions per row
     * @param targets the original item at each scored masked position, 0 elsewhere
     * @param padding padding side
     */
    public record Cloze(int[][] items, int[] lengths, int[][] targets, Padding padding) {

        /** @return the rows as an encoder batch (no targets) */
        Batch input(int[] users) {
            return new Batch(items, null, null, lengths, users, padding);
        }

        /** @return the number of scored positions */
        public int scored() {
            int n = 0;
            for (int[] r : targets) {
                for (int v : r) {
                    n += v != 0 ? 1 : 0;
                }
            }
            return n;
        }
    }

    /**
     * Builds the model with weights drawn from {@code seed}.
     *
     * @param numItems number of items N (the item table has N+2 rows)
     * @param config configuration
     * @param seed initialisation seed
     */
    public BERT4Rec(int numItems, BERT4RecConfig config, long seed) {
        super("BERT4Rec", numItems, config, new Params());
        this.config = config;
        this.maskId = numItems + 1;
        EncoderConfig e = config.encoder().withMaxLen(config.positions());
        this.encoder = new SASRec(numItems + 1, new SASRecConfig(e, SampleMode.PREFIX, new FullSoftmaxCrossEntropy()),
                seed, params());
        if (config.outputHead()) {
            SplittableRandom rng = new SplittableRandom(seed).split();
            int d = config.transformer().hiddenSize();
            head = new Dense(params(), "head", d, d, config.initStd(), rng);
            headNorm = new Norm(params(), "head_ln", d, config.transformer().layerNormEps());
            bias = params().constant("output_bias", 0f, numItems + 1);
        } else {
            head = null;
            headNorm = null;
            bias = null;
        }
    }

    /** @return the [mask] id N+1 */
    public int maskId() {
        return maskId;
    }

    /**
     * The real items of a row, in order.
     *
     * @param batch the batch
     * @param b the row
     * @return its items
     */
    static int[] realItems(Batch batch, int b) {
        int len = batch.lengths()[b];
        int from = batch.padding() == Padding.RIGHT ? 0 : batch.maxLen() - len;
        return Arrays.copyOfRange(batch.items()[b], from, from + len);
    }

    /**
     * The sequence a training row stands for: its real items, followed by its last target when the configuration
     * appends it, keeping the most recent {@code maxLen}.
     *
     * @param batch training batch
     * @param b the row
     * @param withTarget whether the target at the last real position is appended
     * @param maxLen the most items kept
     * @return the sequence
     */
    static int[] sequence(Batch batch, int b, boolean withTarget, int maxLen) {
        int[] seq = realItems(batch, b);
        if (withTarget && batch.targets() != null && batch.lengths()[b] > 0) {
            int t = batch.targets()[b][batch.lastIndex(b)];
            if (t != 0) {
                seq = Arrays.copyOf(seq, seq.length + 1);
                seq[seq.length - 1] = t;
            }
        }
        return seq.length > maxLen ? Arrays.copyOfRange(seq, seq.length - maxLen, seq.length) : seq;
    }

    /**
     * Draws the Cloze masks of a training batch (baselines.md §5): per batch, with probability
     * {@code lastOnlyRatio} every row masks only its last item; otherwise every real position is masked
     * independently with probability {@code maskRatio} (and, with {@code atLeastOneMask}, a row without a mask
     * masks its last item). Of the masked positions, the first is dropped unless {@code scoreFirstPosition}, and at
     * most {@link BERT4RecConfig#predictionCap()} (the last ones) are scored; unscored masked positions stay
     * masked. Padding is never masked.
     *
     * @param batch training batch (inputs, and targets when {@code clozeTarget})
     * @param c the configuration
     * @param numItems N (the [mask] id is N+1)
     * @param rng the random stream
     * @return the masked rows and the scored targets
     */
    public static Cloze cloze(Batch batch, BERT4RecConfig c, int numItems, SplittableRandom rng) {
        int t = c.maxLen();
        int bsz = batch.size();
        int mask = numItems + 1;
        int cap = c.predictionCap();
        boolean lastOnly = c.lastOnlyRatio() > 0 && rng.nextDouble() < c.lastOnlyRatio();
        int[][] items = new int[bsz][t];
        int[][] targets = new int[bsz][t];
        int[] lengths = new int[bsz];
        for (int b = 0; b < bsz; b++) {
            int[] seq = sequence(batch, b, c.clozeTarget(), t);
            int l = seq.length;
            boolean[] masked = new boolean[l];
            int count = 0;
            if (l > 0) {
                if (lastOnly) {
                    masked[l - 1] = true;
                    count = 1;
                } else {
                    for (int i = 0; i < l; i++) {
                        masked[i] = rng.nextDouble() < c.maskRatio();
                        count += masked[i] ? 1 : 0;
                    }
                    if (count == 0 && c.atLeastOneMask()) {
                        masked[l - 1] = true;
                        count = 1;
                    }
                }
            }
            int skip = cap > 0 ? Math.max(0, count - cap) : 0; // keep the last `cap` masked positions
            int off = batch.padding() == Padding.RIGHT ? 0 : t - l;
            for (int i = 0; i < l; i++) {
                items[b][off + i] = masked[i] ? mask : seq[i];
                if (masked[i]) {
                    boolean scored = skip == 0 && (i > 0 || c.scoreFirstPosition());
                    if (skip > 0) {
                        skip--;
                    }
                    if (scored) {
                        targets[b][off + i] = seq[i];
                    }
                }
            }
            lengths[b] = l;
        }
        return new Cloze(items, lengths, targets, batch.padding());
    }

    /**
     * Runs the bidirectional encoder on rows (in the configured layout) and returns the states at given positions.
     *
     * @param in encoder rows
     * @param rows row of each read position
     * @param cols position of each read position
     * @param training whether dropout is active
     * @return {@code [K, d]}
     */
    NDArray hiddenAt(Batch in, int[] rows, int[] cols, boolean training) {
        Packing p = Packing.bidirectional(params().manager(), in, config.transformer().packed());
        NDArray h = encoder.encode(in, p, training);
        long[] slots = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            slots[i] = p.slot(rows[i], cols[i]);
        }
        return p.gather(h, slots);
    }

    /**
     * All hidden states of rows, padded {@code [B, T, d]} (tests).
     *
     * @param in encoder rows
     * @param training whether dropout is active
     * @return the states
     */
    NDArray hidden(Batch in, boolean training) {
        Packing p = Packing.bidirectional(params().manager(), in, config.transformer().packed());
        return p.unpack(encoder.encode(in, p, training));
    }

    /** @return the output head applied to states {@code [K, d]} (identity without a head) */
    private NDArray head(NDArray h) {
        return head == null ? h : headNorm.forward(ActivationFn.GELU.apply(head.forward(h)));
    }

    /**
     * Logits over the item rows 0..N for output states.
     *
     * @param h states {@code [K, d]}
     * @return {@code [K, N+1]}
     */
    NDArray logits(NDArray h) {
        NDArray table = encoder.itemEmbedding().get(new NDIndex("0:" + (numItems() + 1)));
        NDArray l = head(h).matMul(table.transpose());
        return bias == null ? l : l.add(bias);
    }

    /**
     * Mean cross-entropy of logits over the rows 0..N against targets, with row 0 dropped from the softmax unless
     * {@code includePaddingRow}.
     *
     * @param logits {@code [K, N+1]}
     * @param targets K targets in 1..N
     * @param includePaddingRow whether row 0 is a class
     * @return scalar loss
     */
    static NDArray crossEntropy(NDArray logits, long[] targets, boolean includePaddingRow) {
        NDArray l = includePaddingRow ? logits : logits.get(new NDIndex(":, 1:"));
        long[] cols = new long[targets.length];
        for (int i = 0; i < cols.length; i++) {
            if (targets[i] < 1 || targets[i] >= logits.getShape().get(1)) {
                throw new IllegalArgumentException("target " + targets[i] + " at index " + i
                        + " is not an item id in 1.." + (logits.getShape().get(1) - 1));
            }
            cols[i] = includePaddingRow ? targets[i] : targets[i] - 1;
        }
        NDArray idx = logits.getManager().create(cols, new Shape(cols.length, 1));
        return l.logSoftmax(1).gather(idx, 1).mean().neg();
    }

    /**
     * The Cloze loss of a masked batch.
     *
     * @param z the masked batch
     * @param users user ids of the rows
     * @return scalar loss
     */
    NDArray clozeLoss(Cloze z, int[] users) {
        int n = z.scored();
        if (n == 0) {
            return Ops.scale(encoder.itemEmbedding().get(new NDIndex("0:1")).sum(), 0.0);
        }
        int[] rows = new int[n];
        int[] cols = new int[n];
        long[] targets = new long[n];
        int k = 0;
        for (int b = 0; b < z.targets().length; b++) {
            for (int q = 0; q < z.targets()[b].length; q++) {
                if (z.targets()[b][q] != 0) {
                    rows[k] = b;
                    cols[k] = q;
                    targets[k] = z.targets()[b][q];
                    k++;
                }
            }
        }
        NDArray h = hiddenAt(z.input(users), rows, cols, true);
        return crossEntropy(logits(h), targets, config.includePaddingRow());
    }

    @Override
    public NDArray loss(Batch batch, StepContext ctx) {
        return clozeLoss(cloze(batch, config, numItems(), ctx.rng()), batch.users());
    }

    /**
     * The scoring rows of histories and the position of each row that is read (baselines.md §5, inference).
     *
     * @param batch histories (the most recent T items of each)
     * @return the rows (T wide, T+1 for {@link BERT4RecConfig.Inference#RECBOLE_V1}); see {@link #readPositions}
     */
    Batch scoringRows(Batch batch) {
        int t = config.maxLen();
        int width = config.positions();
        int bsz = batch.size();
        int[][] items = new int[bsz][];
        int[] lengths = new int[bsz];
        for (int b = 0; b < bsz; b++) {
            int[] h = realItems(batch, b);
            int[] seq = switch (config.inference()) {
                case MASK_APPENDED -> withMask(h, Math.max(0, h.length - (t - 1)));
                case RECBOLE_V1 -> withMask(h, Math.max(0, h.length - t));
                case RECBOLE_HEAD -> withMask(h, Math.min(h.length, Math.max(1, h.length - t + 1)));
            };
            items[b] = Batch.pad(seq, 0, seq.length, width, batch.padding());
            lengths[b] = seq.length;
        }
        return new Batch(items, null, null, lengths, batch.users(), batch.padding());
    }

    private int[] withMask(int[] h, int from) {
        int[] s = new int[h.length - from + 1];
        System.arraycopy(h, from, s, 0, h.length - from);
        s[s.length - 1] = maskId;
        return s;
    }

    /**
     * The read position of each scoring row: the [mask] (the last real position), or for
     * {@link BERT4RecConfig.Inference#RECBOLE_V1} the position before it (the last real item).
     *
     * @param rows scoring rows from {@link #scoringRows}
     * @return one position per row
     */
    int[] readPositions(Batch rows) {
        int[] r = new int[rows.size()];
        for (int b = 0; b < r.length; b++) {
            int at = rows.lastIndex(b);
            r[b] = config.inference() == BERT4RecConfig.Inference.RECBOLE_V1 && rows.lengths()[b] > 1 ? at - 1 : at;
        }
        return r;
    }

    @Override
    public NDArray scoreAll(Batch batch) {
        Batch rows = scoringRows(batch);
        int[] idx = new int[rows.size()];
        for (int b = 0; b < idx.length; b++) {
            idx[b] = b;
        }
        return logits(hiddenAt(rows, idx, readPositions(rows), false));
    }
}
