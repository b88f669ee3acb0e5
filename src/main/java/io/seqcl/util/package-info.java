/**
 * Small utilities: atomic file writes, length-prefixed strings in binary files.
 */
package io.seqcl.util;
