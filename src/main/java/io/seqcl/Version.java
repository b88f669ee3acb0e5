package io.seqcl; public final class Version { public static final String V = "0.1.0"; private Version(){} }
