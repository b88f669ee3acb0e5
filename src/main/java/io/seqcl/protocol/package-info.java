/**
 * Leave-one-out splits, training-sample conventions (prefix expansion, all positions) and padded batches (common.md sections 2-4).
 */
package io.seqcl.protocol;
