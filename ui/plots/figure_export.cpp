#include "plots/figure_export.h"

#include "views/vtk_host_widget.h"

#include <qcustomplot.h>

#include <QFileInfo>
#include <QPdfWriter>
#include <QSvgGenerator>

namespace plexus::ui {

namespace {

/// Where a widget sits inside `frame`.
QRectF placeOf(QWidget* widget, QWidget* frame)
{
    return QRectF(widget->mapTo(frame, QPoint(0, 0)), QSizeF(widget->size()));
}

/// The figure's parts in logical units (1/96 inch): title line, content, caption.
struct Layout
{
    QRectF title, content, caption;
};

Layout layoutFor(const FigureContent& c, const FigureOptions& o, const QSizeF& logical, const QFont& font)
{
    const double margin = 8.0;
    QFont bold = font;
    bold.setBold(true);
    const double titleHeight = QFontMetricsF(bold).height() * 1.4;
    double captionHeight = 0.0;
    if (o.caption && !c.caption.isEmpty())
        captionHeight = QFontMetricsF(font)
                            .boundingRect(QRectF(0, 0, logical.width() - 2 * margin, 1e6), Qt::TextWordWrap, c.caption)
                            .height() +
                        margin;
    Layout l;
    l.title = QRectF(margin, margin / 2, logical.width() - 2 * margin, titleHeight);
    l.caption = QRectF(margin, logical.height() - captionHeight - margin / 2, logical.width() - 2 * margin, captionHeight);
    l.content = QRectF(margin, l.title.bottom(), logical.width() - 2 * margin,
                       std::max(10.0, l.caption.top() - l.title.bottom()));
    return l;
}

void paintFigure(QCPPainter& painter, const FigureContent& c, const FigureOptions& o, const QSizeF& logical,
                 const QColor& background, const QColor& foreground)
{
    const QFont font = c.frame->font();
    const Layout l = layoutFor(c, o, logical, font);
    painter.fillRect(QRectF(QPointF(0, 0), logical), background);
    QFont bold = font;
    bold.setBold(true);
    painter.setPen(foreground);
    painter.setFont(bold);
    painter.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter, c.title);
    if (o.caption && !c.caption.isEmpty()) {
        painter.setFont(font);
        painter.drawText(l.caption, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, c.caption);
    }
    // The content keeps its on-screen arrangement, stretched to the figure's content area.
    QRectF source;
    for (QCustomPlot* plot : c.plots)
        if (plot && plot->isVisible())
            source = source.united(placeOf(plot, c.frame));
    for (QWidget* widget : c.others)
        if (widget && widget->isVisible())
            source = source.united(placeOf(widget, c.frame));
    if (source.isEmpty())
        return;
    const double sx = l.content.width() / source.width(), sy = l.content.height() / source.height();
    const auto target = [&](QWidget* widget) {
        const QRectF r = placeOf(widget, c.frame);
        return QRectF(l.content.left() + (r.left() - source.left()) * sx, l.content.top() + (r.top() - source.top()) * sy,
                      r.width() * sx, r.height() * sy);
    };
    for (QCustomPlot* plot : c.plots) {
        if (!plot || !plot->isVisible())
            continue;
        const QRectF r = target(plot);
        painter.save();
        painter.translate(r.topLeft());
        plot->toPainter(&painter, static_cast<int>(r.width()), static_cast<int>(r.height()));
        painter.restore();
    }
    for (QWidget* widget : c.others) {
        if (!widget || !widget->isVisible())
            continue;
        const QRectF r = target(widget);
        if (auto* view = qobject_cast<VtkHostWidget*>(widget)) { // an OpenGL view: its framebuffer
            painter.drawImage(r, view->grabFramebuffer());
            continue;
        }
        painter.save(); // a widget drawn through the painter: its text stays text in SVG and PDF
        painter.translate(r.topLeft());
        painter.scale(r.width() / widget->width(), r.height() / widget->height());
        widget->render(&painter, QPoint(), QRegion(), QWidget::DrawChildren);
        painter.restore();
    }
}

bool replaceFile(const QString& temporary, const QString& path, QString* error)
{
    QFile::remove(path + ".old");
    if (QFile::exists(path) && !QFile::rename(path, path + ".old")) {
        *error = path + ": cannot replace the existing file";
        return false;
    }
    if (!QFile::rename(temporary, path)) {
        QFile::rename(path + ".old", path);
        *error = path + ": cannot write here";
        return false;
    }
    QFile::remove(path + ".old");
    return true;
}

} // namespace

