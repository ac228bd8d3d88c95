#pragma once

#include "plexus/train/trainer.h"

#include <QColor>
#include <QString>
#include <QVector>

#include <vector>

namespace plexus::ui {

/// One loss term over the iterations of metrics.csv, as the Training panel draws it on its log axis.
struct LossSeries
{
    QString name;
    QColor color;           ///< invalid for the total: the theme's foreground
    QVector<double> x, y;   ///< y is NaN where the term was zero (switched off by the schedule): the line breaks there
    bool gaps = false;      ///< some rows are NaN: a value between two of them has no line, so it is drawn as a dot
};

/// The terms that were ever non-zero, in a fixed order (total, prediction, φ*(0) = 0, monotonicity, L1(W)).
std::vector<LossSeries> lossSeries(const std::vector<TrainingMetrics>& history);

} // namespace plexus::ui
