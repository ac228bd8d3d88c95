// The Studio explains itself (docs/user-guide.md, "Teaching with Plexus"): the summary card gives evaluate's
// numbers, every panel says what it shows and how to read it.
#include "panels/functions_panel.h"
#include "panels/lab_panel.h"
#include "panels/panel.h"
#include "studio/guided_tour.h"
#include "studio/run_controller.h"
#include "studio/studio_window.h"
#include "studio/summary_card.h"
#include "studio/theme.h"
#include "studio/transport_bar.h"

#include "plexus/analysis/evaluation.h"
#include "plexus/analysis/evaluation_text.h"
#include "plexus/config/config_loader.h"
#include "plexus/data/dataset_file.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/sim/simulator.h"
#include "plexus/sim/true_functions.h"
#include "plexus/train/trainer.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QSet>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QToolButton>
#include <QFile>
#include <QFrame>
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
QString trainedRun(const QTemporaryDir& dir, const std::vector<double>& phiAxis = {-8.0, 8.0})
{
    ExperimentConfig config;
    config.plotting.mlp0Ylim = phiAxis;
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

/// The panel's plots in creation order (QCustomPlot is only forward-declared to the tests).
QList<QWidget*> customPlots(const QWidget* panel)
{
    QList<QWidget*> plots;
    for (QWidget* child : panel->findChildren<QWidget*>())
        if (QString(child->metaObject()->className()) == "QCustomPlot")
            plots.push_back(child);
    return plots;
}

/// Opens `run` in a large window and waits for its model's views.
bool showTrained(StudioWindow& window, const QString& run)
{
    window.resize(1600, 1000);
    window.show();
    return window.openRun(run) && QTest::qWaitFor([&window] { return window.controller()->snapshot() != nullptr; }, 60000);
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
        StudioWindow window;
        QVERIFY(showTrained(window, trainedRun(dir)));
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
            QTRY_VERIFY2(panel->legendsClearOfData(), qPrintable(panel->name())); // after the queued replot
        }
    }

    void themeSwitchRepaintsTheHeatmaps()
    {
        QTemporaryDir dir;
        StudioWindow window;
        QVERIFY(showTrained(window, trainedRun(dir)));
        Panel* connectivity = window.panel("connectivity");
        connectivity->refreshNow();
        const QList<QWidget*> plots = customPlots(connectivity);
        QVERIFY(!plots.isEmpty());
        QWidget* trueView = plots.front(); // the first plot: the true W map
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
        // The toolbar icons are drawn in the text colour: dark glyphs on the light theme, light ones on the dark.
        const auto iconBrightness = [&window] {
            const QImage glyph = window.transport()->trainAction()->icon().pixmap(QSize(24, 24)).toImage();
            double sum = 0.0, weight = 0.0;
            for (int y = 0; y < glyph.height(); ++y)
                for (int x = 0; x < glyph.width(); ++x) {
                    const QRgb pixel = glyph.pixel(x, y);
                    sum += qGray(pixel) * qAlpha(pixel);
                    weight += qAlpha(pixel);
                }
            return weight > 0 ? sum / weight : -1.0;
        };
        const double light = middleBrightness(), lightIcon = iconBrightness();
        ThemeManager::instance().setDark(true);
        connectivity->refreshNow();
        const double dark = middleBrightness(), darkIcon = iconBrightness();
        ThemeManager::instance().setDark(false);
        QVERIFY2(light > 150 && dark < 110, qPrintable(QString("light %1, dark %2").arg(light).arg(dark)));
        QVERIFY2(lightIcon >= 0 && lightIcon < 90 && darkIcon > 170,
                 qPrintable(QString("icons: light %1, dark %2").arg(lightIcon).arg(darkIcon)));
    }

    void connectivityScatterColoursTheReceiversType()
    {
        // One cloud per receiving neuron's true type, in the type colours of the other panels: a model that cannot
        // tell types apart (supp_3) shows one line per receiver type (docs/reproduction.md).
        QTemporaryDir dir;
        StudioWindow window;
        QVERIFY(showTrained(window, trainedRun(dir)));
        Panel* connectivity = window.panel("connectivity");
        connectivity->refreshNow();
        const QList<QWidget*> plots = customPlots(connectivity); // true map, learned map, scatter, R² history
        QCOMPARE(plots.size(), 4);
        QWidget* scatter = plots.at(2);
        QCoreApplication::processEvents();
        const QImage image = scatter->grab().toImage();
        const auto near = [](QRgb pixel, const QColor& colour) {
            return std::abs(qRed(pixel) - colour.red()) + std::abs(qGreen(pixel) - colour.green()) +
                       std::abs(qBlue(pixel) - colour.blue()) < 40;
        };
        for (int k = 0; k < 4; ++k) {
            int pixels = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    pixels += near(image.pixel(x, y), Theme::typeColor(k));
            QVERIFY2(pixels >= 20, qPrintable(QString("type %1: %2 pixels of its colour").arg(k).arg(pixels)));
        }
    }

    void figuresHaveTheChosenSizeTitleAndCaptionButNoButtons()
    {
        QTemporaryDir dir;
        StudioWindow window;
        QVERIFY(showTrained(window, trainedRun(dir)));
        Panel* connectivity = window.panel("connectivity");
        connectivity->refreshNow();
        FigureOptions options;
        options.pixels = QSize(1234, 777);
        options.dpi = 300;
        QString error;
        const QString png = dir.filePath("figure.png");
        QVERIFY2(connectivity->exportFigure(png, options, &error), qPrintable(error));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1234, 777));
        QVERIFY(std::abs(image.dotsPerMeterX() - 300 / 0.0254) < 2);
        // Where a screen grab has the Export button (the header's right end), the figure has plain background.
        const QRect corner(image.width() - image.width() / 8, 2, image.width() / 8 - 2, image.height() / 25);
        const QRgb first = image.pixel(corner.topLeft());
        for (int y = corner.top(); y <= corner.bottom(); ++y)
            for (int x = corner.left(); x <= corner.right(); ++x)
                QVERIFY2(image.pixel(x, y) == first, qPrintable(QString("pixel %1, %2").arg(x).arg(y)));
        // SVG keeps the title and the caption as text: the experiment, the iteration, the scores.
        const QString svg = dir.filePath("figure.svg");
        QVERIFY2(connectivity->exportFigure(svg, options, &error), qPrintable(error));
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY(text.contains("Connectivity"));
        QVERIFY2(text.contains("teaching") && text.contains("iteration 40") && text.contains("W R²"),
                 qPrintable(connectivity->figureCaption()));
        options.pixels = QSize(10, 10);
        QVERIFY(!connectivity->exportFigure(dir.filePath("tiny.png"), options, &error));
        QVERIFY(error.contains("at least 50"));
        // CSV: a comment with the run, iteration and units, then distinct pairs.
        const QString csv = dir.filePath("w.csv");
        QVERIFY2(connectivity->exportCsv(csv, &error), qPrintable(error));
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csvFile.readAll().split('\n');
        QVERIFY(lines[0].startsWith("# Plexus Connectivity") && lines[0].contains("iteration 40"));
        QVERIFY(lines[2].startsWith("i,j,"));
        QSet<QByteArray> pairs;
        int rows = 0;
        for (int k = 3; k < lines.size(); ++k) {
            if (lines[k].isEmpty())
                continue;
            ++rows;
            const QList<QByteArray> cells = lines[k].split(',');
            pairs.insert(cells[0] + "," + cells[1]);
        }
        QCOMPARE(rows, int(pairs.size())); // no pair twice
        QCOMPARE(pairs.size(), 40 * 39); // every pair i ≠ j once
    }

    void guidedTourWalksTheFirstRunAndIsRemembered()
    {
        QSettings().remove("tourSeen");
        QVERIFY(!GuidedTour::seen());
        StudioWindow window;
        window.resize(1600, 1000);
        window.show();
        GuidedTour* tour = window.guidedTour();
        tour->start();
        QCOMPARE(tour->stepCount(), 5);
        // The open experiment's numbers, not the demo's written in.
        const auto& simulation = window.controller()->config().simulation;
        QVERIFY2(tour->text().contains(QString("%1 neurons of %2 types").arg(simulation.nNeurons).arg(simulation.nNeuronTypes)),
                 qPrintable(tour->text()));
        const QStringList expected = {"Simulate", "Train", "W", "types", "function"};
        for (int k = 0; k < tour->stepCount(); ++k) {
            QCOMPARE(tour->step(), k);
            QVERIFY2(tour->text().contains(expected[k]), qPrintable(tour->text()));
            auto* bubble = window.findChild<QFrame*>("tourBubble");
            QVERIFY(bubble && bubble->isVisible());
            QVERIFY(window.rect().contains(bubble->geometry())); // inside the window, whatever the target
            if (k >= 2) { // a panel step: the callout sits beside the panel it is about, not on it
                const QStringList panels = {"", "", "connectivity", "latents", "functions"};
                Panel* target = window.panel(panels[k]);
                const QRect area(target->mapTo(&window, QPoint(0, 0)), target->size());
                QVERIFY2(!area.intersects(bubble->geometry()), qPrintable(panels[k]));
            }
            tour->next();
        }
        QVERIFY(!tour->running());
        QVERIFY(GuidedTour::seen());
        QSettings().remove("tourSeen");
        tour->start();
        tour->skip();
        QVERIFY(!tour->running() && GuidedTour::seen());
    }

    void presenterModeEnlargesTextAndBack()
    {
        StudioWindow window;
        window.show();
        const double before = QApplication::font().pointSizeF();
        auto* presenter = window.findChild<QAction*>("presenterAction");
        QVERIFY(presenter);
        presenter->trigger();
        QCOMPARE(QApplication::font().pointSizeF(), before * 1.5);
        QCOMPARE(ThemeManager::instance().theme().scale, 1.5);
        QTRY_VERIFY(window.panel("connectivity")->font().pointSizeF() > before * 1.4);
        presenter->trigger();
        QCOMPARE(QApplication::font().pointSizeF(), before);
        QCOMPARE(ThemeManager::instance().theme().scale, 1.0);
    }

    void spaceMeansPauseInNumberFieldsAndTypesInTextFields()
    {
        StudioWindow window;
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto* playPause = window.findChild<QAction*>("playPauseAction");
        QVERIFY(playPause);
        QSignalSpy toggled(playPause, &QAction::triggered);
        auto* traces = window.findChild<QLineEdit*>("pinnedNeurons");
        auto* search = window.findChild<QLineEdit*>("parameterSearch");
        auto* spin = window.labPanel()->findChild<QSpinBox*>();
        QVERIFY(traces && search && spin);
        window.panel("activity")->raise();
        traces->setFocus();
        QTRY_VERIFY(traces->hasFocus());
        QTest::keyClicks(traces, "3,");
        QTest::keyClick(traces, Qt::Key_Space);
        QCOMPARE(traces->text(), QString("3,"));
        QCOMPARE(toggled.count(), 1);
        search->setFocus();
        QTRY_VERIFY(search->hasFocus());
        QTest::keyClicks(search, "learning rate");
        QCOMPARE(search->text(), QString("learning rate"));
        QCOMPARE(toggled.count(), 1);
        window.showLab();
        spin->setFocus();
        QTRY_VERIFY(spin->hasFocus());
        const QString before = spin->text();
        QTest::keyClick(spin, Qt::Key_Space);
        QCOMPARE(spin->text(), before);
        QCOMPARE(toggled.count(), 2);
    }

    void functionsAxisNeverCropsTheTruth()
    {
        // A φ* axis narrower than the true functions (the authors' fig_3 file sets ylim [0, 0.3]) is widened to them.
        QTemporaryDir dir;
        const QString run = trainedRun(dir, {0.0, 0.3});
        StudioWindow window;
        QVERIFY(showTrained(window, run));
        auto* panel = qobject_cast<FunctionsPanel*>(window.panel("functions"));
        QVERIFY(panel);
        panel->refreshNow();
        const auto [lower, upper] = panel->updateAxisRange();
        const auto data = window.controller()->dataset();
        const auto& xlim = window.controller()->config().plotting.xlim;
        const Eigen::ArrayXd u = Eigen::ArrayXd::LinSpaced(200, xlim[0], xlim[1]);
        for (Eigen::Index k = 0; k < data->typeParameters.rows(); ++k) {
            const Eigen::ArrayXd phi = trueUpdateFunction(data->signalModel, data->typeParameters.row(k), u);
            QVERIFY2(lower <= phi.minCoeff() && upper >= phi.maxCoeff(),
                     qPrintable(QString("axis %1…%2, type %3's φ %4…%5").arg(lower).arg(upper).arg(k)
                                    .arg(phi.minCoeff()).arg(phi.maxCoeff())));
        }
        QVERIFY(lower <= 0.0 && upper >= 0.3); // the configured range stays inside
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
