/**
 * Configuration files: strict JSON / YAML reading and writing of seqcl's immutable configuration records, key-path
 * changes ({@code --set encoder.maxLen=50}) and error messages that name the file, line, key and allowed values.
 */
package io.seqcl.config;