QImage renderFigure(const FigureContent& c, const FigureOptions& o)
{
    if (!c.frame || o.pixels.width() < 1 || o.pixels.height() < 1 || o.dpi < 1)
        return {};
    const double scale = o.dpi / 96.0; // logical units (1/96 inch) to output pixels
    const QSizeF logical(o.pixels.width() / scale, o.pixels.height() / scale);
    QImage image(o.pixels, QImage::Format_ARGB32); // painted at 96 dpi (fonts in points), scaled up below
    QCPPainter painter;
    if (!painter.begin(&image))
        return {};
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.scale(scale, scale);
    paintFigure(painter, c, o, logical, c.frame->palette().color(QPalette::Base), c.frame->palette().color(QPalette::Text));
    painter.end();
    image.setDotsPerMeterX(static_cast<int>(o.dpi / 0.0254)); // the print size, for other programs
    image.setDotsPerMeterY(static_cast<int>(o.dpi / 0.0254));
    return image;
}

bool exportFigure(const FigureContent& c, const FigureOptions& o, const QString& path, QString* error)
{
    if (!c.frame || o.pixels.width() < 50 || o.pixels.height() < 50 || o.dpi < 30 || o.dpi > 2400) {
        *error = QObject::tr("%1: a figure needs at least 50 × 50 pixels at 30–2400 dpi").arg(path);
        return false;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QString temporary = path + ".part";
    const double scale = o.dpi / 96.0; // logical units (1/96 inch) to output pixels
    const QSizeF logical(o.pixels.width() / scale, o.pixels.height() / scale);
    const QColor background = c.frame->palette().color(QPalette::Base);
    const QColor foreground = c.frame->palette().color(QPalette::Text);
    QCPPainter painter;
    if (suffix == "png") {
        const QImage image = renderFigure(c, o);
        if (image.isNull()) {
            *error = path + ": cannot draw the figure";
            return false;
        }
        if (!image.save(temporary, "PNG")) {
            *error = path + ": cannot write the PNG file here";
            return false;
        }
        return replaceFile(temporary, path, error);
    }
    if (suffix == "svg") {
        QSvgGenerator generator;
        generator.setFileName(temporary);
        generator.setSize(logical.toSize());
        generator.setViewBox(QRectF(QPointF(0, 0), logical));
        generator.setResolution(96);
        generator.setTitle(c.title);
        generator.setDescription(c.caption);
        if (!painter.begin(&generator)) {
            *error = path + ": cannot write the SVG file here";
            return false;
        }
        paintFigure(painter, c, o, logical, background, foreground);
        painter.end();
        return replaceFile(temporary, path, error);
    }
    if (suffix == "pdf") {
        QPdfWriter writer(temporary);
        writer.setResolution(96); // logical units: fonts keep their point size; the page is pixels / dpi inches
        writer.setTitle(c.title);
        writer.setPageSize(QPageSize(QSizeF(o.pixels.width() * 72.0 / o.dpi, o.pixels.height() * 72.0 / o.dpi),
                                     QPageSize::Point));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        if (!painter.begin(&writer)) {
            *error = path + ": cannot write the PDF file here";
            return false;
        }
        painter.scale(writer.width() / logical.width(), writer.width() / logical.width());
        paintFigure(painter, c, o, logical, background, foreground);
        painter.end();
        return replaceFile(temporary, path, error);
    }
    *error = path + ": unknown image type '" + suffix + "' (expected .png, .svg or .pdf)";
    return false;
}

} // namespace plexus::ui
