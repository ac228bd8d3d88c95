#pragma once

#include <QOpenGLWidget>
#include <QPointF>

#include <vtkCallbackCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>

namespace plexus::ui {

/// Hosts a VTK renderer in a Qt 6 QOpenGLWidget (the QVTKOpenGLNativeWidget design; Debian's VTK Qt module is
/// built for Qt 5, ARCHITECTURE §1): VTK renders into its own framebuffer with Qt's context, and paintGL blits
/// the result into the widget's framebuffer. Wheel zooms, a double click resets the view.
class VtkHostWidget : public QOpenGLWidget
{
    Q_OBJECT
public:
    explicit VtkHostWidget(QWidget* parent = nullptr);
    ~VtkHostWidget() override;

    /// Whether this platform can create an OpenGL context (not so under QT_QPA_PLATFORM=offscreen); without
    /// one a QOpenGLWidget must not be created at all (Qt 6.4 crashes flushing the window).
    static bool openGLAvailable();

    vtkRenderer* renderer() const { return m_renderer; }
    vtkGenericOpenGLRenderWindow* renderWindow() const { return m_window; }
    /// Widget (logical pixel) position → world position on the z = 0 plane.
    QPointF widgetToWorld(const QPointF& position) const;
    /// World (x, y, 0) → widget (logical pixel) position.
    QPointF worldToWidget(double x, double y) const;
    void resetView();

protected:
    void initializeGL() override;
    void resizeGL(int width, int height) override;
    void paintGL() override;
    void wheelEvent(QWheelEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    static void onWindowEvent(vtkObject* caller, unsigned long event, void* client, void* callData);

    vtkSmartPointer<vtkGenericOpenGLRenderWindow> m_window;
    vtkSmartPointer<vtkRenderer> m_renderer;
    vtkSmartPointer<vtkCallbackCommand> m_observer;
};

} // namespace plexus::ui
