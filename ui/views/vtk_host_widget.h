#pragma once

#include <QImage>
#include <QPointF>
#include <QWidget>

#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>

class QWindow;

namespace plexus::ui {

class VtkGlWindow;

/// Hosts a VTK renderer in the Studio (the QVTKOpenGLNativeWidget design; Debian's VTK Qt module is built for
/// Qt 5, ARCHITECTURE §1): VTK renders with Qt's OpenGL context into its own framebuffer, which is blitted into
/// a QOpenGLWindow embedded with QWidget::createWindowContainer. Not a QOpenGLWidget: with one in the window Qt
/// composites the whole window through OpenGL on every repaint of any plot, which on software OpenGL (llvmpipe)
/// cost 40 % of the CPU and 6× the input latency (docs/benchmarks.md). Wheel zooms, a double click resets.
class VtkHostWidget : public QWidget
{
    Q_OBJECT
public:
    explicit VtkHostWidget(QWidget* parent = nullptr);
    ~VtkHostWidget() override;

    /// Whether this platform can create an OpenGL context (not so under QT_QPA_PLATFORM=offscreen, or with
    /// PLEXUS_NO_GL=1); without one no GL window must be created.
    static bool openGLAvailable();

    vtkRenderer* renderer() const;
    vtkGenericOpenGLRenderWindow* renderWindow() const;
    /// The native window that receives the mouse (install event filters here).
    QWindow* glWindow() const;
    /// Widget (logical pixel) position → world position on the z = 0 plane.
    QPointF widgetToWorld(const QPointF& position) const;
    /// World (x, y, 0) → widget (logical pixel) position.
    QPointF worldToWidget(double x, double y) const;
    void resetView();
    /// Schedules a new frame.
    void requestRender();
    /// Renders a frame now and returns it (device pixels; null when the window is not initialised yet).
    QImage grabFramebuffer();

private:
    VtkGlWindow* m_window;
};

} // namespace plexus::ui
