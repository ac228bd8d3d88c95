// External inputs (docs/method.md §A.7): movie mapping (orientation, frame index, warm-up), movie files, synthetic movies,
// oscillatory and triggered signals, and a visual simulation end to end.
#include "plexus/sim/simulator.h"
#include "plexus/sim/stimulus.h"
#include "plexus/util/errors.h"
#include "test_helpers.h"

#include <png.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

using namespace plexus;

namespace {

/// 3 frames of 2×2 with distinct values: frame f, row r, col c holds 100f + 10r + c.
ImageStack tinyStack()
{
    ImageStack s{3, 2, 2, {}};
    for (int f = 0; f < 3; ++f)
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 2; ++c)
                s.pixels.push_back(static_cast<float>(100 * f + 10 * r + c));
    return s;
}

void writeGreyPng(const std::string& path, int width, int height, unsigned char value)
{
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = width;
    image.height = height;
    image.format = PNG_FORMAT_GRAY;
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width * height), value);
    QVERIFY(png_image_write_to_file(&image, path.c_str(), 0, pixels.data(), 0, nullptr));
}

} // namespace

class TestStimulus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void movieOrientationAndFrameIndex()
    {
        // 5 neurons: 4 on the 2×2 grid, 1 without input (neutral 1 in multiplicative mode).
        MovieStimulus movie(tinyStack(), 4, 100, 1.0f);
        Eigen::VectorXf external(5);
        movie.valuesAt(0, external);
        // numpy rot90(frame, 3)[r][c] = frame[side − 1 − c][r]; neuron k = r·2 + c.
        // frame 0 = [[0, 1], [10, 11]] → rot90(·, 3) = [[10, 0], [11, 1]].
        QCOMPARE(external(0), 10.0f);
        QCOMPARE(external(1), 0.0f);
        QCOMPARE(external(2), 11.0f);
        QCOMPARE(external(3), 1.0f);
        QCOMPARE(external(4), 1.0f);
        // Frame index ⌊it / n_frames · (F − 1)⌋ with F = 3: it 49 → 0, 50 → 1, 99 → 1, 100 → 2.
        QCOMPARE(movie.movieFrameAt(49), 0);
        QCOMPARE(movie.movieFrameAt(50), 1);
        QCOMPARE(movie.movieFrameAt(99), 1);
        QCOMPARE(movie.movieFrameAt(100), 2);
        movie.valuesAt(100, external);
        QCOMPARE(external(0), 210.0f);
        // Warm-up: every neuron gets 0, so multiplicative coupling is off.
        movie.valuesAt(-1, external);
        QCOMPARE(external.cwiseAbs().maxCoeff(), 0.0f);
    }

    void tiffRoundTripAndResampling()
    {
        QTemporaryDir dir;
        const std::string path = test::pathIn(dir, "movie.tif");
        ImageStack stack = tinyStack();
        saveTiffStack(stack, path);
        ImageStack loaded = loadImageStack(path);
        QCOMPARE(loaded.frames, 3);
        QCOMPARE(loaded.width, 2);
        QVERIFY(loaded.pixels == stack.pixels);
        ImageStack bigger = loaded.resampled(4);
        QCOMPARE(bigger.width, 4);
        QCOMPARE(bigger.at(0, 0, 0), 0.0f);   // corners keep their values
        QCOMPARE(bigger.at(2, 3, 3), 211.0f);
    }

    void pngFolderIsReadInNameOrder()
    {
        QTemporaryDir dir;
        writeGreyPng(test::pathIn(dir, "frame_1.png"), 4, 4, 255);
        writeGreyPng(test::pathIn(dir, "frame_0.png"), 4, 4, 0);
        ImageStack stack = loadImageStack(dir.path().toStdString());
        QCOMPARE(stack.frames, 2);
        QCOMPARE(stack.at(0, 0, 0), 0.5f); // grey 0 → 0.5, 255 → 1.5
        QCOMPARE(stack.at(1, 3, 3), 1.5f);
        writeGreyPng(test::pathIn(dir, "frame_2.png"), 3, 4, 0);
        PLEXUS_VERIFY_THROWS_WITH(loadImageStack(dir.path().toStdString()), InputError, "frame_2.png", "expected 4");
    }

    void badMovieFilesNameThemselves()
    {
        QTemporaryDir dir;
        const std::string text = test::pathIn(dir, "notes.tif");
        std::ofstream(text) << "not an image";
        PLEXUS_VERIFY_THROWS_WITH(loadImageStack(text), InputError, "notes.tif");
        PLEXUS_VERIFY_THROWS_WITH(loadImageStack(test::pathIn(dir, "missing.tif")), InputError, "missing.tif",
                                  "not found");
        PLEXUS_VERIFY_THROWS_WITH(loadImageStack(dir.path().toStdString()), InputError, "PNG");
    }

    void authorsMovieLoads()
    {
        const std::string path = std::string(PLEXUS_SHARED_DATA_DIR) + "/authors/video_bisons_32.tif";
        if (!std::filesystem::exists(path))
            QSKIP("the authors' movie is not beside this checkout");
        ImageStack movie = loadImageStack(path);
        QCOMPARE(movie.frames, 257);
        QCOMPARE(movie.width, 32);
        QCOMPARE(movie.height, 32);
        auto [lo, hi] = std::minmax_element(movie.pixels.begin(), movie.pixels.end());
        QVERIFY(std::fabs(*lo - 0.5f) < 0.01f && std::fabs(*hi - 1.48f) < 0.01f); // docs/method.md §A.7
    }

    void syntheticMoviesMoveWithinRange()
    {
        for (const char* kind : {"blobs", "gratings"}) {
            ImageStack movie = syntheticMovie(kind, 50, 32, 1);
            auto [lo, hi] = std::minmax_element(movie.pixels.begin(), movie.pixels.end());
            QVERIFY(*lo >= 0.5f && *hi <= 1.5f);
            QVERIFY(*hi - *lo > 0.3f);
            double change = 0;
            for (std::int64_t p = 0; p < 32 * 32; ++p)
                change += std::fabs(movie.at(1, p / 32, p % 32) - movie.at(0, p / 32, p % 32));
            QVERIFY2(change / 1024 > 0.001 && change / 1024 < 0.1, kind); // smooth motion, like the bison movie
            QVERIFY(syntheticMovie(kind, 50, 32, 1).pixels == movie.pixels);
        }
        PLEXUS_VERIFY_THROWS_WITH(syntheticMovie("stars", 5, 8, 1), InputError, "builtin:stars", "builtin:blobs");
    }

    void oscillatoryInput()
    {
        SimulationConfig c;
        c.nNeurons = 50;
        c.externalInputType = "signal";
        c.externalInputMode = "additive";
        c.oscillationMaxAmplitude = 2.0;
        Rng rng(1);
        auto stimulus = Stimulus::create(c, rng);
        Eigen::VectorXf at0(50), atT(50);
        stimulus->valuesAt(0, at0);
        QVERIFY(at0.cwiseAbs().maxCoeff() <= 2.0f && at0.cwiseAbs().maxCoeff() > 1.0f);
        stimulus->valuesAt(7, atT); // e_i·cos(2π·5·0.07)
        const float factor = static_cast<float>(std::cos(2 * std::numbers::pi * 5 * 0.07));
        QVERIFY((atT - at0 * factor).cwiseAbs().maxCoeff() < 1e-5f);
    }

    void triggeredInput()
    {
        SimulationConfig c;
        c.nNeurons = 100;
        c.nFrames = 6000;
        c.externalInputType = "signal";
        c.signalInputType = "triggered";
        c.externalInputMode = "additive";
        Rng rng(4);
        auto stimulus = Stimulus::create(c, rng);
        auto* triggered = dynamic_cast<TriggeredStimulus*>(stimulus.get());
        QVERIFY(triggered);
        QCOMPARE(triggered->events().size(), std::size_t(5));
        Eigen::VectorXf external(100);
        for (std::size_t k = 0; k < 5; ++k) {
            const auto& e = triggered->events()[k];
            QVERIFY(std::llabs(e.step - static_cast<long long>((k + 1) * 1000)) <= 250); // ±¼ spacing
            stimulus->valuesAt(e.step, external);
            QCOMPARE((external.array() != 0.0f).count(), Eigen::Index(10));
            for (std::size_t j = 0; j < e.neurons.size(); ++j)
                QVERIFY(e.impulse[j] >= 2.5f && e.impulse[j] <= 10.0f);
            stimulus->valuesAt(e.step + TriggeredStimulus::kResponseSteps + 1, external);
            QCOMPARE(external.cwiseAbs().maxCoeff(), 0.0f);
        }
    }

    void visualSimulationStoresTheMovieOfItsGridNeurons()
    {
        ExperimentConfig c = test::smallConfigN4("PDE_N4", 32, 40);
        c.simulation.externalInputType = "visual";
        c.simulation.externalInputMode = "multiplicative";
        c.simulation.nInputNeurons = 16;
        c.simulation.nodeValueMap = "builtin:blobs";
        c.simulation.movieFrames = 9;
        Dataset d = simulate(c);
        QCOMPARE(d.stimulus.cols(), Eigen::Index(16));
        ImageStack movie = syntheticMovie("blobs", 9, 4, static_cast<std::uint64_t>(c.simulation.seed) + 1);
        MovieStimulus reference(movie, 16, 40, 1.0f);
        Eigen::VectorXf external(32);
        for (std::int64_t f : {0, 13, 40}) {
            reference.valuesAt(f, external);
            QVERIFY(d.stimulus.row(f) == external.head(16).transpose());
        }
        Eigen::VectorXf column(32);
        d.externalColumn(5, column);
        QCOMPARE(column.tail(16).minCoeff(), 1.0f);
        QCOMPARE(column.tail(16).maxCoeff(), 1.0f);
    }
};

QTEST_APPLESS_MAIN(TestStimulus)
#include "test_stimulus.moc"
