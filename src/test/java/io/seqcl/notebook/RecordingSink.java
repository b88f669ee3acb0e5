package io.seqcl.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A DisplaySink that records what a notebook front end would receive. */
final class RecordingSink implements DisplaySink {

    /** One display or update. */
    record Event(String kind, String id, Map<String, String> bundle) { }

    final List<Event> events = new ArrayList<>();
    private int next;

    @Override
    public String display(Map<String, String> bundle) {
        String id = "d" + (++next);
        events.add(new Event("display", id, bundle));
        return id;
    }

    @Override
    public void update(String displayId, Map<String, String> bundle) {
        events.add(new Event("update", displayId, bundle));
    }

    long count(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).count();
    }

    Event last() {
        return events.get(events.size() - 1);
    }
}
