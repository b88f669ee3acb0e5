package io.seqcl.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperatorProfileTest {

    @Test
    void selfTimeIsDurationLessDirectCallees(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // thread 1: mm [0,10] calls add [1,4] and mm [5,8], which calls fill [6,7]; thread 2: add [0,3]
        String json = "{\"traceEvents\": ["
                + ev("aten::mm", 0, 10, 1) + "," + ev("aten::add", 1, 3, 1) + "," + ev("aten::mm", 5, 3, 1) + ","
                + ev("aten::fill_", 6, 1, 1) + "," + ev("aten::add", 0, 3, 2) + ","
                + "{\"name\": \"meta\", \"ph\": \"M\"}]}";
        Path f = dir.resolve("trace.json");
        Files.writeString(f, json);
        OperatorProfile p = OperatorProfile.read(f);
        Map<String, OperatorProfile.Operator> by = p.operators().stream()
                .collect(Collectors.toMap(OperatorProfile.Operator::name, Function.identity()));
        assertEquals(10 - 3 - 3 + (3 - 1), by.get("aten::mm").selfMicros(), 1e-9);
        assertEquals(10, by.get("aten::mm").totalMicros(), 1e-9, "a call nested in a call of the same name counts once");
        assertEquals(2, by.get("aten::mm").calls());
        assertEquals(6, by.get("aten::add").selfMicros(), 1e-9);
        assertEquals(1, by.get("aten::fill_").selfMicros(), 1e-9);
        assertEquals(13, p.traced(), 1e-9, "self times add up to the top-level durations of both threads");
        assertEquals("aten::add", p.operators().get(0).name());
        String table = p.table(2, 1);
        assertTrue(table.contains("0.0 ms self time") && table.contains("aten::add"), table);
        Files.writeString(f, "{\"other\": 1}");
        assertThrows(java.io.IOException.class, () -> OperatorProfile.read(f));
    }

    private static String ev(String name, double ts, double dur, int tid) {
        return String.format(java.util.Locale.ROOT,
                "{\"name\": \"%s\", \"ph\": \"X\", \"ts\": %s, \"dur\": %s, \"tid\": %d, \"pid\": \"CPU\"}",
                name, ts, dur, tid);
    }
}
