/**
 * Small utilities: atomic file writes.
 */
package io.seqcl.util;
