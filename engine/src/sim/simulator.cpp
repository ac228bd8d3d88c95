#include "plexus/sim/simulator.h"

#include "plexus/config/config_loader.h"
#include "plexus/sim/connectivity.h"
#include "plexus/sim/dynamics.h"
#include "plexus/sim/neuron_layout.h"
#include "plexus/sim/stimulus.h"
#include "plexus/util/errors.h"
#include "plexus/util/memory.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace plexus {

namespace {

/// Independent random streams per purpose, so e.g. a longer recording keeps the same network.
enum class Stream : std::uint64_t { Types = 1, Positions, Connectivity, Stimulus, InitialState, Noise };

Rng streamRng(std::int64_t seed, Stream stream)
{
    return Rng(static_cast<std::uint64_t>(seed) * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(stream));
}

Eigen::MatrixXd parameterTable(const SimulationConfig& c)
{
    Eigen::MatrixXd table(static_cast<Eigen::Index>(c.params.size()),
                          c.params.empty() ? 0 : static_cast<Eigen::Index>(c.params[0].size()));
    for (Eigen::Index k = 0; k < table.rows(); ++k)
        for (Eigen::Index p = 0; p < table.cols(); ++p)
            table(k, p) = c.params[static_cast<std::size_t>(k)][static_cast<std::size_t>(p)];
    return table;
}

std::string gigabytes(std::int64_t bytes)
{
    std::ostringstream out;
    out.precision(2);
    out << std::fixed << static_cast<double>(bytes) / 1e9 << " GB";
    return out.str();
}

class EulerRun
{
public:
    EulerRun(const ExperimentConfig& config, Dataset& data, Dynamics& dynamics, const Stimulus* stimulus)
        : m_sim(config.simulation), m_data(data), m_dynamics(dynamics), m_stimulus(stimulus)
    {
    }

    void run(const Progress& progress)
    {
        const Eigen::Index n = m_sim.nNeurons;
        Rng noise = streamRng(m_sim.seed, Stream::Noise);
        Eigen::VectorXf u = initialActivity(m_sim), du(n), external = Eigen::VectorXf::Constant(n, m_data.neutralInput());
        const auto dt = static_cast<float>(m_sim.deltaT);
        const double sigma = m_sim.noiseModelLevel * (m_sim.noiseScaleSqrtDt ? std::sqrt(m_sim.deltaT) : 1.0);
        const std::int64_t first = m_sim.startFrame, last = m_sim.nFrames, total = last - first + 1;
        const std::int64_t reportEvery = std::max<std::int64_t>(1, total / 400);
        for (std::int64_t it = first; it <= last; ++it) {
            if (m_stimulus)
                m_stimulus->valuesAt(it, external);
            m_dynamics.derivative(u, external, du);
            if (it >= 0)
                save(it, u, du, external);
            if ((it - first) % reportEvery == 0) {
                checkFinite(it, u);
                if (progress.shouldStop())
                    throw CancelledError();
                progress.update(it < 0 ? "warm-up" : "simulating", it - first, total);
            }
            if (it == last)
                break;
            u += dt * du;
            if (sigma > 0)
                for (Eigen::Index i = 0; i < n; ++i)
                    u(i) += static_cast<float>(sigma * noise.normal());
        }
        checkFinite(last, u);
        progress.update("simulating", total, total);
    }

private:
    void save(std::int64_t frame, const Eigen::VectorXf& u, const Eigen::VectorXf& du, const Eigen::VectorXf& external)
    {
        m_data.activity.row(frame) = u.transpose();
        m_data.derivative.row(frame) = du.transpose();
        if (m_data.stimulus.cols() > 0)
            m_data.stimulus.row(frame) = external.head(m_data.stimulus.cols()).transpose();
    }

    void checkFinite(std::int64_t it, const Eigen::VectorXf& u) const
    {
        if (!u.allFinite())
            throw InputError("the simulation diverged at step " + std::to_string(it) +
                             " (activity is no longer finite); reduce simulation.delta_t, the gains g or the noise");
    }

    const SimulationConfig& m_sim;
    Dataset& m_data;
    Dynamics& m_dynamics;
    const Stimulus* m_stimulus;
};

} // namespace

