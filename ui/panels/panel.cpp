#include "panels/panel.h"

#include "panels/panel_explanations.h"
#include "plots/plot_export.h"
#include "plots/plot_style.h"
#include "studio/run_controller.h"
#include "studio/theme.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <optional>

namespace plexus::ui {

Panel::Panel(const QString& name, const QString& title, RunController* controller, NeuronSelection* selection,
             QWidget* parent)
    : QWidget(parent), m_title(title), m_controller(controller), m_selection(selection)
{
    setObjectName(name);
    setWindowTitle(title);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 4);
    layout->setSpacing(2);
    m_header = new QHBoxLayout; // the info line, ⓘ and Export
    m_header->setSpacing(6);
    layout->addLayout(m_header);
    m_tools = new QHBoxLayout; // the panel's own controls, below, left-aligned
    m_tools->setSpacing(6);
    m_tools->addStretch(1);
    layout->addLayout(m_tools);
    const QString explanation = panelExplanation(name);
    if (!explanation.isEmpty()) {
        m_explanation = new QLabel(explanation, this);
        m_explanation->setObjectName("explanation");
        m_explanation->setWordWrap(true);
        m_explanation->setTextFormat(Qt::RichText);
        m_explanation->setFrameShape(QFrame::StyledPanel);
        m_explanation->setMargin(4);
        m_explanation->setAutoFillBackground(true);
        m_explanation->setBackgroundRole(QPalette::ToolTipBase);
        m_explanation->setForegroundRole(QPalette::ToolTipText);
        m_explanation->setVisible(false);
        connect(m_explanation, &QLabel::linkActivated, this, [this] { Q_EMIT aboutMethodRequested(); });
        layout->addWidget(m_explanation);
    }
    m_body = new QVBoxLayout;
    m_body->setSpacing(2);
    layout->addLayout(m_body, 1);
    m_header->addStretch(1);
    if (m_explanation) {
        auto* explain = new QToolButton(this);
        explain->setObjectName("explainButton");
        explain->setIcon(style()->standardIcon(QStyle::SP_MessageBoxInformation));
        explain->setIconSize(QSize(16, 16));
        explain->setCheckable(true);
        explain->setAutoRaise(true);
        explain->setToolTip(tr("What this panel shows and how to read it"));
        m_header->addWidget(explain);
        connect(explain, &QToolButton::toggled, this, &Panel::setExplanationVisible);
    }
    auto* exportButton = new QToolButton(this);
    exportButton->setObjectName("exportButton");
    exportButton->setText(tr("Export…"));
    exportButton->setToolTip(tr("Save this panel as PNG, SVG or PDF, and its data as CSV"));
    m_header->addWidget(exportButton);
    connect(exportButton, &QToolButton::clicked, this, &Panel::exportDialog);
    connect(controller, &RunController::progressChanged, this, &Panel::onTick);
    connect(&ThemeManager::instance(), &ThemeManager::changed, this, [this] {
        applyTheme(ThemeManager::instance().theme());
        markDirty();
    });
}

QLabel* Panel::addInfoLabel()
{
    auto* label = new QLabel(this);
    label->setWordWrap(true); // long texts wrap rather than widen the window
    m_header->insertWidget(0, label, 1);
    m_infoLabel = label;
    return label;
}

void Panel::addTool(QWidget* widget)
{
    m_tools->insertWidget(m_tools->count() - 1, widget); // before the trailing stretch
}

void Panel::setExplanationVisible(bool visible)
{
    if (!m_explanation)
        return;
    m_explanation->setVisible(visible);
    if (auto* button = findChild<QToolButton*>("explainButton"); button && button->isChecked() != visible)
        button->setChecked(visible);
}

bool Panel::legendsClearOfData() const
{
    for (QCustomPlot* plot : plots())
        if (plot->legend && plot->legend->visible() && plot->legend->outerRect().intersects(plot->axisRect()->rect()))
            return false;
    return true;
}

bool Panel::explanationVisible() const
{
    return m_explanation && !m_explanation->isHidden();
}

void Panel::applyTheme(const Theme& theme)
{
    for (QCustomPlot* plot : plots())
        stylePlot(plot, theme);
}

namespace {

/// Milliseconds since the program started (steady).
qint64 nowMs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer c;
        c.start();
        return c;
    }();
    return clock.elapsed();
}

constexpr double kRedrawShare = 0.05;

} // namespace

void Panel::markDirty()
{
    m_dirty = true;
    if (!isVisible() || m_scheduled || nowMs() < m_nextAllowedMs)
        return; // a throttled panel catches up on a later controller tick (onTick)
    m_scheduled = true; // several signals of one poll → one redraw
    QTimer::singleShot(0, this, &Panel::runScheduled);
}

void Panel::onTick()
{
    // Catch-up redraws happen on the controller's poll, so the panels that are due repaint together (one window
    // composite) rather than each on its own timer.
    if (m_dirty && !m_scheduled && isVisible() && nowMs() >= m_nextAllowedMs) {
        m_scheduled = true;
        QTimer::singleShot(0, this, &Panel::runScheduled);
    }
}

void Panel::markSelectionDirty()
{
    m_selectionDirty = true;
    if (!isVisible())
        return;
    QTimer::singleShot(0, this, [this] {
        if (!m_selectionDirty || !isVisible())
            return;
        m_selectionDirty = false;
        QElapsedTimer clock;
        clock.start();
        redrawSelection();
        ++m_redraws;
        m_lastRedrawMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    });
}

