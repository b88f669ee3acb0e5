/**
 * The seqcl command line (quickstart, bench, datasets, models).
 */
package io.seqcl.cli;
