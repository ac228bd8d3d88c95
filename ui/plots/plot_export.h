#pragma once

#include <QList>
#include <QPixmap>
#include <QString>

class QCustomPlot;
class QWidget;

namespace plexus::ui {

/// Writes what `widget` shows to `path`, format by suffix: .png (as on screen, at device pixel ratio 2 for print),
/// .svg and .pdf (the QCustomPlot plots inside as vectors at their on-screen places; any other content as an
/// image). Atomic: a temporary file renamed into place. Returns false with `error` set on failure.
bool exportWidgetImage(QWidget* widget, const QList<QCustomPlot*>& plots, const QString& path, QString* error);

/// What `widget` shows, including the OpenGL network views inside it (which QWidget::grab alone leaves blank).
QPixmap grabWithViews(QWidget* widget, double devicePixelRatio = 1.0);

/// Writes text atomically (QSaveFile). Returns false with `error` naming the file on failure.
bool writeTextFile(const QString& path, const QString& text, QString* error);

/// The image file suffixes exportWidgetImage understands.
QString imageFileFilter();

} // namespace plexus::ui
