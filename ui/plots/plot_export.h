#pragma once

#include <QList>
#include <QPixmap>
#include <QString>

class QCustomPlot;
class QWidget;

namespace plexus::ui {

/// What `widget` shows, including the OpenGL network views inside it (which QWidget::grab alone leaves blank).
QPixmap grabWithViews(QWidget* widget, double devicePixelRatio = 1.0);

/// Writes text atomically (QSaveFile). Returns false with `error` naming the file on failure.
bool writeTextFile(const QString& path, const QString& text, QString* error);

/// The image file suffixes exportFigure understands.
QString imageFileFilter();

} // namespace plexus::ui
