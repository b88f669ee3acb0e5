/**
 * The model contract SequentialRecommender and its implementations (Pop, SASRec, Meta-SGCL, CL4SRec, DuoRec,
 * MCLRec) with their configuration records.
 */
package io.seqcl.model;
