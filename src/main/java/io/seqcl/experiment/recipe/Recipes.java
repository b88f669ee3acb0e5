package io.seqcl.experiment.recipe;

import io.seqcl.experiment.ContrastVAEExperiments;
import io.seqcl.experiment.MCLRecExperiments;
import io.seqcl.experiment.MetaSGCLExperiments;
import io.seqcl.experiment.RecordedResults;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The recipe of every paper notebook ({@link Recipe}): Meta-SGCL (Hao et al., arXiv 2310.13925; experiments.md
 * section A), MCLRec (Qin et al., SIGIR'23; section B) and AdvInfoNCE (Zhang et al., NeurIPS'23; section C).
 * Dataset lists are the ones each figure or table of the paper shows (experiments.md section 0), so that the
 * full budget runs every one of them.
 *
 * <p>Recorded full-budget runs ({@link Recipe#recorded()}, {@link RecordedResults}): Meta-SGCL Table II and the
 * ContrastVAE comparison read {@code notebooks/results/metasgcl/table2-*}, MCLRec Table 3
 * {@code notebooks/results/mclrec/table3-*}, AdvInfoNCE every experiment in {@code notebooks/results/advinfonce/};
 * the other recipes name none (their notebooks say so).
 */
public final class Recipes {

    private static final String METASGCL = "Meta-SGCL (Hao et al., arXiv 2310.13925)";
    private static final String MCLREC = "MCLRec (Qin et al., SIGIR'23)";
    private static final String CONTRASTVAE = "ContrastVAE (Wang et al., CIKM'22)";
    private static final List<String> MS3 = MetaSGCLExperiments.DATASETS;
    private static final List<String> MS2 = List.of("clothing", "toys");
    /**
     * Rows of the recorded Table II (table2-toys.yaml) compared with a paper row of another name: Meta-SGCL with the
     * paper's stage-2 loss (issue 12 item 6), with the KL over real positions or over all slots, and with stage 2 on
     * FULL and the KL over all slots, with the paper's Meta-SGCL row, as the first FULL row is; ContrastVAE's packed
     * near-equivalent of its code (the real positions' terms, KL over all slots) with the paper's ContrastVAE row.
     */
    static final Map<String, String> TABLE2_ROWS = Map.of("Meta-SGCL (stage 2 on L_cl)", "Meta-SGCL",
            "Meta-SGCL (stage 2 on L_cl, KL over slots)", "Meta-SGCL",
            "Meta-SGCL (stage 2 FULL, KL over slots)", "Meta-SGCL",
            "ContrastVAE (real positions, KL over slots)", "ContrastVAE");
    private static final List<String> MC3 = MCLRecExperiments.DATASETS;
    private static final List<String> MC2 = List.of("sports", "yelp");
    private static final String MSQ = MetaSGCLExperiments.QUICK_DATASET;
    private static final String MCQ = MCLRecExperiments.QUICK_DATASET;

    /** Meta-SGCL Table II: overall comparison. */
    public static final Recipe METASGCL_TABLE2 = new Recipe("metasgcl/01-overall-table2", METASGCL, "Table II",
            "Meta-SGCL beats every baseline on Clothing, Toys and ML-1M on HR@5/10 and NDCG@5/10, by 2-26 % over "
                    + "the best baseline (DuoRec on Clothing and ML-1M, ContrastVAE on Toys).",
            MS3, MSQ, false, null,
            "at the full budget, Meta-SGCL's row is the best of our rows on every dataset and metric, by more than "
                    + "the spread between seeds",
            "a baseline (SASRec, DuoRec or ContrastVAE) matches or beats Meta-SGCL on a dataset beyond the seed "
                    + "spread; or our SASRec is far from the paper's SASRec (then the protocols differ)",
            List.of("Change the seed (`seed = 2021`) and rerun: how far do the numbers move? A difference between "
                            + "two models smaller than that move says nothing.",
                    "Set `SEQCL_QUICK_USERS=500` before starting Jupyter: which models still beat Pop with a sixth of the users?",
                    "Run with `SEQCL_DATASETS=ml-1m` (longer sequences, T = 200 at the full budget): which model "
                            + "profits most from long histories?"))
            .withRecorded(RecordedResults.Source.table("Meta-SGCL Table II", "metasgcl/table2-*", "metasgcl", "II",
                    "test").withPaperNames(TABLE2_ROWS));

    /** Meta-SGCL Fig. 3: meta two-step (stage 2 on L and on L_cl) vs joint training. */
    public static final Recipe METASGCL_FIG3 = new Recipe("metasgcl/02-meta-vs-joint-fig3", METASGCL, "Fig. 3",
            "The meta-optimised two-step schedule beats joint learning of all parameters on all three datasets.",
            MS3, MSQ, false, null,
            "a meta variant ends with a higher test NDCG@10 and HR@10 than the joint one on every dataset, by "
                    + "more than the seed spread; the row with the paper's stage-2 loss L_cl is the paper's setting",
            "joint learning is as good or better on a dataset, or a meta variant is better only in the first "
                    + "epochs and the curves cross later; with stage 2 on the full L, meta and joint differ only by "
                    + "the updated weights and fresh noise, so a gap there would need explaining",
            List.of("Change the seed and rerun: is the order of the three rows stable?",
                    "Run `SEQCL_DATASETS=clothing`: is the gap larger on the sparser dataset?",
                    "Compare the training-loss curves: does the meta variant's loss fall faster, or only its "
                            + "validation NDCG rise?"));

    /** Meta-SGCL Table III: ablation. */
    public static final Recipe METASGCL_TABLE3 = new Recipe("metasgcl/03-ablation-table3", METASGCL, "Table III",
            "Both parts matter: removing the contrastive term (-cl) or the KL term (-kl) lowers every metric, and "
                    + "removing both (-clkl, plain SASRec) lowers them most.",
            MS3, MSQ, false, null,
            "full > -cl and full > -kl > -clkl on every dataset, with the gaps above the seed spread",
            "-cl or -kl matches the full model (the term adds nothing), or -clkl (SASRec) is not the worst",
            List.of("Change the seed: which of the paper's orderings survive?",
                    "Run `SEQCL_DATASETS=ml-1m`: the paper's largest gaps are on ML-1M; are ours?",
                    "In `MetaSGCLConfig`, halve the contrastive weight α (`withAlpha`) of the full model through an "
                            + "experiment file (`seqcl run`): is the full model then closer to -cl?"));

    /** Meta-SGCL Fig. 4 and Tables IV-VII: hyper-parameters. */
    public static final Recipe METASGCL_FIG4 = new Recipe("metasgcl/04-hyperparameters-fig4-tables4-7", METASGCL,
            "Fig. 4, Tables IV-VII",
            "Meta-SGCL is best near α = 0.03 (large α hurts), β rises then falls, d = 64, 2 heads, τ = 1, dropout "
                    + "0.2 and the dot product; the spread over each grid is small (a few % relative).",
            MS2, MSQ, true, null,
            "each curve peaks at or next to the paper's chosen value, and the paper's chosen value is within the "
                    + "seed spread of our best value",
            "a curve is monotone across the whole grid (the optimum lies outside it) or peaks far from the paper's "
                    + "choice on both datasets",
            List.of("In the sweep cell, run only `MetaSGCLExperiments.Param.TEMPERATURE`: are the differences "
                            + "between τ values larger than a seed change?",
                    "Run `SEQCL_DATASETS=clothing`: does the best β move to 0.3, as the paper chose for Clothing?",
                    "Compare the `x` of the best NDCG@10 per parameter with the paper's table (`paper` column)."));

    /** Meta-SGCL Fig. 5: noise robustness. */
    public static final Recipe METASGCL_FIG5 = new Recipe("metasgcl/05-noise-robustness-fig5", METASGCL, "Fig. 5",
            "All models degrade as 10-50 % random items are added to the training sequences; self-supervised "
                    + "models degrade less than SASRec, and Meta-SGCL with 10 % noise still beats the others without "
                    + "noise.",
            List.of("toys", "clothing"), MSQ, true,
            new Recipe.Grid("noise ratio", new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5}, new double[] {0, 0.2, 0.5}),
            "every curve falls with the ratio, SASRec's falls fastest, and Meta-SGCL at 0.1 is above the other "
                    + "models at 0",
            "a curve rises with noise beyond the seed spread, or SASRec degrades less than the contrastive models",
            List.of("Change the noise seed (`seed`) and rerun: how noisy is each point of the curve?",
                    "Compare the two modes: is noise in the training histories or in the test inputs worse?",
                    "Run `SEQCL_DATASETS=clothing`: is the ranking of the models the same?"));

    /** Meta-SGCL Fig. 6: item embeddings in 2-D. */
    public static final Recipe METASGCL_FIG6 = new Recipe("metasgcl/06-embeddings-fig6", METASGCL, "Fig. 6",
            "SASRec's item embeddings crowd into a narrow cone where popular and rare items separate, while "
                    + "Meta-SGCL's spread more uniformly over the space.",
            MS3, MSQ, false,
            new Recipe.Grid("items plotted", new double[] {2000}, new double[] {500}),
            "Meta-SGCL has the lower mean cosine and uniformity loss, and its t-SNE map mixes popularity groups "
                    + "more evenly than SASRec's",
            "Meta-SGCL's mean cosine is as high as SASRec's, or its map shows the same popularity bands",
            List.of("Switch the map to PCA (`Map2D.PCA` in the embedding cell): which geometry survives a linear "
                            + "projection?",
                    "Map 200 items instead of the recipe's number (`recipe.ints(budget)[0]` -> `200`): which "
                            + "structures survive in a smaller sample?",
                    "Run `SEQCL_DATASETS=ml-1m`: with few items and dense data, is the cone still there?"));

    /** MCLRec Table 3: overall comparison. */
    public static final Recipe MCLREC_TABLE3 = new Recipe("mclrec/01-overall-table3", MCLREC, "Table 3",
            "MCLRec beats all twelve baselines on Sports, Beauty and Yelp on HR and NDCG at 5, 10 and 20, by "
                    + "2.5-8.4 % over the best baseline (DuoRec almost everywhere).",
            MC3, MCQ, false, null,
            "at the full budget MCLRec's row is our best on every dataset and metric, and the imported checkpoint "
                    + "reproduces the paper's MCLRec Beauty row",
            "DuoRec or CL4SRec matches MCLRec beyond the seed spread, or the checkpoint does not reproduce the "
                    + "paper's row (then our evaluation differs from theirs)",
            List.of("Change the seed and rerun: are the gaps between the contrastive models larger than the move?",
                    "Run `SEQCL_DATASETS=yelp`: DuoRec is far ahead of CL4SRec in the paper on Yelp; is it here?",
                    "Set `SEQCL_QUICK_USERS=1000`: which models still beat Pop with fewer users, and does the order change?"))
            .withRecorded(RecordedResults.Source.table("MCLRec Table 3", "mclrec/table3-*", "mclrec", "3", "test"));

    /** MCLRec Table 4: ablation. */
    public static final Recipe MCLREC_TABLE4 = new Recipe("mclrec/02-ablation-table4", MCLREC, "Table 4",
            "Every component helps: without L_cl2 (= CL4SRec) the model loses most, without R or with a shared "
                    + "augmenter it loses a little, and without L_cl1 it loses least (nothing on Beauty, where λ = 0).",
            MC3, MCQ, false, null,
            "(A) is best; (C) is clearly worst; (B), (D), (E) fall between; (B) equals (A) on Beauty",
            "(C) is as good as (A) (the learned views add nothing), or (D)/(E) beat (A) beyond the seed spread",
            List.of("Change the seed: which rows keep their order?",
                    "Run `SEQCL_DATASETS=sports`: with λ = 0.04 does (B) now differ from (A)?",
                    "Compare (C) with CL4SRec's row in notebook 01: the paper's (C) equals CL4SRec on Sports and "
                            + "Yelp."));

    /** MCLRec Fig. 3: meta vs joint. */
    public static final Recipe MCLREC_FIG3 = new Recipe("mclrec/03-meta-vs-joint-fig3", MCLREC, "Fig. 3",
            "MCLRec (meta-optimised) > MCLRec-J (joint) > CL4SRec and DuoRec on all three datasets.",
            MC3, MCQ, false, null,
            "the four bars keep this order on every dataset, with gaps above the seed spread",
            "MCLRec-J matches MCLRec (meta-optimisation adds nothing) or falls below CL4SRec/DuoRec",
            List.of("Change the seed: is MCLRec > MCLRec-J stable?",
                    "Run `SEQCL_DATASETS=sports,yelp`: is the order the same on all datasets?",
                    "Look at the training curves: does the meta schedule reach its best validation MRR in fewer "
                            + "epochs?"));

    /** MCLRec Fig. 4: batch size. */
    public static final Recipe MCLREC_FIG4 = new Recipe("mclrec/04-batch-size-fig4", MCLREC, "Fig. 4",
            "Contrastive models improve with larger batches (more in-batch negatives), but MCLRec with batch 64 "
                    + "already beats CL4SRec and DuoRec with batch 256.",
            MC2, MCQ, true,
            new Recipe.Grid("batch size", new double[] {64, 128, 256}, new double[] {64, 256}),
            "MCLRec's point at 64 is above the other models' points at 256",
            "MCLRec at 64 is below another model at 256, or no model improves with the batch size",
            List.of("Change the seed: how large is the seed spread compared with the batch effect?",
                    "Run `SEQCL_DATASETS=yelp`: is the claim the same on the second dataset?",
                    "At the quick budget a larger batch means fewer steps per epoch: which effect do you see?"));

    /** MCLRec Fig. 6: lambda and beta. */
    public static final Recipe MCLREC_FIG6 = new Recipe("mclrec/05-lambda-beta-fig6", MCLREC, "Fig. 6",
            "MCLRec is sensitive to λ and β: each dataset has its own best pair (Sports β 0.4 λ 0.04, Beauty β 0.05 "
                    + "λ 0, Yelp β 0.1 λ 0.03) and large weights hurt.",
            MC3, MCQ, true,
            new Recipe.Grid("weight", MCLRecExperiments.GRID, new double[] {0.01, 0.5}),
            "the best value of each curve is at or next to the paper's choice for the dataset",
            "the curves are flat within the seed spread (the weights do not matter) or peak far from the paper's "
                    + "choice",
            List.of("Run `SEQCL_DATASETS=sports`: is the best β near 0.4?",
                    "Change the seed: do the two quick points keep their order?",
                    "Which weight moves NDCG@20 more, λ or β?"));

    /** MCLRec Fig. 7: noise in the test inputs. */
    public static final Recipe MCLREC_FIG7 = new Recipe("mclrec/06-test-noise-fig7", MCLREC, "Fig. 7",
            "All models degrade when random items are inserted into the test inputs, and MCLRec with 15 % noise is "
                    + "still better than the other models without noise.",
            MC2, MCQ, true,
            new Recipe.Grid("noise ratio", new double[] {0, 0.05, 0.1, 0.15, 0.2, 0.3}, new double[] {0, 0.15, 0.3}),
            "every curve falls; MCLRec at 0.15 is above every other model at 0",
            "MCLRec falls faster than the others, or its 0.15 point is below another model's 0 point",
            List.of("Change the seed (it also seeds the noise): how smooth are the curves?",
                    "Run `SEQCL_DATASETS=yelp`: is MCLRec as robust on longer sequences?",
                    "Compare with Meta-SGCL's notebook 05 (noise in training histories): which kind hurts more?"));

    /** MCLRec Fig. 8: user groups. */
    public static final Recipe MCLREC_FIG8 = new Recipe("mclrec/07-user-groups-fig8", MCLREC, "Fig. 8",
            "MCLRec beats SASRec and CL4SRec in every user group (sequence length = 5, 6-8, > 8); its gain over "
                    + "DuoRec comes mainly from the short group.",
            MC2, MCQ, true, null,
            "MCLRec is on top in each group, and its lead over DuoRec is largest for length 5",
            "MCLRec loses to SASRec or CL4SRec in a group, or its lead over DuoRec is largest for long sequences",
            List.of("Change the seed: which group's numbers move most (fewest users)?",
                    "Run `SEQCL_DATASETS=yelp`: is the short-group gain still there?",
                    "The paper trains per group; we train once and evaluate per group. Which would you expect to "
                            + "favour short sequences?"));

    /** MCLRec Figs. 2 and 5: the learned views in 2-D. */
    public static final Recipe MCLREC_FIG2_5 = new Recipe("mclrec/08-learned-views-fig2-fig5", MCLREC,
            "Figs. 2 and 5",
            "Without the regulariser R (Fig. 2) or with joint learning (Fig. 5) the two learned views collapse onto "
                    + "each other; with R and meta-optimisation the negative pairs scatter and the positive pairs "
                    + "stay close.",
            MC2, MCQ, true,
            new Recipe.Grid("sequences plotted", new double[] {256}, new double[] {256}),
            "with R (and with the meta schedule) the ratio of negative-pair to positive-pair distance is larger "
                    + "than without R (with joint learning)",
            "the ratios are equal within the seed spread, or larger without R",
            List.of("Switch the map to PCA (`Map2D.PCA`): does the collapse show in a linear projection too?",
                    "Change the seed: how much does the distance ratio move?",
                    "Run `SEQCL_DATASETS=yelp`: the paper shows Sports and Yelp."));

    /** ContrastVAE against SASRec and Meta-SGCL (Meta-SGCL Table II, Toys). */
    public static final Recipe CONTRASTVAE_COMPARE = new Recipe("contrastvae/01-contrastvae-vs-sasrec-metasgcl",
            CONTRASTVAE, "Meta-SGCL Table II (Toys)",
            "ContrastVAE, a two-view sequential VAE trained with ContrastELBO, beats SASRec, and Meta-SGCL beats "
                    + "ContrastVAE (Meta-SGCL Table II, Toys: HR@10 0.0907 against 0.0760 and SASRec's 0.0652).",
            ContrastVAEExperiments.DATASETS, ContrastVAEExperiments.QUICK_DATASET, false, null,
            "on Toys at the full budget the order is Meta-SGCL > ContrastVAE > SASRec on every metric, beyond the "
                    + "seed spread",
            "ContrastVAE is not above SASRec, or it matches Meta-SGCL",
            List.of("Change the seed and rerun: is the order of the three models stable?",
                    "Run `SEQCL_DATASETS=toys`: the only dataset with the paper's numbers.",
                    "Compare the training curves: which model reaches its best validation NDCG@10 first?"))
            .withRecorded(RecordedResults.Source.table("Meta-SGCL Table II (ContrastVAE, SASRec, Meta-SGCL rows)",
                    "metasgcl/table2-*", "metasgcl", "II", "test").withPaperNames(TABLE2_ROWS));

    /** ContrastVAE: posterior collapse with and without the contrastive term. */
    public static final Recipe CONTRASTVAE_COLLAPSE = new Recipe("contrastvae/02-posterior-collapse", CONTRASTVAE,
            "ContrastVAE notes",
            "A sequential VAE suffers posterior collapse (the posterior matches the prior and the latent ignores "
                    + "the user), worst for long-tail items; the contrastive term of ContrastELBO prevents it.",
            ContrastVAEExperiments.DATASETS, ContrastVAEExperiments.QUICK_DATASET, false, null,
            "with the contrastive term the KL per user and the number of active units stay higher than without it, "
                    + "and the gap is largest for long-tail targets",
            "the two runs have the same KL and active units, or the contrastive run collapses as much",
            List.of("Change the seed: how much do KL and active units move?",
                    "Run `SEQCL_DATASETS=toys`: is the popular / long-tail gap the same?",
                    "At the full budget the KL weight anneals over 10,000 steps: at which epoch does the "
                            + "contrastive-free run start to collapse?"));

    /** AdvInfoNCE: the main comparison. */
    public static final Recipe ADVINFONCE = new Recipe("advinfonce/01-advinfonce",
            "AdvInfoNCE (Zhang et al., NeurIPS'23)", "main table",
            "AdvInfoNCE improves on InfoNCE for collaborative filtering, by up to 21.90 % Recall@20 and 24.14 % "
                    + "NDCG@20, most under popularity shift (out-of-distribution tests).",
            List.of("coat", "yahoo"), "coat,yahoo", false, null,
            "AdvInfoNCE beats both InfoNCE and the fair InfoNCE×k control on test_ood, for both backbones",
            "AdvInfoNCE beats InfoNCE but not InfoNCE×k (the gain is the weight k, not the learned hardness)",
            List.of("Run `SEQCL_DATASETS=coat`: one dataset, faster.",
                    "Change the seed: is AdvInfoNCE − InfoNCE×k larger than a seed change?",
                    "Look at the hardness table: are later-interacted items given lower δ (false negatives "
                            + "relaxed)?"))
            .withRecorded(RecordedResults.Source.headlineGain("AdvInfoNCE's headline gain over InfoNCE",
                    "advinfonce/*", "advinfonce", "headline", "up to", "AdvInfoNCE vs InfoNCE", "AdvInfoNCE",
                    "InfoNCE"));

    private static final List<Recipe> ALL = List.of(METASGCL_TABLE2, METASGCL_FIG3, METASGCL_TABLE3, METASGCL_FIG4,
            METASGCL_FIG5, METASGCL_FIG6, MCLREC_TABLE3, MCLREC_TABLE4, MCLREC_FIG3, MCLREC_FIG4, MCLREC_FIG6,
            MCLREC_FIG7, MCLREC_FIG8, MCLREC_FIG2_5, CONTRASTVAE_COMPARE, CONTRASTVAE_COLLAPSE, ADVINFONCE);

    private Recipes() {
    }

    /** @return every recipe, in notebook order */
    public static List<Recipe> all() {
        return ALL;
    }

    /**
     * The recipe of a notebook.
     *
     * @param notebook e.g. "mclrec/01-overall-table3" (with or without ".ipynb", with or without "notebooks/")
     * @return the recipe
     * @throws NoSuchElementException listing the known notebooks
     */
    public static Recipe of(String notebook) {
        String n = notebook.replaceFirst("^notebooks/", "").replaceFirst("\\.ipynb$", "");
        return ALL.stream().filter(r -> r.notebook().equals(n)).findFirst().orElseThrow(() ->
                new NoSuchElementException("no recipe for notebook '" + notebook + "'; known: "
                        + ALL.stream().map(Recipe::notebook).toList()));
    }
}
