/**
 * Checkpoint import: reading PyTorch state dicts ({@code .pth} written by {@code torch.save}, zip format of
 * torch &gt;= 1.6) and safetensors files into a {@link io.seqcl.checkpoint.StateDict}, and loading RecBole-family
 * SASRec checkpoints (RecBole SASRec, CL4SRec, DuoRec, MCLRec) into seqcl's models through a documented name map
 * ({@link io.seqcl.checkpoint.RecBoleNames}, {@link io.seqcl.checkpoint.CheckpointImport}).
 */
package io.seqcl.checkpoint;
