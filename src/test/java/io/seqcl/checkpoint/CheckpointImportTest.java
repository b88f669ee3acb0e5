package io.seqcl.checkpoint;

import ai.djl.ndarray.NDArray;
import io.seqcl.model.MCLRec;
import io.seqcl.model.MCLRecConfig;
import io.seqcl.model.SASRec;
import io.seqcl.model.SASRecConfig;
import io.seqcl.model.SequentialRecommender;
import io.seqcl.nn.ActivationFn;
import io.seqcl.nn.Devices;
import io.seqcl.nn.TransformerConfig;
import io.seqcl.protocol.Batch;
import io.seqcl.protocol.Padding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Imports the PyTorch-written fixture (make_fixture.py: a RecBole-named SASRec, d 8, 2 layers, 2 heads, inner 16,
 * T 5, 10 items plus the DuoRec/MCLRec mask row) into seqcl models and compares the scores with PyTorch's.
 */
class CheckpointImportTest {

    static final int N = 10;
    static List<int[]> histories = new ArrayList<>();
    static List<float[]> expected = new ArrayList<>();

    @BeforeAll
    static void readExpected() throws Exception {
        Devices.noGradOnThisThread();
        for (String line : Files.readAllLines(fixture("tiny_sasrec_scores.tsv"))) {
            String[] parts = line.split("\t");
            histories.add(Arrays.stream(parts[0].split(" ")).mapToInt(Integer::parseInt).toArray());
            String[] s = parts[1].split(" ");
            float[] v = new float[s.length];
            for (int i = 0; i < s.length; i++) {
                v[i] = Float.parseFloat(s[i]);
            }
            expected.add(v);
        }
        assertEquals(4, histories.size());
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(CheckpointImportTest.class.getResource("/io/seqcl/checkpoint/" + name).toURI());
    }

    static SASRecConfig tinyConfig(int maxLen) {
        return SASRecConfig.defaults().withMaxLen(maxLen)
                .withTransformer(new TransformerConfig(8, 2, 2, 16, ActivationFn.GELU, 0.5, 0.5, 1e-12));
    }

    static float[][] scores(SequentialRecommender model) {
        int[][] h = histories.toArray(new int[0][]);
        int[] users = new int[h.length];
        Batch b = Batch.ofHistories(h, users, model.inputSpec().maxLen(), Padding.RIGHT);
        try (NDArray s = model.scoreAll(b)) {
            float[] flat = s.toFloatArray();
            int cols = (int) s.getShape().get(1);
            float[][] out = new float[h.length][];
            for (int i = 0; i < h.length; i++) {
                out[i] = Arrays.copyOfRange(flat, i * cols, (i + 1) * cols);
            }
            return out;
        }
    }

    static void assertScoresMatchPyTorch(SequentialRecommender model) {
        float[][] s = scores(model);
        for (int i = 0; i < s.length; i++) {
            assertEquals(N + 1, s[i].length);
            for (int j = 1; j <= N; j++) {
                assertEquals(expected.get(i)[j], s[i][j], 1e-5, "history " + Arrays.toString(histories.get(i))
                        + ", item " + j);
            }
        }
    }

    @Test
    void pthImportReproducesPyTorchScores() throws Exception {
        try (SASRec model = new SASRec(N, tinyConfig(5), 1)) {
            CheckpointImport.Report r = CheckpointImport.recbole(fixture("tiny_sasrec.pth")).into(model);
            assertTrue(r.droppedMaskRow());
            assertEquals(model.params().names().size(), r.loaded().size());
            assertTrue(r.keptInModel().isEmpty());
            assertScoresMatchPyTorch(model);
        }
    }

    @Test
    void safetensorsImportReproducesPyTorchScores() throws Exception {
        try (SASRec model = new SASRec(N, tinyConfig(5), 2)) {
            CheckpointImport.recbole(fixture("tiny_sasrec.safetensors")).into(model);
            assertScoresMatchPyTorch(model);
        }
    }

    @Test
    void randomWeightsDoNotMatchSoTheComparisonCanFail() {
        try (SASRec model = new SASRec(N, tinyConfig(5), 3)) {
            float[][] s = scores(model);
            assertTrue(Math.abs(s[0][2] - expected.get(0)[2]) > 1e-3);
        }
    }

    @Test
    void sasrecHelperInfersShapesFromTheCheckpoint() throws Exception {
        try (SASRec model = CheckpointImport.recbole(fixture("tiny_sasrec.pth")).sasrec(N,
                SASRecConfig.defaults().withTransformer(TransformerConfig.recbole().withDropout(0.1)))) {
            assertEquals(5, model.config().maxLen());
            assertEquals(8, model.config().transformer().hiddenSize());
            assertEquals(16, model.config().transformer().innerSize());
            assertEquals(2, model.config().transformer().layers());
            assertScoresMatchPyTorch(model);
        }
    }

