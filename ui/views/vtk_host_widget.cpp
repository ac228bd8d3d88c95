#include "views/vtk_host_widget.h"

#include <QOpenGLContext>
#include <QWheelEvent>

#include <cmath>

#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkOpenGLState.h>
#include <vtkRenderer.h>

namespace plexus::ui {

VtkHostWidget::VtkHostWidget(QWidget* parent) : QOpenGLWidget(parent)
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
    m_observer->SetCallback(&VtkHostWidget::onWindowEvent);
    for (unsigned long event : {vtkCommand::WindowMakeCurrentEvent, vtkCommand::WindowIsCurrentEvent,
                                vtkCommand::WindowSupportsOpenGLEvent, vtkCommand::WindowIsDirectEvent,
                                vtkCommand::WindowFrameEvent})
        m_window->AddObserver(event, m_observer);
    setMinimumSize(200, 200);
}

VtkHostWidget::~VtkHostWidget()
{
    makeCurrent();
    m_window->Finalize(); // release VTK's GL resources while the context exists
    m_window->RemoveObserver(m_observer);
    doneCurrent();
}

bool VtkHostWidget::openGLAvailable()
{
    static const bool available = [] {
        QOpenGLContext context;
        return context.create();
    }();
    return available;
}

void VtkHostWidget::onWindowEvent(vtkObject*, unsigned long event, void* client, void* callData)
{
    auto* self = static_cast<VtkHostWidget*>(client);
    QOpenGLContext* context = self->context();
    switch (event) {
    case vtkCommand::WindowMakeCurrentEvent:
        // Not QOpenGLWidget::makeCurrent(): that rebinds Qt's framebuffer under VTK (black frames).
        if (context && QOpenGLContext::currentContext() != context)
            context->makeCurrent(context->surface());
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

void VtkHostWidget::initializeGL()
{
    m_window->SetOwnContext(false);
    m_window->OpenGLInitContext();
}

void VtkHostWidget::resizeGL(int width, int height)
{
    const double ratio = devicePixelRatioF();
    m_window->SetSize(static_cast<int>(width * ratio), static_cast<int>(height * ratio));
}

void VtkHostWidget::paintGL()
{
    const double ratio = devicePixelRatioF();
    const int w = static_cast<int>(width() * ratio), h = static_cast<int>(height() * ratio);
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

QPointF VtkHostWidget::widgetToWorld(const QPointF& position) const
{
    const double ratio = devicePixelRatioF();
    const double x = position.x() * ratio, y = (height() - position.y()) * ratio;
    m_renderer->SetDisplayPoint(x, y, 0.0);
    m_renderer->DisplayToWorld();
    const double* world = m_renderer->GetWorldPoint();
    const double w = world[3] != 0.0 ? world[3] : 1.0;
    return {world[0] / w, world[1] / w};
}

QPointF VtkHostWidget::worldToWidget(double x, double y) const
{
    m_renderer->SetWorldPoint(x, y, 0.0, 1.0);
    m_renderer->WorldToDisplay();
    const double* display = m_renderer->GetDisplayPoint();
    const double ratio = devicePixelRatioF();
    return {display[0] / ratio, height() - display[1] / ratio};
}

void VtkHostWidget::resetView()
{
    m_renderer->ResetCamera();
    update();
}

void VtkHostWidget::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    m_renderer->GetActiveCamera()->Zoom(std::pow(1.15, steps));
    update();
    event->accept();
}

void VtkHostWidget::mouseDoubleClickEvent(QMouseEvent* event)
{
    resetView();
    event->accept();
}

} // namespace plexus::ui
