#pragma once

#include <QObject>

class QAction;
class QWidget;

namespace plexus::ui {

/// Space means Pause in the Studio, also while a number field has the keyboard: a Space typed into a field of
/// `window` (a spin box, a neuron list, a parameter value) triggers `action` instead of going into the text.
/// Fields where a space is text mark themselves (or an ancestor) with setTypesSpaces(widget, true): the
/// parameter search and text-valued parameters. Installed on the application; dialogs are not affected.
class SpaceForPause : public QObject
{
    Q_OBJECT
public:
    SpaceForPause(QWidget* window, QAction* action);

    static void setTypesSpaces(QWidget* widget, bool typesSpaces);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    bool inWindow(const QWidget* widget) const;

    QWidget* m_window;
    QAction* m_action;
};

} // namespace plexus::ui