    @Test
    void mclrecImportKeepsItsAugmentersAndScoresLikeTheEncoder() throws Exception {
        MCLRecConfig cfg = MCLRecConfig.defaults().withBackbone(tinyConfig(5));
        try (MCLRec model = new MCLRec(N, cfg, 4)) {
            Map<String, float[]> before = model.params().snapshot();
            CheckpointImport.Report r = CheckpointImport.recbole(fixture("tiny_sasrec.pth")).into(model);
            assertFalse(r.keptInModel().isEmpty());
            assertTrue(r.keptInModel().stream().allMatch(MCLRec.AUGMENTER_GROUP));
            Map<String, float[]> after = model.params().snapshot();
            for (String k : r.keptInModel()) {
                assertArrayEquals(before.get(k), after.get(k), k);
            }
            assertScoresMatchPyTorch(model);
        }
    }

    private static StateDict modified(java.util.function.Consumer<Map<String, Tensor>> change) throws Exception {
        StateDict sd = StateDict.read(fixture("tiny_sasrec.pth"));
        Map<String, Tensor> m = new LinkedHashMap<>(sd.tensors());
        change.accept(m);
        return new StateDict("modified fixture", m);
    }

    @Test
    void missingTensorIsNamedAndModelIsUnchanged() throws Exception {
        StateDict sd = modified(m -> m.remove("trm_encoder.layer.1.feed_forward.dense_2.bias"));
        try (SASRec model = new SASRec(N, tinyConfig(5), 5)) {
            Map<String, float[]> before = model.params().snapshot();
            CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                    () -> CheckpointImport.recbole(sd).into(model));
            assertEquals(1, e.problems().size(), e.getMessage());
            assertTrue(e.getMessage().contains("missing tensor 'trm_encoder.layer.1.feed_forward.dense_2.bias'"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("encoder.layer1.ff2.bias"), e.getMessage());
            Map<String, float[]> after = model.params().snapshot();
            for (String k : before.keySet()) {
                assertArrayEquals(before.get(k), after.get(k), k);
            }
        }
    }

