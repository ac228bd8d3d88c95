// The Studio explains itself (docs/user-guide.md, "Teaching with Plexus"): the summary card gives evaluate's
// numbers, every panel says what it shows and how to read it.
#include "panels/panel.h"
#include "studio/run_controller.h"
#include "studio/studio_window.h"
#include "studio/summary_card.h"
#include "studio/theme.h"

#include "plexus/analysis/evaluation.h"
#include "plexus/analysis/evaluation_text.h"
#include "plexus/config/config_loader.h"
#include "plexus/data/dataset_file.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/sim/simulator.h"
#include "plexus/train/trainer.h"

#include <QAction>
#include <QDialog>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QToolButton>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <memory>

using namespace plexus;
using namespace plexus::ui;

namespace {

/// A small simulated run (4 types, 40 neurons), trained a little, its checkpoint saved.
QString trainedRun(const QTemporaryDir& dir)
{
    ExperimentConfig config;
    config.dataset = "teaching";
    config.simulation.nNeurons = 40;
    config.simulation.nFrames = 300;
    config.simulation.startFrame = -50;
    config.simulation.params = {{10, 1, 1}, {10, 2, 1}, {10, 1, 2}, {10, 2, 2}};
    auto data = std::make_shared<const Dataset>(simulate(config));
    const RunFolder folder(dir.filePath("run").toStdString());
    std::filesystem::create_directories(folder.path());
    saveConfigFile(config, folder.configPath());
    saveDataset(*data, folder.datasetPath());
    TrainingOptions training;
    training.runDir = folder.path();
    Trainer trainer(config, data, training);
    for (int i = 0; i < 40; ++i)
        trainer.step();
    trainer.saveCheckpoint();
    return QString::fromStdString(folder.path());
}

} // namespace

class TestTeaching : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName("PlexusTest");
        QSettings().clear();
    }

    void summaryCardGivesEvaluatesNumbers()
    {
        QTemporaryDir dir;
        const QString run = trainedRun(dir);
        StudioWindow window;
        window.show();
        QVERIFY(window.openRun(run));
        SummaryCard* card = window.showSummary();
        QVERIFY(card->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(card->evaluation() != nullptr, 120000);
        // The same numbers as plexus-cli evaluate: the engine's evaluation of the same checkpoint, computed apart.
        const RunFolder folder(run.toStdString());
        ExperimentConfig config = loadConfigFile(folder.configPath()).config;
        auto data = std::make_shared<const Dataset>(loadDataset(folder.datasetPath()));
        Trainer trainer(config, data);
        trainer.loadWeights(folder.checkpoints().front());
        const Evaluation direct = evaluate(trainer.model(), *data, config, 1000);
        QCOMPARE(evaluationToJson(*card->evaluation()), evaluationToJson(direct));
        const QString text = card->text();
        QVERIFY(text.contains(QString::fromStdString(evaluationText(direct))));
        QVERIFY(text.contains("How to read it"));
        QVERIFY(text.contains(QFileInfo(QString::fromStdString(folder.checkpoints().front())).fileName()));
        const QString saved = dir.filePath("summary.txt");
        QString error;
        QVERIFY2(card->saveText(saved, &error), qPrintable(error));
        QFile file(saved);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()), text);
    }

    void everyPanelExplainsItselfAndKeepsLegendsOffTheData()
    {
        QTemporaryDir dir;
        const QString run = trainedRun(dir);
        StudioWindow window;
        window.resize(1600, 1000);
        window.show();
        QVERIFY(window.openRun(run));
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->snapshot() != nullptr, 60000);
        for (Panel* panel : window.panels()) {
            auto* button = panel->findChild<QToolButton*>("explainButton");
            auto* text = panel->findChild<QLabel*>("explanation");
            QVERIFY2(button && text, qPrintable(panel->name()));
            QVERIFY(text->text().contains("What it shows") && text->text().contains("About the method"));
            QVERIFY(!panel->explanationVisible());
            button->click();
            QVERIFY(panel->explanationVisible());
            button->click();
            QVERIFY(!panel->explanationVisible());
        }
        // Help → Explain every panel opens them all; the link opens About the method.
        auto* explainAll = window.findChild<QAction*>("explainAllAction");
        QVERIFY(explainAll);
        explainAll->trigger();
        for (Panel* panel : window.panels())
            QVERIFY(panel->explanationVisible());
        explainAll->trigger();
        Q_EMIT window.panel("latents")->findChild<QLabel*>("explanation")->linkActivated("about:method");
        auto* about = window.findChild<QDialog*>("aboutMethod");
        QVERIFY(about && about->isVisible());
        // Legends sit outside the plotted data, in every panel.
        for (Panel* panel : window.panels()) {
            panel->refreshNow();
            QVERIFY2(panel->legendsClearOfData(), qPrintable(panel->name()));
        }
    }

    void themeSwitchRepaintsTheHeatmaps()
    {
        QTemporaryDir dir;
        const QString run = trainedRun(dir);
        StudioWindow window;
        window.resize(1600, 1000);
        window.show();
        QVERIFY(window.openRun(run));
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->snapshot() != nullptr, 60000);
        Panel* connectivity = window.panel("connectivity");
        connectivity->refreshNow();
        QWidget* trueView = nullptr; // the first plot: the true W map
        for (QWidget* child : connectivity->findChildren<QWidget*>())
            if (!trueView && QString(child->metaObject()->className()) == "QCustomPlot")
                trueView = child;
        QVERIFY(trueView);
        // The mean brightness of the map's middle (W ≈ 0 is the gradient's centre: white, or dark grey when dark).
        const auto middleBrightness = [trueView] {
            QCoreApplication::processEvents();
            const QImage image = trueView->grab().toImage();
            const QRect middle(image.width() * 2 / 5, image.height() * 2 / 5, image.width() / 5, image.height() / 5);
            double sum = 0.0;
            for (int y = middle.top(); y <= middle.bottom(); ++y)
                for (int x = middle.left(); x <= middle.right(); ++x)
                    sum += qGray(image.pixel(x, y));
            return sum / (middle.width() * middle.height());
        };
        const double light = middleBrightness();
        ThemeManager::instance().setDark(true);
        connectivity->refreshNow();
        const double dark = middleBrightness();
        ThemeManager::instance().setDark(false);
        QVERIFY2(light > 150 && dark < 110, qPrintable(QString("light %1, dark %2").arg(light).arg(dark)));
    }

    void summaryCardWithoutAModelSaysWhatToDo()
    {
        StudioWindow window;
        window.show();
        SummaryCard* card = window.showSummary();
        QVERIFY(!card->running());
        QVERIFY(card->evaluation() == nullptr);
        QString error;
        QVERIFY(!card->saveText(QDir::temp().filePath("never.txt"), &error));
        QVERIFY(error.contains("no summary yet"));
    }
};

QTEST_MAIN(TestTeaching)
#include "test_teaching.moc"
