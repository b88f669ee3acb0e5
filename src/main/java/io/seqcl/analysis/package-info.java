/** Analyses of trained models: 2-D projections of embeddings and their geometry. */
package io.seqcl.analysis;