    @Test
    void misshapedTensorNamesExpectedAndFoundShapes() throws Exception {
        try (SASRec model = new SASRec(N, tinyConfig(6), 6)) {
            CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                    () -> CheckpointImport.recbole(fixture("tiny_sasrec.pth")).into(model));
            assertEquals(List.of("tensor 'position_embedding.weight' has shape [5, 8] but position_embedding "
                    + "expects [6, 8] (the checkpoint was trained with maxLen 5)"), e.problems());
        }
        try (SASRec model = new SASRec(N + 3, tinyConfig(5), 6)) {
            CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                    () -> CheckpointImport.recbole(fixture("tiny_sasrec.pth")).into(model));
            assertTrue(e.getMessage().contains("'item_embedding.weight' has shape [12, 8] but item_embedding "
                    + "expects [14, 8]"), e.getMessage());
        }
        StateDict sd = modified(m -> m.put("trm_encoder.layer.0.feed_forward.dense_1.weight",
                new Tensor(new long[]{8, 16}, new float[128], "float32")));
        try (SASRec model = new SASRec(N, tinyConfig(5), 6)) {
            CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                    () -> CheckpointImport.recbole(sd).into(model));
            assertTrue(e.getMessage().contains("has shape [8, 16] but encoder.layer0.ff1.weight expects [16, 8]"),
                    e.getMessage());
        }
    }

    @Test
    void unexpectedTensorFailsUnlessItIsATrainingOnlyAugmenter() throws Exception {
        StateDict extra = modified(m -> m.put("projection.weight", new Tensor(new long[]{2}, new float[2],
                "float32")));
        try (SASRec model = new SASRec(N, tinyConfig(5), 7)) {
            CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                    () -> CheckpointImport.recbole(extra).into(model));
            assertTrue(e.getMessage().contains("unexpected tensor 'projection.weight' [2]"), e.getMessage());
        }
        StateDict aug = modified(m -> m.put("aug_1.net.0.weight", new Tensor(new long[]{2}, new float[2],
                "float32")));
        try (SASRec model = new SASRec(N, tinyConfig(5), 7)) {
            CheckpointImport.Report r = CheckpointImport.recbole(aug).into(model);
            assertEquals(List.of("aug_1.net.0.weight"), r.ignoredInCheckpoint());
            assertScoresMatchPyTorch(model);
        }
    }

    @Test
    void dataParallelPrefixIsRemoved() throws Exception {
        StateDict sd = StateDict.read(fixture("tiny_sasrec.pth"));
        Map<String, Tensor> m = new LinkedHashMap<>();
        sd.tensors().forEach((k, v) -> m.put("module." + k, v));
        try (SASRec model = new SASRec(N, tinyConfig(5), 8)) {
            CheckpointImport.recbole(new StateDict("prefixed", m)).into(model);
            assertScoresMatchPyTorch(model);
        }
    }

    @Test
    void nameMapCoversEverySASRecParameterOnce() {
        try (SASRec model = new SASRec(N, tinyConfig(5), 9)) {
            List<String> mapped = model.params().names().stream()
                    .map(n -> RecBoleNames.toRecBole(n).orElseThrow(() -> new AssertionError(n))).toList();
            assertEquals(mapped.size(), mapped.stream().distinct().count());
        }
        assertEquals("trm_encoder.layer.1.multi_head_attention.dense.weight",
                RecBoleNames.toRecBole("encoder.layer1.attn.o.weight").orElseThrow());
        assertEquals("trm_encoder.layer.0.multi_head_attention.LayerNorm.bias",
                RecBoleNames.toRecBole("encoder.layer0.ln1.bias").orElseThrow());
        assertEquals("trm_encoder.layer.0.feed_forward.LayerNorm.weight",
                RecBoleNames.toRecBole("encoder.layer0.ln2.weight").orElseThrow());
        assertEquals("LayerNorm.bias", RecBoleNames.toRecBole("ln_in.bias").orElseThrow());
        assertTrue(RecBoleNames.toRecBole("augmenter1.layer0.weight").isEmpty());
        assertTrue(RecBoleNames.toRecBole("encoder.layer0.cross.q.weight").isEmpty());
    }

    @Test
    void corruptedFilesFailNamingTheFile() throws IOException, URISyntaxException {
        Path dir = Files.createTempDirectory("seqcl-ckpt");
        byte[] pth = Files.readAllBytes(fixture("tiny_sasrec.pth"));
        Path truncated = dir.resolve("truncated.pth");
        Files.write(truncated, Arrays.copyOf(pth, pth.length / 2));
        IOException e1 = assertThrows(IOException.class, () -> StateDict.read(truncated));
        assertTrue(e1.getMessage().startsWith(truncated.toString()), e1.getMessage());

        byte[] st = Files.readAllBytes(fixture("tiny_sasrec.safetensors"));
        Path shortSt = dir.resolve("short.safetensors");
        Files.write(shortSt, Arrays.copyOf(st, st.length - 100));
        CheckpointFormatException e2 = assertThrows(CheckpointFormatException.class, () -> StateDict.read(shortSt));
        assertTrue(e2.getMessage().contains("outside the"), e2.getMessage());

        Path badJson = dir.resolve("bad.safetensors");
        byte[] broken = st.clone();
        broken[9] = '!';
        Files.write(badJson, broken);
        CheckpointFormatException e3 = assertThrows(CheckpointFormatException.class, () -> StateDict.read(badJson));
        assertTrue(e3.getMessage().contains("invalid safetensors JSON header"), e3.getMessage());

        Path garbage = dir.resolve("garbage.bin");
        Files.writeString(garbage, "hello, not a checkpoint");
        CheckpointFormatException e4 = assertThrows(CheckpointFormatException.class, () -> StateDict.read(garbage));
        assertTrue(e4.getMessage().contains("neither a PyTorch zip checkpoint"), e4.getMessage());

        Path legacy = dir.resolve("legacy.pth");
        Files.write(legacy, new byte[]{(byte) 0x80, 2, 'K', 1});
        CheckpointFormatException e5 = assertThrows(CheckpointFormatException.class, () -> StateDict.read(legacy));
        assertTrue(e5.getMessage().contains("legacy"), e5.getMessage());
    }

    /** Copies the fixture zip, replacing or dropping entries. */
    private static Path rezip(Path dir, String name, java.util.function.UnaryOperator<byte[]> pickle, String drop)
            throws Exception {
        Path out = dir.resolve(name);
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(fixture("tiny_sasrec.pth").toFile());
             java.util.zip.ZipOutputStream zo = new java.util.zip.ZipOutputStream(Files.newOutputStream(out))) {
            for (var en = in.entries(); en.hasMoreElements(); ) {
                var e = en.nextElement();
                if (e.getName().equals(drop)) {
                    continue;
                }
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().endsWith("/data.pkl")) {
                    b = pickle.apply(b);
                }
                zo.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                zo.write(b);
                zo.closeEntry();
            }
        }
        return out;
    }

    @Test
    void damagedPickleOrMissingStorageFailNamingTheFile() throws Exception {
        Path dir = Files.createTempDirectory("seqcl-ckpt");
        String prefix;
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(fixture("tiny_sasrec.pth").toFile())) {
            prefix = z.stream().map(java.util.zip.ZipEntry::getName).filter(n -> n.endsWith("/data.pkl"))
                    .findFirst().orElseThrow().replace("data.pkl", "");
        }
        Path cut = rezip(dir, "cut.pth", b -> Arrays.copyOf(b, b.length / 3), null);
        CheckpointFormatException e1 = assertThrows(CheckpointFormatException.class, () -> StateDict.read(cut));
        assertTrue(e1.getMessage().startsWith(cut + ": cannot read " + prefix + "data.pkl"), e1.getMessage());

        Path noStorage = rezip(dir, "nostorage.pth", b -> b, prefix + "data/3");
        CheckpointFormatException e2 = assertThrows(CheckpointFormatException.class,
                () -> StateDict.read(noStorage));
        assertTrue(e2.getMessage().contains("missing storage entry " + prefix + "data/3"), e2.getMessage());

        Path rogue = rezip(dir, "rogue.pth", b -> b, prefix + "data.pkl");
        CheckpointFormatException e3 = assertThrows(CheckpointFormatException.class, () -> StateDict.read(rogue));
        assertTrue(e3.getMessage().contains("without ARCHIVE/data.pkl"), e3.getMessage());
    }
}
