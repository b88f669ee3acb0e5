/**
 * Benchmarks that print measured timings (not tests).
 */
package io.seqcl.bench;
