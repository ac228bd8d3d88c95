// The Stimulus panel on a small visual run (a hidden movie on a 4×4 grid): before training it plays the true movie
// upright, frame by frame with the shared playback; after training it shows the learned field Ω* next to it at the
// compared frames, their scatter and R² (the engine's compareStimulus), follows the slider, and exports the frames
// as PNG images. On a run without a stimulus it says so; a signed (additive) input is shown as it is.
#include "panels/stimulus_panel.h"
#include "studio/playback.h"
#include "studio/run_controller.h"
#include "studio/studio_window.h"

#include "plexus/analysis/stimulus_recovery.h"
#include "plexus/config/presets.h"
#include "plexus/sim/rng.h"
#include "plexus/sim/stimulus.h"

#include <QDir>
#include <QImage>
#include <QLabel>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace plexus;
using namespace plexus::ui;

namespace {

/// demo_visual made small: 60 neurons, 16 of them on a 4×4 grid under the movie, 600 frames, a small Ω*.
ExperimentConfig smallVisualRun()
{
    ExperimentConfig c = loadPreset("demo_visual").config;
    c.simulation.nNeurons = 60;
    c.simulation.nInputNeurons = 16;
    c.simulation.nFrames = 600;
    c.simulation.startFrame = -100;
    c.graphModel.hiddenDimNnrF = 16;
    c.graphModel.nLayersNnrF = 2;
    c.graphModel.hiddenDim = c.graphModel.hiddenDimUpdate = 16;
    c.training.nEpochs = 1;
    c.training.batchSize = 1;
    c.training.dataAugmentationLoop = 20; // ⌊600·20/1⌋·0.2 = 2 400 iterations
    return c;
}

QString infoOf(Panel* panel)
{
    panel->refreshNow();
    QString text;
    for (QLabel* label : panel->findChildren<QLabel*>())
        text += label->text() + "\n";
    return text;
}

} // namespace

