#pragma once

#include <QImage>
#include <QList>
#include <QSize>
#include <QString>

class QCustomPlot;
class QWidget;

namespace plexus::ui {

/// How a panel is rendered as a figure (docs/user-guide.md, "Figures").
struct FigureOptions
{
    QSize pixels{1800, 1200}; ///< PNG: the image's size; SVG/PDF: the page is pixels / dpi inches
    int dpi = 300;            ///< text and lines are drawn for this resolution (fonts keep their point size)
    bool caption = true;      ///< the experiment, iteration and scores under the plots
};

/// What a figure holds: a title, a caption, and the panel's content in its on-screen arrangement — plots as vectors,
/// other widgets (a 3-D view, text) drawn in their places — never the panel's buttons or fields.
struct FigureContent
{
    QString title;
    QString caption;
    QWidget* frame = nullptr;        ///< the coordinates the widgets below are placed in (the panel)
    QList<QCustomPlot*> plots;
    QList<QWidget*> others;
};

/// Renders `content` as an image of options.pixels (a movie's frame, a PNG); null when it cannot be drawn.
QImage renderFigure(const FigureContent& content, const FigureOptions& options);

/// Renders `content` to `path` (.png, .svg or .pdf by suffix) at `options`; atomic (a temporary file renamed into
/// place). Returns false with `error` set on failure.
bool exportFigure(const FigureContent& content, const FigureOptions& options, const QString& path, QString* error);

} // namespace plexus::ui
