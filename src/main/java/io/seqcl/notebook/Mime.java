package io.seqcl.notebook;

/** The MIME types this package sends. */
final class Mime {
    static final String TEXT = "text/plain";
    static final String HTML = "text/html";
    static final String PNG = "image/png";

    private Mime() { }
}
