/**
 * Sequence augmentations of the contrastive sequential recommenders (CL4SRec, MCLRec, CoSeRec): crop, mask,
 * reorder, insert, substitute, a random-choice composite, the "two distinct operators" pair of CL4SRec/MCLRec,
 * and {@link io.seqcl.augment.BatchViews}, which applies them to the rows of a padded batch.
 *
 * <p>Every operator takes the real items of one sequence (chronological, no padding), returns a new array and
 * draws all randomness from the given {@link java.util.SplittableRandom} (the trainer's seeded step stream,
 * {@code StepContext.rng()}); stored training data are never modified (cl4srec_duorec.md §1).
 */
package io.seqcl.augment;
