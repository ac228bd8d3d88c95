#include "views/vtk_host_widget.h"

#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QOpenGLWindow>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkOpenGLState.h>

#include <cmath>

namespace plexus::ui {

/// The OpenGL window VTK draws into.
class VtkGlWindow : public QOpenGLWindow
{
public:
    VtkGlWindow()
    {
        vtkOpenGLRenderWindow::SetGlobalMaximumNumberOfMultiSamples(0); // 2.5× faster on llvmpipe
        m_window = vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New();
        m_window->SetMultiSamples(0);
        m_window->SetReadyForRendering(false);
        m_window->SetFrameBlitModeToNoBlit(); // paintGL blits into Qt's framebuffer
        m_window->SetForceMaximumHardwareLineWidth(1);
        m_renderer = vtkSmartPointer<vtkRenderer>::New();
        m_window->AddRenderer(m_renderer);
        m_observer = vtkSmartPointer<vtkCallbackCommand>::New();
        m_observer->SetClientData(this);
        m_observer->SetCallback(&VtkGlWindow::onWindowEvent);
        for (unsigned long event : {vtkCommand::WindowMakeCurrentEvent, vtkCommand::WindowIsCurrentEvent,
                                    vtkCommand::WindowSupportsOpenGLEvent, vtkCommand::WindowIsDirectEvent,
                                    vtkCommand::WindowFrameEvent})
            m_window->AddObserver(event, m_observer);
    }

    ~VtkGlWindow() override
    {
        if (context()) {
            makeCurrent();
            m_window->Finalize(); // release VTK's GL resources while the context exists
            doneCurrent();
        }
        m_window->RemoveObserver(m_observer);
    }

    vtkSmartPointer<vtkGenericOpenGLRenderWindow> m_window;
    vtkSmartPointer<vtkRenderer> m_renderer;

    /// Renders into VTK's framebuffer and blits it into the window's default framebuffer.
    void renderFrame()
    {
        const double ratio = devicePixelRatio();
        const int w = static_cast<int>(width() * ratio), h = static_cast<int>(height() * ratio);
        if (w <= 0 || h <= 0)
            return;
        if (m_window->GetSize()[0] != w || m_window->GetSize()[1] != h)
            m_window->SetSize(w, h);
        vtkOpenGLState* state = m_window->GetState();
        state->Reset();
        m_window->SetReadyForRendering(true);
        m_window->Render();
        m_window->SetReadyForRendering(false);
        state->PushDrawFramebufferBinding();
        state->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
        m_window->BlitDisplayFramebuffer(0, 0, 0, w, h, 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
        state->PopDrawFramebufferBinding();
        state->Reset();
    }

    QImage grab()
    {
        if (!context() || !isExposed())
            return {};
        makeCurrent();
        renderFrame();
        const double ratio = devicePixelRatio();
        const int w = static_cast<int>(width() * ratio), h = static_cast<int>(height() * ratio);
        QImage image(w, h, QImage::Format_RGBA8888);
        QOpenGLExtraFunctions* f = context()->extraFunctions();
        f->glBindFramebuffer(GL_READ_FRAMEBUFFER, defaultFramebufferObject());
        f->glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, image.bits());
        m_window->GetState()->Reset();
        doneCurrent();
        image = image.mirrored();
        image.setDevicePixelRatio(ratio);
        return image;
    }

protected:
    void initializeGL() override
    {
        m_window->SetOwnContext(false);
        m_window->OpenGLInitContext();
    }

    void resizeGL(int width, int height) override
    {
        const double ratio = devicePixelRatio();
        m_window->SetSize(static_cast<int>(width * ratio), static_cast<int>(height * ratio));
    }

    void paintGL() override { renderFrame(); }

    void wheelEvent(QWheelEvent* event) override
    {
        m_renderer->GetActiveCamera()->Zoom(std::pow(1.15, event->angleDelta().y() / 120.0));
        update();
        event->accept();
    }

    void mouseDoubleClickEvent(QMouseEvent* event) override
    {
        m_renderer->ResetCamera();
        update();
        event->accept();
    }

private:
    static void onWindowEvent(vtkObject*, unsigned long event, void* client, void* callData)
    {
        auto* self = static_cast<VtkGlWindow*>(client);
        QOpenGLContext* context = self->context();
        switch (event) {
        case vtkCommand::WindowMakeCurrentEvent:
            // Not QOpenGLWindow::makeCurrent(): that rebinds Qt's framebuffer under VTK (black frames).
            if (context && QOpenGLContext::currentContext() != context)
                context->makeCurrent(self);
            break;
        case vtkCommand::WindowIsCurrentEvent:
            *static_cast<bool*>(callData) = context && QOpenGLContext::currentContext() == context;
            break;
        case vtkCommand::WindowSupportsOpenGLEvent:
        case vtkCommand::WindowIsDirectEvent:
            *static_cast<int*>(callData) = 1;
            break;
        default: // WindowFrameEvent: Qt presents the frame
            break;
        }
    }

    vtkSmartPointer<vtkCallbackCommand> m_observer;
};

bool VtkHostWidget::openGLAvailable()
{
    static const bool available = [] {
        if (qEnvironmentVariableIntValue("PLEXUS_NO_GL") != 0) // escape hatch for broken OpenGL drivers
            return false;
        QOpenGLContext context;
        return context.create();
    }();
    return available;
}

VtkHostWidget::VtkHostWidget(QWidget* parent) : QWidget(parent), m_window(new VtkGlWindow)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    QWidget* container = QWidget::createWindowContainer(m_window, this); // takes ownership of the window
    container->setMinimumSize(200, 200);
    container->setFocusPolicy(Qt::NoFocus);
    layout->addWidget(container);
}

VtkHostWidget::~VtkHostWidget() = default;

vtkRenderer* VtkHostWidget::renderer() const { return m_window->m_renderer; }
vtkGenericOpenGLRenderWindow* VtkHostWidget::renderWindow() const { return m_window->m_window; }
QWindow* VtkHostWidget::glWindow() const { return m_window; }

QPointF VtkHostWidget::widgetToWorld(const QPointF& position) const
{
    const double ratio = m_window->devicePixelRatio();
    const double x = position.x() * ratio, y = (height() - position.y()) * ratio;
    vtkRenderer* renderer = m_window->m_renderer;
    renderer->SetDisplayPoint(x, y, 0.0);
    renderer->DisplayToWorld();
    const double* world = renderer->GetWorldPoint();
    const double w = world[3] != 0.0 ? world[3] : 1.0;
    return {world[0] / w, world[1] / w};
}

QPointF VtkHostWidget::worldToWidget(double x, double y) const
{
    vtkRenderer* renderer = m_window->m_renderer;
    renderer->SetWorldPoint(x, y, 0.0, 1.0);
    renderer->WorldToDisplay();
    const double* display = renderer->GetDisplayPoint();
    const double ratio = m_window->devicePixelRatio();
    return {display[0] / ratio, height() - display[1] / ratio};
}

void VtkHostWidget::resetView()
{
    m_window->m_renderer->ResetCamera();
    m_window->update();
}

void VtkHostWidget::requestRender()
{
    m_window->update();
}

QImage VtkHostWidget::grabFramebuffer()
{
    return m_window->grab();
}

} // namespace plexus::ui
