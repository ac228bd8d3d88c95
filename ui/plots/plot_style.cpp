#include "plots/plot_style.h"

#include <algorithm>

namespace plexus::ui {

namespace {

void styleAxis(QCPAxis* axis, const Theme& theme)
{
    const QPen pen(theme.foreground, theme.scale);
    axis->setBasePen(pen);
    axis->setTickPen(pen);
    axis->setSubTickPen(pen);
    axis->setTickLabelColor(theme.foreground);
    axis->setLabelColor(theme.foreground);
    axis->grid()->setPen(QPen(theme.grid, 1, Qt::DotLine));
    axis->grid()->setZeroLinePen(QPen(theme.grid, 1));
}

} // namespace

void stylePlot(QCustomPlot* plot, const Theme& theme)
{
    plot->setBackground(QBrush(theme.background));
    QFont font = plot->font(); // the application's font: presenter mode makes it larger
    for (QCPAxisRect* rect : plot->axisRects())
        for (QCPAxis* axis : rect->axes()) {
            axis->setTickLabelFont(font);
            axis->setLabelFont(font);
        }
    plot->legend->setFont(font);
    for (QCPAxisRect* rect : plot->axisRects()) {
        for (QCPAxis* axis : rect->axes())
            styleAxis(axis, theme);
        rect->setBackground(QBrush(theme.background));
    }
    plot->legend->setBrush(QBrush(theme.background));
    plot->legend->setTextColor(theme.foreground);
    plot->legend->setBorderPen(QPen(theme.grid));
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i)))
            title->setTextColor(theme.foreground);
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)))
            text->setColor(theme.foreground);
}

QCPColorGradient divergingGradient(const Theme& theme)
{
    QCPColorGradient gradient;
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    gradient.setColorStopAt(0.0, QColor(33, 102, 172));
    gradient.setColorStopAt(0.5, theme.dark ? QColor(40, 40, 40) : QColor(247, 247, 247));
    gradient.setColorStopAt(1.0, QColor(178, 24, 43));
    return gradient;
}

QCustomPlot* makePlot(QWidget* parent, const QString& xLabel, const QString& yLabel)
{
    auto* plot = new QCustomPlot(parent);
    plot->setNotAntialiasedElements(QCP::aeAll);
    plot->setAntialiasedElements(QCP::aeNone);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->setMinimumSize(160, 120);
    stylePlot(plot, ThemeManager::instance().theme());
    // As many ticks as the axis has room for, so tick labels never run into each other at any size.
    QObject::connect(plot, &QCustomPlot::afterLayout, plot, [plot] {
        bool changed = false;
        for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
            const int room = axis->orientation() == Qt::Horizontal ? axis->axisRect()->width() / 85
                                                                   : axis->axisRect()->height() / 32;
            const int count = std::clamp(room, 2, 8);
            if (axis->ticker()->tickCount() != count) {
                axis->ticker()->setTickCount(count);
                changed = true;
            }
        }
        if (changed)
            plot->replot(QCustomPlot::rpQueuedReplot);
    });
    return plot;
}

QCPRange symmetricRange(double maxAbs, double floor)
{
    const double m = std::max(maxAbs, floor);
    return QCPRange(-m, m);
}

void placeLegendAbove(QCustomPlot* plot, int columns)
{
    QCPLayoutGrid* grid = plot->plotLayout();
    plot->legend->setVisible(plot->legend->itemCount() > 0);
    if (plot->legend->itemCount() == 0) {
        // Nothing to list: no row for it (an empty legend row squeezes the plot), back in the axis rect, hidden.
        if (plot->legend->layout() == grid) {
            grid->take(plot->legend);
            grid->simplify();
            plot->axisRect()->insetLayout()->addElement(plot->legend, Qt::AlignTop | Qt::AlignRight);
        }
        return;
    }
    if (plot->legend->layout() != grid) {
        int row = 0; // the axis rect's row (a title may sit above it)
        for (int r = 0; r < grid->rowCount(); ++r)
            if (grid->element(r, 0) == plot->axisRect())
                row = r;
        plot->axisRect()->insetLayout()->take(plot->legend);
        grid->insertRow(row);
        grid->addElement(row, 0, plot->legend);
        grid->setRowStretchFactor(row, 0.001);
        plot->legend->setMargins(QMargins(4, 1, 4, 1));
        plot->legend->setRowSpacing(0);
        plot->legend->setColumnSpacing(8);
    }
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->legend->setWrap(columns);
}

void showPlaceholder(QCustomPlot* plot, const QString& text)
{
    QCPItemText* note = nullptr;
    for (int i = 0; i < plot->itemCount(); ++i)
        if (plot->item(i)->objectName() == "placeholder")
            note = static_cast<QCPItemText*>(plot->item(i));
    if (!note) {
        if (text.isEmpty())
            return;
        note = new QCPItemText(plot);
        note->setObjectName("placeholder");
        note->setClipToAxisRect(false);
        note->position->setType(QCPItemPosition::ptAxisRectRatio);
        note->position->setCoords(0.5, 0.5);
        note->setPositionAlignment(Qt::AlignCenter);
        note->setTextAlignment(Qt::AlignCenter);
    }
    note->setColor(ThemeManager::instance().theme().foreground);
    note->setText(text);
    note->setVisible(!text.isEmpty());
}

void scaleLines(QCustomPlot* plot, double scale)
{
    for (int i = 0; i < plot->plottableCount(); ++i) { // graphs and curves alike
        QCPAbstractPlottable* line = plot->plottable(i);
        const double base = line->property("baseWidth").isValid() ? line->property("baseWidth").toDouble()
                                                                   : std::max(1.0, line->pen().widthF());
        line->setProperty("baseWidth", base);
        QPen pen = line->pen();
        pen.setWidthF(base * scale);
        line->setPen(pen);
    }
}

} // namespace plexus::ui
