#include "panels/stimulus_panel.h"

#include "plots/plot_style.h"
#include "studio/playback.h"
#include "studio/run_controller.h"

#include "plexus/analysis/stimulus_recovery.h"
#include "plexus/sim/stimulus.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTextStream>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace plexus::ui {

namespace {

constexpr Eigen::Index kScatterPoints = 20000;

std::int64_t gridSide(std::int64_t receivers)
{
    return static_cast<std::int64_t>(std::ceil(std::sqrt(static_cast<double>(receivers)) - 1e-9));
}

} // namespace

StimulusPanel::StimulusPanel(RunController* controller, NeuronSelection* selection, Playback* playback, QWidget* parent)
    : Panel("stimulus", tr("Stimulus"), controller, selection, parent), m_playback(playback)
{
    m_info = addInfoLabel();
    m_exportFrames = new QPushButton(tr("Export frames…"), this);
    m_exportFrames->setObjectName("exportStimulusFrames");
    m_exportFrames->setToolTip(tr("Write the compared frames as PNG images, true and learned side by side"));
    addTool(m_exportFrames);
    connect(m_exportFrames, &QPushButton::clicked, this, &StimulusPanel::chooseExportFolder);

    m_trueView = makePlot(this, tr("x"), tr("y"));
    m_learnedView = makePlot(this, tr("x"), tr("y"));
    m_scatter = makePlot(this, tr("true √Ω"), tr("learned √Ω* (scaled)"));
    m_trueTitle = new QCPTextElement(m_trueView, tr("true √Ω (hidden)"));
    m_learnedTitle = new QCPTextElement(m_learnedView, tr("learned √Ω*"));
    m_trueView->plotLayout()->insertRow(0);
    m_trueView->plotLayout()->addElement(0, 0, m_trueTitle);
    m_learnedView->plotLayout()->insertRow(0);
    m_learnedView->plotLayout()->addElement(0, 0, m_learnedTitle);
    m_trueMap = new QCPColorMap(m_trueView->xAxis, m_trueView->yAxis);
    m_learnedMap = new QCPColorMap(m_learnedView->xAxis, m_learnedView->yAxis);
    for (QCPColorMap* map : {m_trueMap, m_learnedMap}) {
        map->setGradient(QCPColorGradient::gpGrayscale);
        map->setInterpolate(false);
    }
    for (QCustomPlot* view : {m_trueView, m_learnedView}) {
        view->yAxis->setRangeReversed(true); // row 0 at the top, as the movie
        stylePlot(view, ThemeManager::instance().theme());
        // Square pixels: the y range follows the x range's scale at every replot (resizes included).
        connect(view, &QCustomPlot::beforeReplot, view, [view] {
            const QRect area = view->axisRect()->rect();
            if (area.width() >= area.height()) // the longer side's range grows around the image
                view->xAxis->setScaleRatio(view->yAxis, 1.0);
            else
                view->yAxis->setScaleRatio(view->xAxis, 1.0);
        });
    }
    m_fitLine = new QCPItemStraightLine(m_scatter);
    m_fitLine->setPen(QPen(QColor(214, 39, 40), 1.5));
    m_fitLine->setVisible(false);

    auto* images = new QHBoxLayout;
    images->addWidget(m_trueView);
    images->addWidget(m_learnedView);
    body()->addLayout(images, 3);
    body()->addWidget(m_scatter, 2);

    connect(controller, &RunController::datasetChanged, this, &StimulusPanel::markDirty);
    connect(controller, &RunController::snapshotChanged, this, &StimulusPanel::markDirty);
    connect(playback, &Playback::frameChanged, this, [this](int frame) {
        if (isVisible())
            showFrame(frame);
    });
}

Eigen::MatrixXf StimulusPanel::gridOf(const Eigen::VectorXf& values) const
{
    const auto receivers = static_cast<std::int64_t>(values.size());
    const std::int64_t side = gridSide(receivers);
    Eigen::MatrixXf image = Eigen::MatrixXf::Constant(side, side, std::nanf(""));
    if (side * side == receivers) {
        for (std::int64_t row = 0; row < side; ++row)
            for (std::int64_t col = 0; col < side; ++col)
                image(row, col) = values(movieGridNeuron(row, col, side));
    } else { // not a square grid: the receivers in their order, row by row
        for (std::int64_t k = 0; k < receivers; ++k)
            image(k / side, k % side) = values(k);
    }
    return image;
}

