#include "plots/plot_export.h"

#include "views/vtk_host_widget.h"

#include <qcustomplot.h>

#include <QFileInfo>
#include <QSaveFile>

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

QString imageFileFilter()
{
    return QStringLiteral("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)");
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