class TestStimulusPanel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<StudioWindow> m_window;
    RunController* controller() const { return m_window->controller(); }
    StimulusPanel* panel() const { return qobject_cast<StimulusPanel*>(m_window->panel("stimulus")); }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName("PlexusTest");
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        qputenv("PLEXUS_RUNS_DIR", m_dir.path().toUtf8());
        m_window = std::make_unique<StudioWindow>();
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(panel());
    }

    void saysWhenThereIsNoStimulus()
    {
        QVERIFY(m_window->newRunFromPreset("demo_tiny", m_dir.filePath("tiny")));
        controller()->simulate();
        QTRY_VERIFY_WITH_TIMEOUT(controller()->dataset() != nullptr, 60000);
        QVERIFY2(infoOf(panel()).contains("No hidden stimulus"), qPrintable(infoOf(panel())));
        QCOMPARE(panel()->shownFrame(), std::int64_t(-1));
    }

    void playsTheTrueMovieUprightBeforeTraining()
    {
        QString error;
        const ExperimentConfig config = smallVisualRun();
        QVERIFY2(controller()->newRun(config, m_dir.filePath("visual"), &error), qPrintable(error));
        controller()->simulate();
        QTRY_VERIFY_WITH_TIMEOUT(controller()->dataset() != nullptr, 60000);
        panel()->parentWidget()->show();
        panel()->refreshNow();
        QVERIFY2(infoOf(panel()).contains("16 neurons receive a hidden movie"), qPrintable(infoOf(panel())));
        // The movie as the simulator showed it: pixel (row, col) of movie frame ⌊f/T·(F − 1)⌋ at data frame f.
        Rng rng(1);
        auto stimulus = Stimulus::create(config.simulation, rng);
        const auto* movie = dynamic_cast<const MovieStimulus*>(stimulus.get());
        QVERIFY(movie);
        for (int frame : {0, 250, 599}) {
            m_window->playback()->setFrame(frame);
            QTRY_COMPARE(panel()->shownFrame(), std::int64_t(frame));
            const Eigen::MatrixXf& image = panel()->trueImage();
            QCOMPARE(image.rows(), Eigen::Index(4));
            for (int row = 0; row < 4; ++row)
                for (int col = 0; col < 4; ++col)
                    QVERIFY2(std::abs(image(row, col) - std::sqrt(movie->movie().at(movie->movieFrameAt(frame), row, col))) < 1e-5,
                             qPrintable(QString("frame %1 pixel (%2, %3)").arg(frame).arg(row).arg(col)));
            QCOMPARE(panel()->learnedImage().size(), Eigen::Index(0));
        }
    }

    void showsTheLearnedFieldAfterTraining()
    {
        controller()->train();
        QTRY_VERIFY_WITH_TIMEOUT(controller()->iteration() > 300, 60000);
        controller()->stop();
        QTRY_VERIFY_WITH_TIMEOUT(controller()->snapshot() && controller()->snapshot()->stimulus &&
                                     controller()->snapshot()->stimulusIteration == controller()->iteration(),
                                 60000);
        const auto comparison = controller()->snapshot()->stimulus;
        QCOMPARE(comparison->frames.size(), std::size_t(100));
        QCOMPARE(comparison->side, std::int64_t(4));
        const QString info = infoOf(panel());
        QVERIFY2(info.contains(QString("R² %1").arg(comparison->fit.r2, 0, 'f', 3)), qPrintable(info));
        QCOMPARE(panel()->shownR2(), comparison->fit.r2);
        // The slider: frame 333 shows the last compared frame not after it, true and learned alike.
        m_window->playback()->setFrame(333);
        const std::int64_t row = comparison->rowAt(333);
        QTRY_COMPARE(panel()->shownFrame(), comparison->frames[static_cast<std::size_t>(row)]);
        QVERIFY(comparison->frames[static_cast<std::size_t>(row)] <= 333);
        const Eigen::MatrixXf learned = panel()->learnedImage();
        QCOMPARE(learned.rows(), Eigen::Index(4));
        QCOMPARE(learned(1, 2), comparison->learned(row, movieGridNeuron(1, 2, 4)));
        QCOMPARE(panel()->trueImage()(3, 0), comparison->truth(row, movieGridNeuron(3, 0, 4)));
        m_window->playback()->setFrame(0);
        QTRY_COMPARE(panel()->shownFrame(), std::int64_t(0));
        QVERIFY(panel()->learnedImage() != learned || comparison->learned.row(0) == comparison->learned.row(row));
        // The data behind it and the frames as images.
        const QString csv = panel()->csvText();
        QVERIFY(csv.startsWith("frame,neuron,true_sqrt_omega,learned_sqrt_omega_scaled\n"));
        QCOMPARE(csv.count('\n'), 1 + 100 * 16);
        QString error;
        const QString folder = m_dir.filePath("frames");
        QCOMPARE(panel()->exportFrames(folder, 5, &error), 100);
        QImage first(QDir(folder).filePath("frame_0000.png"));
        QCOMPARE(first.size(), QSize(2 * 4 * 5 + 5, 4 * 5));
        QVERIFY(QFile::exists(QDir(folder).filePath("frame_0099.png")));
    }

    void showsASignedInputAsItIs()
    {
        // An additive oscillatory input on every neuron (no grid, values of both signs): shown as it is, not as √.
        ExperimentConfig config = loadPreset("demo_tiny").config;
        config.simulation.nNeurons = 36;
        config.simulation.nFrames = 200;
        config.simulation.externalInputType = "signal";
        config.simulation.externalInputMode = "additive";
        QString error;
        QVERIFY2(controller()->newRun(config, m_dir.filePath("signal"), &error), qPrintable(error));
        controller()->simulate();
        QTRY_VERIFY_WITH_TIMEOUT(controller()->dataset() != nullptr, 60000);
        const auto data = controller()->dataset();
        QVERIFY(data->stimulus.minCoeff() < 0.0f);
        m_window->playback()->setFrame(37);
        panel()->refreshNow();
        QTRY_COMPARE(panel()->shownFrame(), std::int64_t(37));
        const Eigen::MatrixXf& image = panel()->trueImage();
        QCOMPARE(image.rows(), Eigen::Index(6));
        for (int row = 0; row < 6; ++row)
            for (int col = 0; col < 6; ++col)
                QCOMPARE(image(row, col), data->stimulus(37, movieGridNeuron(row, col, 6)));
    }

    void cleanupTestCase()
    {
        m_window.reset();
        QSettings().clear();
    }
};

QTEST_MAIN(TestStimulusPanel)
#include "test_stimulus_panel.moc"