void StimulusPanel::fill(QCPColorMap* map, const Eigen::MatrixXf& image, double bottom, double top)
{
    const auto side = static_cast<int>(image.rows());
    map->data()->setSize(side, side);
    map->data()->setRange(QCPRange(0, side - 1), QCPRange(0, side - 1));
    for (int row = 0; row < side; ++row)
        for (int col = 0; col < side; ++col)
            map->data()->setCell(col, row, image(row, col));
    map->setDataRange(QCPRange(bottom, std::max(top, bottom + 1e-6)));
    map->parentPlot()->xAxis->setRange(-0.5, side - 0.5);
    map->parentPlot()->yAxis->setRange(-0.5, side - 0.5);
}

void StimulusPanel::showFrame(int frame)
{
    const auto data = controller()->dataset();
    if (!data || data->stimulusReceivers() == 0)
        return;
    const auto snapshot = controller()->snapshot();
    const std::shared_ptr<const StimulusComparison> comparison = snapshot ? snapshot->stimulus : nullptr;
    if (comparison && !comparison->frames.empty()) {
        const std::int64_t row = comparison->rowAt(frame);
        m_shownFrame = comparison->frames[static_cast<std::size_t>(row)];
        // One grey scale for both, over the true values' range (the movie's contrast).
        const double bottom = comparison->truth.minCoeff(), top = comparison->truth.maxCoeff();
        m_trueImage = gridOf(comparison->truth.row(row).transpose());
        m_learnedImage = gridOf(comparison->learned.row(row).transpose());
        fill(m_trueMap, m_trueImage, bottom, top);
        fill(m_learnedMap, m_learnedImage, bottom, top);
        m_learnedTitle->setText(tr("learned √Ω*, frame %1").arg(m_shownFrame));
    } else {
        m_shownFrame = std::clamp<std::int64_t>(frame, 0, data->frames() - 1);
        // A signed input (additive, e.g. oscillatory) is shown as it is; a non-negative one as √Ω, as compared.
        const bool signedInput = data->stimulus.minCoeff() < 0.0f;
        const Eigen::VectorXf values = data->stimulus.row(m_shownFrame).transpose();
        m_trueImage = gridOf(signedInput ? values : Eigen::VectorXf(values.cwiseSqrt()));
        m_learnedImage.resize(0, 0);
        const float low = data->stimulus.minCoeff(), high = data->stimulus.maxCoeff();
        fill(m_trueMap, m_trueImage, signedInput ? low : std::sqrt(low), signedInput ? high : std::sqrt(std::max(0.0f, high)));
        m_learnedMap->data()->clear();
        m_learnedTitle->setText(snapshot ? tr("no learned Ω*") : tr("learned √Ω*: train first"));
    }
    const bool signedInput = !comparison && data->stimulus.minCoeff() < 0.0f;
    m_trueTitle->setText((signedInput ? tr("true input e (hidden), frame %1") : tr("true √Ω (hidden), frame %1"))
                             .arg(m_shownFrame));
    m_trueView->replot(QCustomPlot::rpQueuedReplot);
    m_learnedView->replot(QCustomPlot::rpQueuedReplot);
}

void StimulusPanel::drawScatter(const StimulusComparison& c)
{
    const Eigen::Index count = c.truth.size();
    const Eigen::Index stride = std::max<Eigen::Index>(1, count / kScatterPoints);
    QVector<double> x, y;
    for (Eigen::Index k = 0; k < count; k += stride) {
        x.push_back(c.truth.data()[k]);
        y.push_back(c.learned.data()[k]);
    }
    if (m_scatter->graphCount() == 0) {
        m_scatter->addGraph();
        m_scatter->graph(0)->setLineStyle(QCPGraph::lsNone);
        m_scatter->graph(0)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDot));
        m_scatter->graph(0)->setPen(QPen(QColor(31, 119, 180)));
    }
    m_scatter->graph(0)->setData(x, y);
    m_scatter->rescaleAxes();
    m_fitLine->point1->setCoords(0, c.fit.intercept);
    m_fitLine->point2->setCoords(1, c.fit.intercept + c.fit.slope);
    m_fitLine->setVisible(true);
    m_scatter->replot(QCustomPlot::rpQueuedReplot);
}

