package io.seqcl.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/**
 * One small generic mechanism for immutable records: a copy with one component replaced, through the record's
 * canonical constructor (so the record's own validation runs).
 */
public final class Records {

    private Records() {
    }

    /**
     * A copy of a record with one component replaced.
     *
     * @param record the record
     * @param component the component name
     * @param value the new value (boxed for primitives)
     * @param <R> the record type
     * @return the validated copy
     * @throws IllegalArgumentException if the record has no such component, or the record rejects the value
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R with(R record, String component, Object value) {
        RecordComponent[] comps = record.getClass().getRecordComponents();
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        boolean found = false;
        try {
            for (int i = 0; i < comps.length; i++) {
                types[i] = comps[i].getType();
                if (comps[i].getName().equals(component)) {
                    args[i] = value;
                    found = true;
                } else {
                    comps[i].getAccessor().setAccessible(true);
                    args[i] = comps[i].getAccessor().invoke(record);
                }
            }
            if (!found) {
                throw new IllegalArgumentException(record.getClass().getSimpleName() + " has no component '"
                        + component + "'");
            }
            Constructor<?> c = record.getClass().getDeclaredConstructor(types);
            c.setAccessible(true);
            return (R) c.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + record.getClass().getName() + ": " + e, e);
        }
    }
}