void Panel::runScheduled()
{
    m_scheduled = false;
    if (m_dirty && isVisible())
        refreshNow();
}

void Panel::refreshNow()
{
    QElapsedTimer clock;
    clock.start();
    m_dirty = false;
    m_selectionDirty = false;
    const bool drawn = redraw();
    if (drawn)
        ++m_redraws;
    if (ThemeManager::instance().theme().scale != 1.0) // presenter mode: thicker lines, whatever was redrawn
        for (QCustomPlot* plot : plots())
            scaleLines(plot, ThemeManager::instance().theme().scale);
    m_lastRedrawMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    m_nextAllowedMs = nowMs() + static_cast<qint64>(m_lastRedrawMs / kRedrawShare);
    if (drawn)
        Q_EMIT redrawn();
}

void Panel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_dirty || m_selectionDirty)
        refreshNow();
}

FigureOptions Panel::figureOptions() const
{
    FigureOptions options;
    options.pixels = size() * 2;
    options.dpi = 192;
    return options;
}

QString Panel::figureCaption() const
{
    const QString experiment = QString::fromStdString(m_controller->config().dataset);
    const bool saysIteration = m_infoLabel && m_infoLabel->text().contains(tr("iteration"));
    QString caption = tr("%1 — %2").arg(experiment.isEmpty() ? tr("experiment") : experiment,
                                        QFileInfo(m_controller->runDir()).fileName()) +
                      (saysIteration ? QString(".") : tr(", iteration %1.").arg(m_controller->iteration()));
    if (m_infoLabel && !m_infoLabel->text().isEmpty())
        caption += " " + m_infoLabel->text() + (m_infoLabel->toolTip().isEmpty() ? "." : ". " + m_infoLabel->toolTip());
    return caption;
}

FigureContent Panel::figureContent()
{
    FigureContent content;
    content.title = m_title;
    content.caption = figureCaption();
    content.frame = this;
    content.plots = plots();
    content.others = figureWidgets();
    return content;
}

bool Panel::exportFigure(const QString& path, const FigureOptions& options, QString* error)
{
    return plexus::ui::exportFigure(figureContent(), options, path, error);
}

QImage Panel::figureImage(const FigureOptions& options)
{
    return renderFigure(figureContent(), options);
}

bool Panel::exportImage(const QString& path, QString* error)
{
    return exportFigure(path, figureOptions(), error);
}

QString Panel::csvComment() const
{
    const ExperimentConfig& config = m_controller->config();
    return tr("# Plexus %1 — run %2, experiment %3, iteration %4\n"
              "# units: activity u, du/dt and weights in the model's units; time in frames of Δt = %5\n")
        .arg(m_title, m_controller->runDir(), QString::fromStdString(config.dataset))
        .arg(m_controller->iteration())
        .arg(config.simulation.deltaT);
}

bool Panel::exportCsv(const QString& path, QString* error) const
{
    return writeTextFile(path, csvComment() + csvText(), error);
}

bool Panel::exportText(const QString& path, QString* error) const
{
    return writeTextFile(path, textReport(), error);
}

namespace {

/// The figure's size, resolution and caption, asked before an image export; nullopt when cancelled.
std::optional<FigureOptions> askFigureOptions(QWidget* parent, FigureOptions options)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("Figure"));
    auto* form = new QFormLayout(&dialog);
    auto* width = new QSpinBox(&dialog);
    auto* height = new QSpinBox(&dialog);
    for (QSpinBox* box : {width, height}) {
        box->setRange(50, 20000);
        box->setSuffix(QObject::tr(" px"));
    }
    width->setValue(options.pixels.width());
    height->setValue(options.pixels.height());
    auto* dpi = new QSpinBox(&dialog);
    dpi->setRange(30, 2400);
    dpi->setValue(options.dpi);
    dpi->setToolTip(QObject::tr("Text and lines are sized for this resolution: 300 for print, 96–150 for slides"));
    auto* caption = new QCheckBox(QObject::tr("caption: experiment, iteration, scores"), &dialog);
    caption->setChecked(options.caption);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(QObject::tr("Width"), width);
    form->addRow(QObject::tr("Height"), height);
    form->addRow(QObject::tr("Resolution (dpi)"), dpi);
    form->addRow(caption);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    options.pixels = QSize(width->value(), height->value());
    options.dpi = dpi->value();
    options.caption = caption->isChecked();
    return options;
}

} // namespace

void Panel::exportDialog()
{
    QString filters = imageFileFilter() + ";;CSV data (*.csv)";
    if (!textReport().isEmpty())
        filters += ";;" + tr("Text (*.txt)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(m_title), objectName() + ".png", filters);
    if (path.isEmpty())
        return;
    QString error;
    const QString suffix = QFileInfo(path).suffix().toLower();
    bool ok = false;
    if (suffix == "csv") {
        ok = exportCsv(path, &error);
    } else if (suffix == "txt") {
        ok = exportText(path, &error);
    } else {
        const std::optional<FigureOptions> options = askFigureOptions(this, figureOptions());
        if (!options)
            return;
        ok = exportFigure(path, *options, &error);
    }
    if (!ok)
        QMessageBox::warning(this, tr("Export failed"), error);
}

} // namespace plexus::ui
