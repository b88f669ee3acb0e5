package io.seqcl.notebook;

import java.util.Map;

/**
 * Where rich output goes: a Jupyter front end that understands MIME bundles and display ids.
 *
 * <p>The only production implementation is {@link KernelBridge}; tests use a recording sink.
 */
interface DisplaySink {

    /**
     * Shows a new output.
     *
     * @param bundle MIME type to content (text for text types, base64 for images), insertion-ordered
     * @return the display id, usable with {@link #update(String, Map)}
     */
    String display(Map<String, String> bundle);

    /**
     * Replaces the content of an output shown earlier, in place.
     *
     * @param displayId the id {@link #display(Map)} returned
     * @param bundle the new content
     */
    void update(String displayId, Map<String, String> bundle);
}
