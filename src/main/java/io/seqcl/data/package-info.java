/**
 * Datasets: loaders for sequence text files ({@link io.seqcl.data.SequenceFiles}) and RecBole {@code .inter}
 * files ({@link io.seqcl.data.InterFiles}), the benchmark registry ({@link io.seqcl.data.Benchmark}) with
 * checksum and count verification, filters ({@link io.seqcl.data.Filters}), statistics
 * ({@link io.seqcl.data.DatasetStats}), a synthetic generator ({@link io.seqcl.data.SyntheticDataset}) and the
 * {@link io.seqcl.data.Datasets} facade. Conventions follow common.md §1 (items {@code 1..N}, 0 = padding).
 */
package io.seqcl.data;
