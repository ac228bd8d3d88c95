// Memory training needs, estimated before anything is allocated (docs/training.md, "Memory").
#include "training_memory.h"

#include "plexus/util/errors.h"
#include "plexus/util/memory.h"

#include <algorithm>
#include <cstdio>

namespace plexus {

namespace {

double mlpParameters(double in, double hidden, double layers, double out)
{
    return layers <= 1 ? in * out : in * hidden + (layers - 2) * hidden * hidden + hidden * out + layers * hidden;
}

std::string gigabytes(double bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3g GB", bytes / 1e9);
    return text;
}

} // namespace

/// Refuses a model that cannot fit, naming the keys to reduce (docs/training.md, "Memory").
void checkTrainingMemory(const ExperimentConfig& config, std::int64_t neurons)
{
    const TrainingMemory m = estimateTrainingMemory(config, neurons);
    const std::int64_t available = availableMemoryBytes();
    if (available <= 0 || m.total() <= 0.8 * static_cast<double>(available))
        return;
    throw InputError(config.source + ": training needs about " + gigabytes(m.total()) + " of memory (W and its "
                     "optimiser state " + gigabytes(m.connectivity) + ", network weights " + gigabytes(m.parameters) +
                     ", one batch " + gigabytes(m.activations) + "), but only " +
                     gigabytes(static_cast<double>(available)) + " is available; reduce " +
                     (m.activations >= m.parameters ? "training.batch_size, graph_model.hidden_dim or graph_model.n_layers"
                                                    : "graph_model.hidden_dim, graph_model.n_layers or their _update twins"));
}

TrainingMemory estimateTrainingMemory(const ExperimentConfig& config, std::int64_t neurons)
{
    const auto& g = config.graphModel;
    const double n = static_cast<double>(neurons), d = static_cast<double>(g.embeddingDim);
    const double batch = static_cast<double>(std::max<std::int64_t>(1, config.training.batchSize));
    TrainingMemory m;
    m.connectivity = 16.0 * n * n;
    double weights = mlpParameters(static_cast<double>(g.inputSize) + d, static_cast<double>(g.hiddenDim),
                                   static_cast<double>(g.nLayers), static_cast<double>(g.outputSize)) +
                     mlpParameters(static_cast<double>(g.inputSizeUpdate) + d, static_cast<double>(g.hiddenDimUpdate),
                                   static_cast<double>(g.nLayersUpdate), 1.0) +
                     n * d;
    if (config.training.learnExternalInput)
        weights += mlpParameters(static_cast<double>(g.inputSizeNnrF), static_cast<double>(g.hiddenDimNnrF),
                                 static_cast<double>(g.nLayersNnrF), 1.0);
    m.parameters = 16.0 * weights;
    // Per sample and neuron: every hidden layer of ψ* and φ* kept for the backward pass, with its gradient (×3).
    double transfer = static_cast<double>(g.hiddenDim) * static_cast<double>(g.nLayers);
    // PDE_N5: ψ*(u_j, ā_k, a_j) once per sender and receiver group, on the CPU step and with autograd alike
    // (docs/training.md, "PDE_N5"), and the monotonicity term's two rows.
    if (g.signalModelName == "PDE_N5")
        transfer *= static_cast<double>(std::max<std::int64_t>(1, config.training.receiverGroups) + 2);
    const double perNeuron = transfer + static_cast<double>(g.hiddenDimUpdate) * static_cast<double>(g.nLayersUpdate);
    m.activations = 12.0 * batch * n * perNeuron;
    return m;
}

} // namespace plexus
