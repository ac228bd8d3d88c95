#include "studio/space_for_pause.h"

#include <QAction>
#include <QApplication>
#include <QKeyEvent>
#include <QWidget>

namespace plexus::ui {

namespace {

constexpr const char* kTypesSpaces = "plexusTypesSpaces";

/// The nearest setting of the property on the widget or its ancestors (a field editor inherits its view's).
bool typesSpaces(const QWidget* widget)
{
    for (; widget; widget = widget->parentWidget()) {
        const QVariant value = widget->property(kTypesSpaces);
        if (value.isValid())
            return value.toBool();
    }
    return false;
}

} // namespace

SpaceForPause::SpaceForPause(QWidget* window, QAction* action) : QObject(window), m_window(window), m_action(action)
{
    qApp->installEventFilter(this);
}

void SpaceForPause::setTypesSpaces(QWidget* widget, bool typesSpaces)
{
    widget->setProperty(kTypesSpaces, typesSpaces);
}

bool SpaceForPause::inWindow(const QWidget* widget) const
{
    // Docks floated off the window are still its children; a dialog is a window of its own and is left alone.
    for (; widget; widget = widget->parentWidget()) {
        if (widget == m_window)
            return true;
        if (widget->isWindow() && !widget->inherits("QDockWidget"))
            return false;
    }
    return false;
}

bool SpaceForPause::eventFilter(QObject* watched, QEvent* event)
{
    // A widget that takes Space as text claims it before the window's shortcut sees it, so the key press
    // reaches it; every other widget lets the shortcut have Space and never gets this press.
    if (event->type() != QEvent::KeyPress || !watched->isWidgetType())
        return false;
    const auto* key = static_cast<QKeyEvent*>(event);
    if (key->key() != Qt::Key_Space || key->modifiers() != Qt::NoModifier)
        return false;
    auto* widget = static_cast<QWidget*>(watched);
    if (widget != QApplication::focusWidget() || !inWindow(widget) || typesSpaces(widget))
        return false;
    if (!key->isAutoRepeat() && m_action->isEnabled())
        m_action->trigger();
    return true;
}

} // namespace plexus::ui
