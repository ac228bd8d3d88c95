#include "studio/guided_tour.h"

#include "panels/panel.h"
#include "studio/run_controller.h"
#include "studio/studio_window.h"
#include "studio/transport_bar.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace plexus::ui {

GuidedTour::GuidedTour(StudioWindow* window) : QObject(window), m_window(window)
{
    const auto action = [this](auto which) {
        return [this, which]() -> QWidget* { return m_window->transport()->widgetForAction((m_window->transport()->*which)()); };
    };
    const auto panel = [this](const char* name) { return [this, name]() -> QWidget* { return m_window->panel(name); }; };
    m_steps = {
        {action(&TransportBar::simulateAction),
         tr("<b>1. Simulate.</b> The true network — %1 neurons of %2 types, wired by a matrix W — produces activity. "
            "Press <b>Simulate</b> (if the data are already there, go on).")},
        {action(&TransportBar::trainAction),
         tr("<b>2. Train.</b> A graph neural network learns to predict that activity, and nothing else is given to it. "
            "Press <b>Train</b>: about a minute on a laptop.")},
        {panel("connectivity"),
         tr("<b>3. Watch W.</b> Left the true W, right the learned one: it takes the same pattern, and the scatter "
            "below closes onto the diagonal as its R² rises to 1.")},
        {panel("latents"),
         tr("<b>4. The types.</b> Each neuron gets a learned latent; neurons of one type gather. %2 clouds appear — "
            "the types, found without being told. The header gives the accuracy.")},
        {panel("functions"),
         tr("<b>5. What each type does.</b> The learned update function φ* (left) lies on the true one, type by type, "
            "with its formula below. <b>Run → Summary card</b> gives every score; the round (i) button on each "
            "panel explains it.")},
    };
}

bool GuidedTour::seen()
{
    return QSettings().value("tourSeen", false).toBool();
}

bool GuidedTour::running() const
{
    return m_step >= 0;
}

QString GuidedTour::text() const
{
    if (!running())
        return {};
    // The open experiment's own numbers (the tour is written for the demo, but any run can be toured).
    const auto& simulation = m_window->controller()->config().simulation;
    QString text = m_steps[static_cast<std::size_t>(m_step)].text;
    if (text.contains("%1"))
        text = text.arg(simulation.nNeurons);
    return text.contains("%2") ? text.arg(simulation.nNeuronTypes) : text;
}

void GuidedTour::start()
{
    m_step = 0;
    show();
}

void GuidedTour::next()
{
    if (!running())
        return;
    if (++m_step >= stepCount()) {
        finish();
        return;
    }
    show();
}

void GuidedTour::skip()
{
    finish();
}

void GuidedTour::finish()
{
    m_step = -1;
    QSettings().setValue("tourSeen", true);
    if (m_bubble)
        m_bubble->deleteLater();
}

void GuidedTour::show()
{
    if (!m_bubble) {
        m_bubble = new QFrame(m_window);
        m_bubble->setObjectName("tourBubble");
        m_bubble->setFrameShape(QFrame::Box);
        m_bubble->setAutoFillBackground(true);
        m_bubble->setBackgroundRole(QPalette::ToolTipBase);
        m_bubble->setFixedWidth(360);
        auto* layout = new QVBoxLayout(m_bubble);
        m_label = new QLabel(m_bubble);
        m_label->setWordWrap(true);
        m_label->setForegroundRole(QPalette::ToolTipText);
        auto* skipButton = new QPushButton(tr("Skip the tour"), m_bubble);
        m_next = new QPushButton(m_bubble);
        m_next->setDefault(true);
        auto* buttons = new QHBoxLayout;
        buttons->addWidget(skipButton);
        buttons->addStretch(1);
        buttons->addWidget(m_next);
        layout->addWidget(m_label);
        layout->addLayout(buttons);
        connect(skipButton, &QPushButton::clicked, this, &GuidedTour::skip);
        connect(m_next, &QPushButton::clicked, this, &GuidedTour::next);
    }
    m_label->setText(text());
    m_next->setText(m_step + 1 < stepCount() ? tr("Next (%1/%2)").arg(m_step + 1).arg(stepCount()) : tr("Done"));
    m_bubble->adjustSize();
    // Beside the target, never on it (the callout tells you to watch it): below a button; beside a panel — right,
    // left, below or above, the first side with room; always inside the window.
    QWidget* target = m_steps[static_cast<std::size_t>(m_step)].target();
    QPoint at(40, 60);
    if (target && target->isVisible()) {
        const QRect r(target->mapTo(m_window, QPoint(0, 0)), target->size());
        const QSize b = m_bubble->size();
        const QRect window = m_window->rect();
        const QList<QPoint> sides = {QPoint(r.right() + 6, r.top() + 30), QPoint(r.left() - b.width() - 6, r.top() + 30),
                                     QPoint(r.left() + 20, r.bottom() + 6), QPoint(r.left() + 20, r.top() - b.height() - 6)};
        at = r.height() < 80 ? QPoint(r.left(), r.bottom() + 6) : QPoint(r.left() + 20, r.bottom() - b.height() - 20);
        if (r.height() >= 80)
            for (const QPoint& side : sides)
                if (window.contains(QRect(side, b))) {
                    at = side;
                    break;
                }
    }
    at.setX(std::clamp(at.x(), 0, std::max(0, m_window->width() - m_bubble->width())));
    at.setY(std::clamp(at.y(), 0, std::max(0, m_window->height() - m_bubble->height())));
    m_bubble->move(at);
    m_bubble->show();
    m_bubble->raise();
}

} // namespace plexus::ui
