// Experiment configs: the authors' files load as they are, presets load, and every error path names the file,
// the line, the key and what was expected.
#include "plexus/config/config_loader.h"
#include "plexus/config/config_schema.h"
#include "plexus/config/presets.h"
#include "plexus/config/recipes.h"
#include "plexus/util/errors.h"
#include "test_helpers.h"

#include <filesystem>
#include <fstream>

using namespace plexus;

namespace {

const char* kValid = R"(description: "test"
dataset: t
simulation:
  params: [[10, 1, 1], [10, 2, 1]]
  n_neurons: 20
  n_neuron_types: 2
  n_frames: 50
  delta_t: 0.01
graph_model:
  signal_model_name: PDE_N2
)";

ConfigLoadResult load(const std::string& text)
{
    return loadConfigText(text, "exp.yaml", "/tmp");
}

std::string replaced(std::string text, const std::string& from, const std::string& to)
{
    text.replace(text.find(from), from.size(), to);
    return text;
}

} // namespace

class TestConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void authorsFilesLoadAsTheyAre()
    {
        const std::filesystem::path dir = std::string(PLEXUS_SHARED_DATA_DIR) + "/authors";
        if (!std::filesystem::exists(dir))
            QSKIP("the authors' files are not beside this checkout");
        int count = 0;
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (entry.path().extension() != ".yaml")
                continue;
            ConfigLoadResult r = loadConfigFile(entry.path().string());
            ++count;
            QVERIFY(!r.config.simulation.params.empty());
            if (entry.path().stem() == "signal_fig_3") {
                QCOMPARE(r.config.simulation.nNeurons, std::int64_t(2048));
                QCOMPARE(r.config.simulation.nodeValueMap, (dir / "video_bisons_32.tif").lexically_normal().string());
                QCOMPARE(r.config.training.learningRateWStart, 2e-3);
                bool warnedClaude = false;
                for (const auto& w : r.warnings)
                    warnedClaude = warnedClaude || w.find("unknown section 'claude'") != std::string::npos;
                QVERIFY(warnedClaude);
            }
            if (entry.path().stem() == "signal_fig_supp_8") {
                QCOMPARE(r.config.simulation.connectivityFillingFactor, 0.05);
                QCOMPARE(r.config.simulation.startFrame, std::int64_t(0));
                QCOMPARE(r.config.training.nEpochsInit, std::int64_t(2));
            }
        }
        QCOMPARE(count, 18);
    }

    void presetsLoadAndMatchThePaper()
    {
        auto presets = listPresets();
        QVERIFY(presets.size() >= 20);
        QCOMPARE(presets.front().name, std::string("demo"));
        for (const auto& p : presets) {
            ConfigLoadResult r = loadPreset(p.name);
            QVERIFY2(!p.description.empty(), p.name.c_str());
            validateConfig(r.config);
        }
        ExperimentConfig fig2 = loadPreset("fig_2").config;
        QCOMPARE(fig2.simulation.nNeurons, std::int64_t(1000));
        QCOMPARE(fig2.simulation.nFrames, std::int64_t(100000));
        QCOMPARE(fig2.simulation.startFrame, std::int64_t(-1000));
        QCOMPARE(fig2.training.batchSize, std::int64_t(8));
        QCOMPARE(loadPreset("supp_12").config.simulation.params.size(), std::size_t(32));
        QCOMPARE(loadPreset("supp_10").config.simulation.noiseModelLevel, 7.2);
        QCOMPARE(loadPreset("supp_14").config.graphModel.signalModelName, std::string("PDE_N5"));
        QCOMPARE(loadPreset("fig_3").config.simulation.nodeValueMap, std::string("builtin:blobs"));
        PLEXUS_VERIFY_THROWS_WITH(presetText("fig_9"), InputError, "unknown preset 'fig_9'", "demo");
    }

    void defaultsAreTheAuthors()
    {
        ConfigLoadResult r = load(kValid);
        QCOMPARE(r.config.simulation.seed, std::int64_t(42));
        QCOMPARE(r.config.simulation.connectivityFillingFactor, 1.0);
        QCOMPARE(r.config.training.learningRateWStart, 1e-4);
        QCOMPARE(r.config.training.clusterDistanceThreshold, 0.01);
        QCOMPARE(r.config.graphModel.embeddingDim, std::int64_t(2));
    }

    void wrongTypesNameFileLineAndKey()
    {
        PLEXUS_VERIFY_THROWS_WITH(load(replaced(kValid, "n_neurons: 20", "n_neurons: twenty")), InputError,
                                  "exp.yaml:5:", "simulation.n_neurons", "expected an integer", "twenty");
        PLEXUS_VERIFY_THROWS_WITH(load(replaced(kValid, "delta_t: 0.01", "delta_t: [1, 2]")), InputError,
                                  "exp.yaml:8:", "simulation.delta_t", "expected a number");
        PLEXUS_VERIFY_THROWS_WITH(load(replaced(kValid, "n_frames: 50", "n_frames: 50.5")), InputError,
                                  "exp.yaml:7:", "simulation.n_frames");
        PLEXUS_VERIFY_THROWS_WITH(load(replaced(kValid, "[[10, 1, 1], [10, 2, 1]]", "[[10, 1, 1], 3]")),
                                  InputError, "exp.yaml:4:", "simulation.params", "list of rows");
    }

    void impossibleValuesAreErrors()
    {
        PLEXUS_VERIFY_THROWS_WITH(load(replaced(kValid, "n_neurons: 20", "n_neurons: -5")), InputError,
                                  "exp.yaml:5:", "simulation.n_neurons", "positive integer", "-5");
        PLEXUS_VERIFY_THROWS_WITH(load(replaced(kValid, "delta_t: 0.01", "delta_t: 0")), InputError, "exp.yaml:8:",
                                  "simulation.delta_t", "positive number");
        PLEXUS_VERIFY_THROWS_WITH(load(replaced(kValid, "n_neuron_types: 2", "n_neuron_types: 3")), InputError,
                                  "exp.yaml:4:", "simulation.params", "one row per neuron type", "got 2 rows");
        PLEXUS_VERIFY_THROWS_WITH(load(replaced(kValid, "PDE_N2", "PDE_N4")), InputError, "simulation.params",
                                  "PDE_N4 expects 6 values");
        PLEXUS_VERIFY_THROWS_WITH(load(replaced(kValid, "PDE_N2", "PDE_N9")), InputError, "exp.yaml:10:",
                                  "graph_model.signal_model_name", "PDE_N2");
        PLEXUS_VERIFY_THROWS_WITH(
            load(std::string(kValid) + "\n" + "training:\n  batch_size: 0\n"), InputError, "training.batch_size");
        PLEXUS_VERIFY_THROWS_WITH(load(replaced(kValid, "  n_frames: 50", "  n_frames: 50\n  start_frame: 10")),
                                  InputError, "simulation.start_frame", "≤ 0");
        PLEXUS_VERIFY_THROWS_WITH(
            load(replaced(kValid, "  n_frames: 50", "  n_frames: 50\n  connectivity_filling_factor: 1.5")),
            InputError, "connectivity_filling_factor", "(0, 1]");
    }

    void visualInputNeedsAGridAndAMovie()
    {
        std::string visual = replaced(kValid, "  n_frames: 50", "  n_frames: 50\n  external_input_type: visual\n"
                                                                 "  external_input_mode: multiplicative\n"
                                                                 "  n_input_neurons: 10\n"
                                                                 "  node_value_map: movie.tif");
        PLEXUS_VERIFY_THROWS_WITH(load(visual), InputError, "simulation.n_input_neurons", "square number");
        PLEXUS_VERIFY_THROWS_WITH(load(replaced(visual, "n_input_neurons: 10", "n_input_neurons: 16")), InputError,
                                  "simulation.node_value_map", "movie not found", "/tmp/movie.tif");
        QTemporaryDir dir;
        const std::string path = test::pathIn(dir, "exp.yaml");
        std::ofstream(path) << replaced(visual, "n_input_neurons: 10", "n_input_neurons: 16");
        PLEXUS_VERIFY_THROWS_WITH(loadConfigFile(path), InputError, path.c_str(), ":11:",
                                  (dir.path().toStdString() + "/movie.tif").c_str());
    }

    void unknownKeysWarnWithTheNearestKey()
    {
        ConfigLoadResult r = load(replaced(kValid, "n_frames: 50", "n_frame: 50"));
        QCOMPARE(r.config.simulation.nFrames, std::int64_t(1000)); // default kept
        bool found = false;
        for (const auto& w : r.warnings)
            found = found || test::containsAll(w, {"exp.yaml:7:", "unknown key 'simulation.n_frame'",
                                                   "did you mean 'simulation.n_frames'"});
        QVERIFY(found);
        QCOMPARE(nearestConfigKey("training.learning_rate_w_start"), std::string("training.learning_rate_W_start"));
        QCOMPARE(nearestConfigKey("simulation.batch_size"), std::string("training.batch_size"));
        QVERIFY(nearestConfigKey("simulation.zzzzzzzzzzzz").empty());
        // Unknown entries are kept on save.
        QVERIFY(configToYaml(r.config).find("n_frame: 50") != std::string::npos);
    }

    void notUsedYetIsReportedOnce()
    {
        ConfigLoadResult r = load(std::string(kValid) + "training:\n  n_runs: 1\n  measurement_noise_level: 0.5\n");
        int reports = 0;
        for (const auto& w : r.warnings)
            reports += w.find("not used yet") != std::string::npos;
        QCOMPARE(reports, 1);
    }

    void syntaxErrorsGiveTheLine()
    {
        PLEXUS_VERIFY_THROWS_WITH(load("simulation:\n  n_neurons: [1, 2\n  delta_t: 1\n"), InputError, "exp.yaml:",
                                  "YAML syntax error");
        PLEXUS_VERIFY_THROWS_WITH(load("- 1\n- 2\n"), InputError, "exp.yaml", "expected a YAML mapping");
        PLEXUS_VERIFY_THROWS_WITH(loadConfigFile("/nonexistent/exp.yaml"), InputError, "/nonexistent/exp.yaml",
                                  "not found");
    }

    void overridesAreTypedAndValidated()
    {
        ExperimentConfig c = load(kValid).config;
        applyConfigOverride(c, "simulation.n_neurons=30", "/tmp");
        QCOMPARE(c.simulation.nNeurons, std::int64_t(30));
        applyConfigOverride(c, "n_frames=80", "/tmp"); // unique key without section
        QCOMPARE(c.simulation.nFrames, std::int64_t(80));
        applyConfigOverride(c, "simulation.params=[[10, 1, 2], [10, 2, 2]]", "/tmp");
        QCOMPARE(c.simulation.params[1][2], 2.0);
        PLEXUS_VERIFY_THROWS_WITH(applyConfigOverride(c, "seed=3", "/tmp"), InputError, "ambiguous",
                                  "simulation.seed", "training.seed");
        PLEXUS_VERIFY_THROWS_WITH(applyConfigOverride(c, "simulation.n_neuron=3", "/tmp"), InputError,
                                  "unknown key", "simulation.n_neurons");
        PLEXUS_VERIFY_THROWS_WITH(applyConfigOverride(c, "simulation.delta_t=fast", "/tmp"), InputError,
                                  "simulation.delta_t", "expected a number", "fast");
        PLEXUS_VERIFY_THROWS_WITH(applyConfigOverride(c, "simulation.n_neuron_types=5", "/tmp"), InputError,
                                  "simulation.params", "one row per neuron type");
        PLEXUS_VERIFY_THROWS_WITH(applyConfigOverride(c, "simulation.n_neurons", "/tmp"), InputError,
                                  "section.key=value");
    }

    void everyRecipeParsesAndAppliesToItsPreset()
    {
        QVERIFY(recipeNames().size() >= 16);
        for (const std::string& name : recipeNames()) {
            const ReproductionRecipe recipe = loadRecipe(name);
            QCOMPARE(recipe.experiment, name);
            QVERIFY2(recipe.variants.count(recipe.defaultVariant), name.c_str());
            for (const auto& [variant, v] : recipe.variants) {
                ExperimentConfig c = loadPreset(recipe.experiment).config;
                applyConfigOverrides(c, v.overrides, "/tmp"); // every override is a known key with a valid value
                QVERIFY2(v.metricsEvery >= 1, name.c_str());
            }
        }
        QVERIFY(loadRecipe("fig_2").paper.rolloutR2At400.has_value());
        QVERIFY(!loadRecipe("supp_3").paper.separatedTypes);
        PLEXUS_VERIFY_THROWS_WITH(loadRecipe("nope"), InputError, "no reproduction recipe", "fig_2");
        PLEXUS_VERIFY_THROWS_WITH(parseRecipe("experiment: x\nrecipes:\n  fast:\n    iterations: many\n", "r.yaml"),
                                  InputError, "r.yaml:4", "recipes.fast.iterations", "expected a number");
        PLEXUS_VERIFY_THROWS_WITH(parseRecipe("experiment: x\n", "r.yaml"), InputError, "at least one recipe");
        const ReproductionRecipe timed =
            parseRecipe("experiment: x\nrecipes:\n  fast:\n    iterations: 400000\n    minutes: 50\n", "r.yaml");
        QCOMPARE(timed.variants.at("fast").minutes, 50.0);
        QCOMPARE(timed.variants.at("fast").iterations, std::int64_t{400000});
        PLEXUS_VERIFY_THROWS_WITH(parseRecipe("experiment: x\nrecipes:\n  fast:\n    minutes: -5\n", "r.yaml"),
                                  InputError, "r.yaml:4", "recipes.fast.minutes", "≥ 0");
        const ReproductionRecipe settled = parseRecipe(
            "experiment: x\nrecipes:\n  fast:\n    stop_at_w_r2: 0.999\n    stop_slope_settled: 0.002\n", "r.yaml");
        QCOMPARE(settled.variants.at("fast").stopSlopeSettled, 0.002);
        QCOMPARE(timed.variants.at("fast").stopSlopeSettled, 0.0);
        PLEXUS_VERIFY_THROWS_WITH(
            parseRecipe("experiment: x\nrecipes:\n  fast:\n    stop_slope_settled: -1\n", "r.yaml"), InputError,
            "r.yaml:4", "recipes.fast.stop_slope_settled", "≥ 0");
    }

    void saveAndLoadRoundTrip()
    {
        ExperimentConfig original = loadPreset("fig_3").config;
        original.simulation.noiseModelLevel = 0.125;
        QTemporaryDir dir;
        const std::string path = test::pathIn(dir, "config.yaml");
        saveConfigFile(original, path);
        ExperimentConfig again = loadConfigFile(path).config;
        QCOMPARE(configToYaml(again), configToYaml(original));
        QCOMPARE(again.simulation.params, original.simulation.params);
        QCOMPARE(again.training.learningRateNnrF, 1e-5);
    }
};

QTEST_APPLESS_MAIN(TestConfig)
#include "test_config.moc"
