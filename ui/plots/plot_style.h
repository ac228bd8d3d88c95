#pragma once

#include "studio/theme.h"

#include <qcustomplot.h>

namespace plexus::ui {

/// Colours a plot's background, axes, labels and grid after the theme.
void stylePlot(QCustomPlot* plot, const Theme& theme);

/// Blue – white – red, centred at 0 (use with a symmetric data range).
QCPColorGradient divergingGradient(const Theme& theme);

/// A QCustomPlot with the project's defaults: antialiasing off for speed on large data, drag/zoom, themed.
QCustomPlot* makePlot(QWidget* parent, const QString& xLabel, const QString& yLabel);

/// Moves the legend out of the data: a row of its own just above the plot's axis rect, `columns` entries per line
/// (it never covers a point, a curve or a selection ring); shown only when it lists something, and then only does
/// it take a row. Idempotent: call it again after the graphs change.
void placeLegendAbove(QCustomPlot* plot, int columns = 4);

/// A line of text in the middle of the plot saying what to do ("Press Train: …") in place of an empty plot; ""
/// removes it. The plot is not replotted here.
void showPlaceholder(QCustomPlot* plot, const QString& text);

/// Every graph's line `scale` times its own width (presenter mode); repeated calls do not compound.
void scaleLines(QCustomPlot* plot, double scale);

/// Symmetric range [−m, m] with m the largest |value| (at least `floor`).
QCPRange symmetricRange(double maxAbs, double floor = 1e-6);

} // namespace plexus::ui
