#include "plots/plot_export.h"

#include "views/vtk_host_widget.h"

#include <qcustomplot.h>

#include <QFileInfo>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTemporaryDir>

namespace plexus::ui {

QPixmap grabWithViews(QWidget* widget, double devicePixelRatio)
{
    QPixmap image(widget->size() * devicePixelRatio);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(widget->palette().color(QPalette::Window));
    widget->render(&image);
    QPainter painter(&image);
    for (VtkHostWidget* view : widget->findChildren<VtkHostWidget*>()) {
        if (!view->isVisible())
            continue;
        const QImage frame = view->grabFramebuffer();
        if (!frame.isNull())
            painter.drawImage(QRectF(view->mapTo(widget, QPoint(0, 0)), QSizeF(view->size())), frame);
    }
    return image;
}

namespace {

/// Paints the widget: vector plots where there are plots, a raster of the rest underneath.
void paintWidget(QCPPainter& painter, QWidget* widget, const QList<QCustomPlot*>& plots)
{
    if (plots.isEmpty()) {
        painter.drawPixmap(0, 0, grabWithViews(widget));
        return;
    }
    for (QCustomPlot* plot : plots) {
        if (!plot->isVisible())
            continue;
        const QPoint at = plot->mapTo(widget, QPoint(0, 0));
        painter.save();
        painter.translate(at);
        plot->toPainter(&painter, plot->width(), plot->height());
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

QString imageFileFilter()
{
    return QStringLiteral("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)");
}

bool exportWidgetImage(QWidget* widget, const QList<QCustomPlot*>& plots, const QString& path, QString* error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QString temporary = path + ".part";
    const QSize size = widget->size();
    if (suffix == "png") {
        const QPixmap image = grabWithViews(widget, 2.0);
        if (!image.save(temporary, "PNG")) {
            *error = path + ": cannot write the PNG file here";
            return false;
        }
        return replaceFile(temporary, path, error);
    }
    if (suffix == "svg") {
        QSvgGenerator generator;
        generator.setFileName(temporary);
        generator.setSize(size);
        generator.setViewBox(QRect(QPoint(0, 0), size));
        generator.setTitle(widget->windowTitle());
        QCPPainter painter;
        if (!painter.begin(&generator)) {
            *error = path + ": cannot write the SVG file here";
            return false;
        }
        paintWidget(painter, widget, plots);
        painter.end();
        return replaceFile(temporary, path, error);
    }
    if (suffix == "pdf") {
        QPdfWriter writer(temporary);
        writer.setResolution(96);
        writer.setPageSize(QPageSize(QSizeF(size), QPageSize::Point));
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        QCPPainter painter;
        if (!painter.begin(&writer)) {
            *error = path + ": cannot write the PDF file here";
            return false;
        }
        const double scale = writer.width() / static_cast<double>(std::max(1, size.width()));
        painter.scale(scale, scale);
        paintWidget(painter, widget, plots);
        painter.end();
        return replaceFile(temporary, path, error);
    }
    *error = path + ": unknown image type '" + suffix + "' (expected .png, .svg or .pdf)";
    return false;
}

bool writeTextFile(const QString& path, const QString& text, QString* error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        *error = path + ": cannot write here (" + file.errorString() + ")";
        return false;
    }
    file.write(text.toUtf8());
    if (!file.commit()) {
        *error = path + ": writing failed (" + file.errorString() + ")";
        return false;
    }
    return true;
}

} // namespace plexus::ui