SimulationMemory estimateSimulationMemory(const ExperimentConfig& config)
{
    const auto& s = config.simulation;
    const double frames = static_cast<double>(s.nFrames + 1), n = static_cast<double>(s.nNeurons);
    const double receivers = s.externalInputType == "visual" ? static_cast<double>(s.nInputNeurons)
                             : s.externalInputType == "none" ? 0.0
                                                             : n;
    const double wCopies = config.graphModel.signalModelName == "PDE_N5" ? 3 : 2; // W, its generator's copy (+ N5 table)
    SimulationMemory m;
    m.activity = frames * n * 8;       // u and du/dt, float
    m.stimulus = frames * receivers * 4;
    m.connectivity = wCopies * n * n * 4;
    return m;
}

std::int64_t estimateSimulationBytes(const ExperimentConfig& config)
{
    return static_cast<std::int64_t>(std::min(9e18, estimateSimulationMemory(config).total()));
}

void checkSimulationMemory(const ExperimentConfig& config)
{
    const SimulationMemory m = estimateSimulationMemory(config);
    const std::int64_t available = availableMemoryBytes();
    if (available <= 0 || m.total() <= 0.9 * static_cast<double>(available))
        return;
    auto gb = [](double bytes) { return gigabytes(static_cast<std::int64_t>(std::min(9e18, bytes))); };
    std::string reduce = m.connectivity >= m.activity ? "simulation.n_neurons (W grows as its square)"
                                                      : "simulation.n_frames or simulation.n_neurons";
    throw InputError(config.source + ": simulating needs about " + gb(m.total()) + " of memory (W " +
                     gb(m.connectivity) + ": n_neurons² × 4 bytes per copy; activity and derivative " +
                     gb(m.activity) + ": (n_frames + 1) × n_neurons × 8 bytes" +
                     (m.stimulus > 0 ? "; stimulus " + gb(m.stimulus) : std::string()) + "), but only " +
                     gigabytes(available) + " is available; reduce " + reduce);
}

Eigen::VectorXf initialActivity(const SimulationConfig& config)
{
    Rng initial = streamRng(config.seed, Stream::InitialState);
    Eigen::VectorXf u(config.nNeurons);
    for (Eigen::Index i = 0; i < u.size(); ++i)
        u(i) = static_cast<float>(5.0 * initial.normal());
    return u;
}

std::unique_ptr<Stimulus> simulationStimulus(const SimulationConfig& config)
{
    Rng rng = streamRng(config.seed, Stream::Stimulus);
    return Stimulus::create(config, rng);
}

Dataset simulate(const ExperimentConfig& config, const Progress& progress)
{
    validateConfig(config);
    checkSimulationMemory(config);
    const auto& s = config.simulation;
    Dataset data;
    data.signalModel = config.graphModel.signalModelName;
    data.inputType = s.externalInputType;
    data.inputMode = s.externalInputMode;
    data.deltaT = s.deltaT;
    data.startFrame = s.startFrame;
    data.configYaml = configToYaml(config);
    data.typeParameters = parameterTable(s);

    Rng typesRng = streamRng(s.seed, Stream::Types);
    data.types = assignNeuronTypes(s.nNeurons, s.nNeuronTypes, s.shuffleNeuronTypes, typesRng);
    Rng positionsRng = streamRng(s.seed, Stream::Positions);
    data.positions = s.externalInputType == "visual" ? gridAndSunflowerPositions(s.nNeurons, s.nInputNeurons, positionsRng)
                                                     : sunflowerPositions(s.nNeurons, positionsRng);
    progress.update("connectivity", 0, 1);
    Rng connectivityRng = streamRng(s.seed, Stream::Connectivity);
    data.connectivity = generateConnectivity(s, connectivityRng);
    auto stimulus = simulationStimulus(s);

    data.activity.resize(s.nFrames + 1, s.nNeurons);
    data.derivative.resize(s.nFrames + 1, s.nNeurons);
    data.stimulus.resize(s.nFrames + 1, stimulus ? stimulus->receivers() : 0);
    Dynamics dynamics(parseDynamicsModel(data.signalModel), parseInputMode(data.inputMode), data.connectivity,
                      data.types, data.typeParameters);
    EulerRun(config, data, dynamics, stimulus.get()).run(progress);
    return data;
}

} // namespace plexus