bool StimulusPanel::redraw()
{
    const auto data = controller()->dataset();
    const bool hidden = data && data->stimulusReceivers() > 0;
    m_exportFrames->setEnabled(false);
    for (QCustomPlot* plot : plots())
        plot->setVisible(hidden);
    if (!hidden) {
        m_info->setText(data ? tr("No hidden stimulus in this experiment: no neuron receives an external input.")
                             : tr("No run open."));
        m_r2 = 0.0;
        m_shownFrame = -1;
        return false;
    }
    const auto snapshot = controller()->snapshot();
    const auto comparison = snapshot ? snapshot->stimulus : nullptr;
    if (comparison && !comparison->frames.empty()) {
        m_r2 = comparison->fit.r2;
        m_info->setText(tr("Ω* against the hidden movie, %1 frames (iteration %2): R² %3, slope %4; Ω* scaled ×%5 "
                           "(Ω* and W are known only up to a product).")
                            .arg(comparison->frames.size())
                            .arg(snapshot->stimulusIteration)
                            .arg(comparison->fit.r2, 0, 'f', 3)
                            .arg(comparison->fit.slope, 0, 'f', 3)
                            .arg(comparison->scale, 0, 'g', 3));
        drawScatter(*comparison);
        m_exportFrames->setEnabled(true);
    } else {
        m_r2 = 0.0;
        if (m_scatter->graphCount() > 0)
            m_scatter->graph(0)->data()->clear();
        m_fitLine->setVisible(false);
        m_scatter->replot(QCustomPlot::rpQueuedReplot);
        m_info->setText(snapshot ? tr("%1 neurons receive a movie; this training is given it (training.learn_external_input "
                                      "is off), so there is no learned field to compare.")
                                       .arg(data->stimulusReceivers())
                                 : tr("%1 neurons receive a hidden movie. Train, and the GNN learns it as a field Ω*.")
                                       .arg(data->stimulusReceivers()));
    }
    showFrame(m_playback->frame());
    return true;
}

QString StimulusPanel::csvText() const
{
    QString text;
    QTextStream out(&text);
    out << "frame,neuron,true_sqrt_omega,learned_sqrt_omega_scaled\n";
    const auto snapshot = controller()->snapshot();
    const auto comparison = snapshot ? snapshot->stimulus : nullptr;
    if (!comparison)
        return text;
    for (Eigen::Index row = 0; row < comparison->truth.rows(); ++row)
        for (Eigen::Index i = 0; i < comparison->truth.cols(); ++i)
            out << comparison->frames[static_cast<std::size_t>(row)] << "," << i << "," << comparison->truth(row, i) << ","
                << comparison->learned(row, i) << "\n";
    return text;
}

int StimulusPanel::exportFrames(const QString& folder, int pixels, QString* error) const
{
    const auto snapshot = controller()->snapshot();
    const auto comparison = snapshot ? snapshot->stimulus : nullptr;
    if (!comparison || comparison->frames.empty()) {
        *error = tr("There is no learned stimulus field yet: train first.");
        return -1;
    }
    if (!QDir().mkpath(folder)) {
        *error = tr("Cannot create the folder %1.").arg(folder);
        return -1;
    }
    const float bottom = comparison->truth.minCoeff(), range = std::max(1e-6f, comparison->truth.maxCoeff() - bottom);
    const auto side = static_cast<int>(gridSide(comparison->truth.cols()));
    const int gap = pixels, width = 2 * side * pixels + gap, height = side * pixels;
    for (Eigen::Index row = 0; row < comparison->truth.rows(); ++row) {
        QImage image(width, height, QImage::Format_Grayscale8);
        image.fill(255);
        const Eigen::MatrixXf halves[2] = {gridOf(comparison->truth.row(row).transpose()),
                                           gridOf(comparison->learned.row(row).transpose())};
        for (int half = 0; half < 2; ++half)
            for (int y = 0; y < height; ++y) {
                uchar* line = image.scanLine(y) + half * (side * pixels + gap);
                for (int x = 0; x < side * pixels; ++x) {
                    const float value = halves[half](y / pixels, x / pixels);
                    line[x] = std::isfinite(value)
                                  ? static_cast<uchar>(std::clamp((value - bottom) / range, 0.0f, 1.0f) * 255.0f)
                                  : 255;
                }
            }
        const QString path = QDir(folder).filePath(QString("frame_%1.png").arg(row, 4, 10, QChar('0')));
        if (!image.save(path)) {
            *error = tr("Cannot write %1.").arg(path);
            return -1;
        }
    }
    return static_cast<int>(comparison->truth.rows());
}

void StimulusPanel::chooseExportFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export the compared frames to"));
    if (folder.isEmpty())
        return;
    QString error;
    const int written = exportFrames(folder, 8, &error);
    if (written < 0)
        QMessageBox::warning(this, tr("Export frames"), error);
    else
        m_info->setText(tr("Wrote %1 frames (true | learned) to %2.").arg(written).arg(folder));
}

} // namespace plexus::ui
