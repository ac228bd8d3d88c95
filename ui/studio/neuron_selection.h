#pragma once

#include <QObject>

namespace plexus::ui {

/// The neuron the user is looking at, shared by every panel (linked selection). −1: none.
class NeuronSelection : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    int current() const { return m_current; }
    void setCurrent(int neuron);

Q_SIGNALS:
    void changed(int neuron);

private:
    int m_current = -1;
};

} // namespace plexus::ui
