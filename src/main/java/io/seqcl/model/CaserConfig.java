package io.seqcl.model;

import io.seqcl.loss.FullSoftmaxCrossEntropy;
import io.seqcl.loss.RecLoss;
import io.seqcl.protocol.Padding;
import io.seqcl.protocol.SampleMode;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * Configuration of {@link Caser}. {@link #defaults()} is seqcl's clean default (baselines.md section 4 choices):
 * the paper's window L 5 (the last 5 items of each prefix, front-padded with a fixed zero row), RecBole HEAD's
 * d 64, n_v 4, n_h 8, dropout 0.4, unsquared-L2 regulariser 1e-4, RecBole's tied output head with full-softmax
 * cross-entropy without the padding row. {@link #paperTable()} is the RecBole v1.0.0 / DuoRec-fork lineage that
 * MCLRec's table most likely used: L = T = 50 over the right-padded input (the vertical kernel spans padding
 * too), n_v 8, n_h 16, the padding row a fixed random vector and a softmax class.
 *
 * @param windowLength L: the number of most recent items the convolutions see (also the input length T)
 * @param embeddingSize d of the item and user tables
 * @param verticalFilters n_v (0 = no vertical convolution)
 * @param horizontalFilters n_h per height 1..L (0 = no horizontal convolution)
 * @param dropout dropout on the concatenated convolution outputs
 * @param regWeight lambda of RecBole's regulariser {@code lambda (sum of unsquared L2 norms)}; 0 disables it
 * @param padding LEFT: the window ends at the last item and is padded at the front (paper); RIGHT: RecBole
 * @param zeroPadding whether padding positions embed to zero (true) or to the item table's row 0, which gets no
 *                    gradient from the inputs (RecBole's {@code padding_idx} after a random init)
 * @param loss the next-item loss on the last position
 */
@RecordBuilder
public record CaserConfig(int windowLength, int embeddingSize, int verticalFilters, int horizontalFilters,
                          double dropout, double regWeight, Padding padding, boolean zeroPadding, RecLoss loss)
        implements ModelConfig, CaserConfigBuilder.With {

    /** Validates the fields. */
    public CaserConfig {
        if (windowLength < 1) {
            throw new IllegalArgumentException("windowLength must be >= 1, got " + windowLength);
        }
        Checks.positive("embeddingSize", embeddingSize);
        if (verticalFilters < 0 || horizontalFilters < 0 || verticalFilters + horizontalFilters < 1) {
            throw new IllegalArgumentException("verticalFilters and horizontalFilters must be >= 0 and not both 0, got "
                    + verticalFilters + ", " + horizontalFilters);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        Checks.weight("regWeight", regWeight);
        Checks.notNull("padding", padding);
        Checks.notNull("loss", loss);
    }

    /** @return seqcl's default: L 5, d 64, n_v 4, n_h 8, dropout 0.4, reg 1e-4, front padding with a zero row */
    public static CaserConfig defaults() {
        return new CaserConfig(5, 64, 4, 8, 0.4, 1e-4, Padding.LEFT, true, new FullSoftmaxCrossEntropy(false));
    }

    /** @return RecBole v1.0.0 / DuoRec fork: L = T = 50, n_v 8, n_h 16, right padding, row 0 a softmax class */
    public static CaserConfig paperTable() {
        return new CaserConfig(50, 64, 8, 16, 0.4, 1e-4, Padding.RIGHT, false, new FullSoftmaxCrossEntropy(true));
    }

    /** @return the width of the first fully connected layer's input, {@code n_v d + L n_h} */
    public int fcInputSize() {
        return verticalFilters * embeddingSize + windowLength * horizontalFilters;
    }

    @Override
    public InputSpec inputSpec() {
        return new InputSpec(windowLength, padding, SampleMode.PREFIX, loss.needsNegatives());
    }
}
