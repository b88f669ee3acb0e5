package io.seqcl.cf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One model of a CF experiment: the popularity baseline, or a backbone trained with a loss. The configuration is
 * resolved per dataset and budget by {@link CfExperiment} ({@link CfConfig#paper}), then {@code tweak} is applied.
 *
 * @param name display name, e.g. "LightGCN+AdvInfoNCE"
 * @param pop true for the popularity baseline (backbone and loss are then ignored)
 * @param backbone the backbone
 * @param loss the loss
 * @param tweak changes applied to the resolved configuration (identity by default)
 */
public record CfModelSpec(String name, boolean pop, CfConfig.Backbone backbone, CfConfig.Loss loss,
                          UnaryOperator<CfConfig> tweak) {

    /** Validates. */
    public CfModelSpec {
        Objects.requireNonNull(name, "name");
        if (!pop && (backbone == null || loss == null)) {
            throw new IllegalArgumentException("a trained model needs a backbone and a loss: " + name);
        }
        tweak = tweak == null ? UnaryOperator.identity() : tweak;
    }

    /** @return the popularity baseline "Pop" */
    public static CfModelSpec popularity() {
        return new CfModelSpec("Pop", true, null, null, null);
    }

    /**
     * @param backbone MF or LightGCN
     * @param loss the loss
     * @return a spec named "Backbone+Loss"
     */
    public static CfModelSpec of(CfConfig.Backbone backbone, CfConfig.Loss loss) {
        return new CfModelSpec(label(backbone) + "+" + label(loss), false, backbone, loss, null);
    }

    /**
     * @param name a new display name
     * @param t changes to the resolved configuration (applied after the existing ones)
     * @return a copy
     */
    public CfModelSpec with(String name, UnaryOperator<CfConfig> t) {
        UnaryOperator<CfConfig> before = tweak;
        return new CfModelSpec(name, pop, backbone, loss, c -> t.apply(before.apply(c)));
    }

    /** @return Pop, then MF and LightGCN each with InfoNCE, InfoNCE×k and AdvInfoNCE */
    public static List<CfModelSpec> paperComparison() {
        List<CfModelSpec> out = new ArrayList<>();
        out.add(popularity());
        for (CfConfig.Backbone b : CfConfig.Backbone.values()) {
            for (CfConfig.Loss l : CfConfig.Loss.values()) {
                out.add(of(b, l));
            }
        }
        return List.copyOf(out);
    }

    /**
     * @param b a backbone
     * @return "MF" or "LightGCN"
     */
    public static String label(CfConfig.Backbone b) {
        return b == CfConfig.Backbone.MF ? "MF" : "LightGCN";
    }

    /**
     * @param l a loss
     * @return "InfoNCE", "InfoNCE×k" or "AdvInfoNCE"
     */
    public static String label(CfConfig.Loss l) {
        return switch (l) {
            case INFONCE -> "InfoNCE";
            case INFONCE_K -> "InfoNCE×k";
            case ADV_INFONCE -> "AdvInfoNCE";
        };
    }
}
