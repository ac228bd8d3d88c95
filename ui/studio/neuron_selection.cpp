#include "studio/neuron_selection.h"

namespace plexus::ui {

void NeuronSelection::setCurrent(int neuron)
{
    if (neuron == m_current)
        return;
    m_current = neuron;
    Q_EMIT changed(neuron);
}

} // namespace plexus::ui
