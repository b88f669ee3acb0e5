/**
 * Experiments as data: specs, budgets, the model registry, the runner and results with provenance.
 */
package io.seqcl.experiment;
