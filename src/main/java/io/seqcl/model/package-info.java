/**
 * The model contract SequentialRecommender and its implementations (Pop, SASRec).
 */
package io.seqcl.model;
