#include "panels/panel.h"

#include "plots/plot_export.h"
#include "plots/plot_style.h"
#include "studio/theme.h"

#include <qcustomplot.h>

#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

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
    m_tools = new QHBoxLayout;
    m_tools->setSpacing(6);
    layout->addLayout(m_tools);
    m_body = new QVBoxLayout;
    m_body->setSpacing(2);
    layout->addLayout(m_body, 1);
    m_tools->addStretch(1);
    auto* exportButton = new QToolButton(this);
    exportButton->setObjectName("exportButton");
    exportButton->setText(tr("Export…"));
    exportButton->setToolTip(tr("Save this panel as PNG, SVG or PDF, and its data as CSV"));
    m_tools->addWidget(exportButton);
    connect(exportButton, &QToolButton::clicked, this, &Panel::exportDialog);
    connect(&ThemeManager::instance(), &ThemeManager::changed, this, [this] {
        applyTheme(ThemeManager::instance().theme());
        markDirty();
    });
}

void Panel::applyTheme(const Theme& theme)
{
    for (QCustomPlot* plot : plots())
        stylePlot(plot, theme);
}

void Panel::markDirty()
{
    m_dirty = true;
    if (!isVisible() || m_scheduled)
        return;
    m_scheduled = true; // several signals of one poll → one redraw
    QTimer::singleShot(0, this, [this] {
        m_scheduled = false;
        if (m_dirty && isVisible())
            refreshNow();
    });
}

void Panel::refreshNow()
{
    QElapsedTimer clock;
    clock.start();
    m_dirty = false;
    if (redraw())
        ++m_redraws;
    m_lastRedrawMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    if (qEnvironmentVariableIsSet("PLEXUS_DEBUG_REDRAW"))
        qInfo("redraw %s %.1f ms", qPrintable(objectName()), m_lastRedrawMs);
}

void Panel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        refreshNow();
}

bool Panel::exportImage(const QString& path, QString* error)
{
    return exportWidgetImage(this, plots(), path, error);
}

bool Panel::exportCsv(const QString& path, QString* error) const
{
    return writeTextFile(path, csvText(), error);
}

void Panel::exportDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(m_title), objectName() + ".png",
                                                      imageFileFilter() + ";;CSV data (*.csv)");
    if (path.isEmpty())
        return;
    QString error;
    const bool ok = QFileInfo(path).suffix().toLower() == "csv" ? exportCsv(path, &error) : exportImage(path, &error);
    if (!ok)
        QMessageBox::warning(this, tr("Export failed"), error);
}

} // namespace plexus::ui
