/**
 * Building blocks on DJL NDArrays: parameter store, Adam, dense and norm layers, multi-head attention and Transformer stacks (sasrec_backbone.md).
 */
package io.seqcl.nn;
