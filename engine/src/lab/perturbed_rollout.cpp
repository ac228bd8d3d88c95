#include "plexus/lab/perturbed_rollout.h"

#include "plexus/sim/connectivity.h"
#include "plexus/sim/dynamics.h"
#include "plexus/sim/rng.h"
#include "plexus/sim/simulator.h"
#include "plexus/util/errors.h"
#include "plexus/util/json_text.h"

#include <algorithm>
#include <filesystem>
#include <cmath>
#include <numeric>
#include <sstream>

namespace plexus {

namespace {

/// Random streams of the lab's draws, apart from the simulator's (a new W with seed s is not the training W).
Rng labRng(std::int64_t seed, std::uint64_t purpose)
{
    return Rng(static_cast<std::uint64_t>(seed) * 0xD1B54A32D192ED03ULL + 0x1AB0000ULL + purpose);
}

void requireGroundTruth(const Dataset& d)
{
    if (d.typeParameters.rows() == 0 || d.connectivity.rows() != d.neurons() ||
        static_cast<std::int64_t>(d.types.size()) != d.neurons())
        throw InputError("the lab compares the learned model with the true simulator, and this run has no ground truth "
                         "(true W, types and their parameters): it is an imported recording");
}

void requireNeuron(std::int64_t n, std::int64_t count, const std::string& what)
{
    if (n < 0 || n >= count)
        throw InputError(what + ": neuron " + std::to_string(n) + " is not in 0.." + std::to_string(count - 1));
}

void requireType(std::int32_t t, std::int64_t count, bool anyAllowed, const std::string& what)
{
    if ((anyAllowed && t == -1) || (t >= 0 && t < count))
        return;
    throw InputError(what + ": type " + std::to_string(t) + " is not in 0.." + std::to_string(count - 1) +
                     (anyAllowed ? " (or * for any type)" : ""));
}

void redrawConnectivity(PerturbedNetwork& net, const LearnedModel* model, const Dataset& d, const ExperimentConfig& c,
                        const ConnectivityRedraw& redraw)
{
    if (!(redraw.fillingFactor > 0.0 && redraw.fillingFactor <= 1.0))
        throw InputError("new W: the filling factor must be in (0, 1], got " + std::to_string(redraw.fillingFactor));
    SimulationConfig s = c.simulation;
    s.nNeurons = d.neurons();
    s.connectivityFillingFactor = redraw.fillingFactor;
    Rng rng = labRng(redraw.seed, 1);
    net.trueConnectivity = generateConnectivity(s, rng);
    if (!model)
        return;
    const Eigen::MatrixXf learned = model->connectivity();
    net.connectivityScale = fitLine(d.connectivity.data(), learned.data(), learned.size()).slope;
    net.learnedConnectivity = net.trueConnectivity * static_cast<float>(net.connectivityScale);
    std::ostringstream note;
    note << "new W: the learned side uses the new true W × " << net.connectivityScale
         << " (the learned W's raw slope against the training W)";
    net.notes.push_back(note.str());
}

std::vector<std::int64_t> typeCounts(const std::vector<double>& proportions, std::int64_t n)
{
    const double total = std::accumulate(proportions.begin(), proportions.end(), 0.0);
    std::vector<std::int64_t> counts(proportions.size());
    std::vector<std::pair<double, std::size_t>> remainders;
    std::int64_t assigned = 0;
    for (std::size_t k = 0; k < proportions.size(); ++k) {
        const double exact = proportions[k] / total * static_cast<double>(n);
        counts[k] = static_cast<std::int64_t>(std::floor(exact));
        assigned += counts[k];
        remainders.emplace_back(exact - std::floor(exact), k);
    }
    std::stable_sort(remainders.begin(), remainders.end(), [](auto a, auto b) { return a.first > b.first; });
    for (std::size_t r = 0; assigned < n; ++r, ++assigned)
        ++counts[remainders[r % remainders.size()].second];
    return counts;
}

void redrawTypes(PerturbedNetwork& net, const Dataset& d, const TypeRedraw& redraw)
{
    const std::int64_t k = d.typeParameters.rows(), n = d.neurons();
    if (static_cast<std::int64_t>(redraw.proportions.size()) != k)
        throw InputError("new types: expected " + std::to_string(k) + " proportions (one per type of this run), got " +
                         std::to_string(redraw.proportions.size()));
    for (double p : redraw.proportions)
        if (!(p >= 0.0) || !std::isfinite(p))
            throw InputError("new types: proportions must be finite and ≥ 0");
    if (std::accumulate(redraw.proportions.begin(), redraw.proportions.end(), 0.0) <= 0.0)
        throw InputError("new types: the proportions add up to 0");
    std::vector<std::vector<std::int64_t>> pool(static_cast<std::size_t>(k));
    for (std::int64_t i = 0; i < n; ++i)
        pool[static_cast<std::size_t>(d.types[static_cast<std::size_t>(i)])].push_back(i);
    const std::vector<std::int64_t> counts = typeCounts(redraw.proportions, n);
    const Eigen::MatrixXf trained = net.latents;
    const bool withLatents = trained.rows() == n;
    Rng rng = labRng(redraw.seed, 2);
    std::int64_t i = 0;
    for (std::int64_t t = 0; t < k; ++t) {
        const auto& from = pool[static_cast<std::size_t>(t)];
        if (counts[static_cast<std::size_t>(t)] > 0 && from.empty())
            throw InputError("new types: type " + std::to_string(t) +
                             " has no training neuron whose learned latent its new neurons could take");
        for (std::int64_t m = 0; m < counts[static_cast<std::size_t>(t)]; ++m, ++i) {
            net.types[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(t);
            const std::int64_t source = from[rng.below(from.size())];
            if (withLatents)
                net.latents.row(i) = trained.row(source);
        }
    }
}

void scaleBoth(PerturbedNetwork& net, std::int64_t to, std::int64_t from, float factor)
{
    net.trueConnectivity(to, from) *= factor;
    if (net.learnedConnectivity.size() > 0)
        net.learnedConnectivity(to, from) *= factor;
}

void applyEdges(PerturbedNetwork& net, const Perturbation& p)
{
    const std::int64_t n = net.trueConnectivity.rows(), k = net.typeParameters.rows();
    for (const BlockEdit& b : p.blocks) {
        requireType(b.fromType, k, true, "connection gain");
        requireType(b.toType, k, true, "connection gain");
        for (std::int64_t to = 0; to < n; ++to)
            for (std::int64_t from = 0; from < n; ++from)
                if ((b.fromType < 0 || net.types[static_cast<std::size_t>(from)] == b.fromType) &&
                    (b.toType < 0 || net.types[static_cast<std::size_t>(to)] == b.toType))
                    scaleBoth(net, to, from, static_cast<float>(b.factor));
    }
    for (const ConnectionEdit& c : p.connections) {
        requireNeuron(c.from, n, "connection");
        requireNeuron(c.to, n, "connection");
        if (c.from == c.to)
            throw InputError("connection " + std::to_string(c.from) + " → " + std::to_string(c.to) +
                             ": a neuron has no connection to itself (W's diagonal is 0)");
        if (!std::isfinite(c.factor))
            throw InputError("connection " + std::to_string(c.from) + " → " + std::to_string(c.to) + ": the factor must be finite");
        scaleBoth(net, c.to, c.from, static_cast<float>(c.factor));
    }
    for (std::int64_t s : p.silenced) {
        requireNeuron(s, n, "silence");
        net.trueConnectivity.col(s).setZero();
        if (net.learnedConnectivity.size() > 0)
            net.learnedConnectivity.col(s).setZero();
    }
}

void applyParameters(PerturbedNetwork& net, const Dataset& d, const Perturbation& p)
{
    const std::vector<std::string> names = parameterNames(parseDynamicsModel(d.signalModel));
    for (const ParameterEdit& e : p.parameters) {
        requireType(e.type, net.typeParameters.rows(), false, "parameter");
        const auto at = std::find(names.begin(), names.end(), e.parameter);
        if (at == names.end()) {
            std::string list;
            for (const auto& name : names)
                list += (list.empty() ? "" : ", ") + name;
            throw InputError("parameter '" + e.parameter + "': " + d.signalModel + " types have " + list);
        }
        if (!std::isfinite(e.value))
            throw InputError("parameter " + e.parameter + ": the value must be finite");
        net.typeParameters(e.type, at - names.begin()) = e.value;
        net.notes.push_back("type " + std::to_string(e.type) + "'s " + e.parameter +
                            " changed on the true side only: the learned model cannot know it and runs with what it "
                            "learned");
    }
}

void checkInput(const ExperimentConfig& c, const InputEdit& input)
{
    const auto& s = c.simulation;
    const bool oscillating = s.externalInputType == "signal" && s.signalInputType == "oscillatory";
    if ((input.amplitude || input.frequency) && !oscillating)
        throw InputError("input amplitude/frequency: this run has no oscillating input (simulation.external_input_type " +
                         s.externalInputType + ")");
    if (!input.movie.empty() && s.externalInputType != "visual" && s.externalInputType != "modulation")
        throw InputError("input movie: this run shows no movie (simulation.external_input_type " + s.externalInputType + ")");
    if (!input.movie.empty() && input.movie.rfind("builtin:", 0) != 0 && !std::filesystem::exists(input.movie))
        throw InputError("input movie: no such file or folder: " + input.movie);
    if (input.amplitude && !std::isfinite(*input.amplitude))
        throw InputError("input amplitude: must be finite");
    if (input.frequency && !(std::isfinite(*input.frequency) && *input.frequency >= 0))
        throw InputError("input frequency: must be finite and ≥ 0");
}

/// A redrawn network (new W or new types) starts as a new simulation of it does: from the simulator's u(0) = 5ξ,
/// run noise-free for the data's warm-up steps on the new true network (the paper's generalisation test rolls out
/// from frame 0 of a new simulation). Any other edit starts from the data's frame 0: what happens from there.
Eigen::VectorXf startState(const Dataset& d, const ExperimentConfig& c, const Perturbation& p, Dynamics& truth,
                           const Stimulus* stimulus, PerturbedNetwork& net)
{
    if (!p.connectivity && !p.types)
        return d.activity.row(0).transpose();
    SimulationConfig s = c.simulation;
    s.nNeurons = d.neurons();
    Eigen::VectorXf u = initialActivity(s), du(u.size());
    Eigen::VectorXf external = Eigen::VectorXf::Constant(u.size(), d.neutralInput());
    const auto dt = static_cast<float>(d.deltaT);
    for (std::int64_t it = d.startFrame; it < 0; ++it) {
        if (stimulus)
            stimulus->valuesAt(it, external);
        truth.derivative(u, external, du);
        u += dt * du;
        for (std::int64_t n : p.silenced)
            u(n) = 0.0f;
    }
    net.notes.push_back("start: the new network's own state after " + std::to_string(-d.startFrame) +
                        " warm-up steps from a random state, as a new simulation of it starts");
    return u;
}

bool changesStructure(const Perturbation& p)
{
    return p.connectivity || p.types || !p.blocks.empty() || !p.connections.empty() || !p.silenced.empty();
}

void scoreDepartures(PerturbationResult& r)
{
    const FrameMatrix& t = r.traces.truth;
    const FrameMatrix& l = r.traces.learned;
    const Eigen::Index n = t.cols();
    const Eigen::ArrayXd all = Eigen::Map<const Eigen::ArrayXf>(t.data(), t.size()).cast<double>();
    const double sigma = all.size() > 1 ? std::sqrt((all - all.mean()).square().mean()) : 0.0;
    r.departureThreshold = kDepartureFraction * std::max(sigma, 1e-6);
    r.firstDeparture.assign(static_cast<std::size_t>(n), -1);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index f = 0; f < t.rows(); ++f)
            if (std::fabs(l(f, i) - t(f, i)) > r.departureThreshold) {
                r.firstDeparture[static_cast<std::size_t>(i)] = f;
                break;
            }
    for (Eigen::Index i = 0; i < n; ++i)
        if (r.firstDeparture[static_cast<std::size_t>(i)] >= 0)
            r.departureOrder.push_back(i);
    std::stable_sort(r.departureOrder.begin(), r.departureOrder.end(), [&](std::int64_t a, std::int64_t b) {
        return r.firstDeparture[static_cast<std::size_t>(a)] < r.firstDeparture[static_cast<std::size_t>(b)];
    });
}

void scoreNeurons(PerturbationResult& r)
{
    const Eigen::Index n = r.traces.truth.cols(), frames = r.traces.truth.rows();
    r.neuronCorrelation = Eigen::VectorXf::Zero(n);
    std::vector<bool> silenced(static_cast<std::size_t>(n), false);
    for (std::int64_t s : r.perturbation.silenced)
        silenced[static_cast<std::size_t>(s)] = true;
    double sum = 0.0;
    Eigen::Index counted = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
        if (silenced[static_cast<std::size_t>(i)])
            continue;
        r.neuronCorrelation(i) = static_cast<float>(
            pearson(r.traces.truth.col(i).head(frames).array(), r.traces.learned.col(i).head(frames).array()));
        sum += r.neuronCorrelation(i);
        ++counted;
    }
    r.score.meanNeuronCorrelation = counted > 0 ? sum / static_cast<double>(counted) : 0.0;
    r.fitPerFrame.reserve(static_cast<std::size_t>(frames));
    for (Eigen::Index f = 0; f < frames; ++f)
        r.fitPerFrame.push_back(rolloutFit(r.traces.truth.row(f).transpose(), r.traces.learned.row(f).transpose()));
}

} // namespace

PerturbedNetwork perturbNetwork(const LearnedModel* model, const Dataset& d, const ExperimentConfig& c,
                                const Perturbation& p)
{
    requireGroundTruth(d);
    PerturbedNetwork net;
    net.trueConnectivity = d.connectivity;
    net.types = d.types;
    net.typeParameters = d.typeParameters;
    if (model)
        net.latents = model->latents();
    if (p.connectivity)
        redrawConnectivity(net, model, d, c, *p.connectivity);
    else if (model)
        net.learnedConnectivity = model->connectivity();
    if (p.types)
        redrawTypes(net, d, *p.types);
    applyEdges(net, p);
    applyParameters(net, d, p);
    if (p.input) {
        checkInput(c, *p.input);
        if (model && model->hasStimulusField())
            net.notes.push_back("new input: the learned side is given it as it is (its learned field Ω* only knew the "
                                "training movie)");
    }
    return net;
}

PerturbationResult runPerturbation(const LearnedModel& model, const Dataset& d, const ExperimentConfig& c,
                                   const Perturbation& p, std::int64_t frames, const Progress& progress)
{
    PerturbationResult r;
    r.perturbation = p;
    r.network = perturbNetwork(&model, d, c, p);
    const std::int64_t count = std::min<std::int64_t>(frames, d.frames() - 1);
    if (count < frames)
        r.network.notes.push_back("the dataset has " + std::to_string(d.frames()) + " frames: the roll-out stops at frame " +
                                  std::to_string(count));
    if (p.empty()) {
        r.traces = rolloutTraces(model, d, count, progress);
    } else {
        Dynamics truth(parseDynamicsModel(d.signalModel), parseInputMode(d.inputMode), r.network.trueConnectivity,
                       r.network.types, r.network.typeParameters);
        std::unique_ptr<LearnedModel> edited;
        if (changesStructure(p))
            edited = model.restructured(r.network.latents, r.network.learnedConnectivity);
        std::unique_ptr<Stimulus> stimulus;
        // Another input; or the run's own, which the warm-up of a redrawn network sees.
        if (p.input || ((p.connectivity || p.types) && d.stimulusReceivers() > 0 && d.startFrame < 0)) {
            SimulationConfig s = c.simulation;
            if (p.input && p.input->amplitude)
                s.oscillationMaxAmplitude = *p.input->amplitude;
            if (p.input && p.input->frequency)
                s.oscillationFrequency = *p.input->frequency;
            if (p.input && !p.input->movie.empty())
                s.nodeValueMap = p.input->movie;
            stimulus = simulationStimulus(s);
        }
        RolloutSetup setup;
        setup.truth = &truth;
        setup.learned = edited ? edited.get() : &model;
        if (stimulus && p.input)
            setup.external = [&stimulus](std::int64_t f, Eigen::Ref<Eigen::VectorXf> out) { stimulus->valuesAt(f, out); };
        else
            setup.external = [&d](std::int64_t f, Eigen::Ref<Eigen::VectorXf> out) { d.externalColumn(f, out); };
        setup.start = startState(d, c, p, truth, stimulus.get(), r.network);
        setup.clamped = p.silenced;
        setup.deltaT = d.deltaT;
        r.traces = integrateRollout(setup, count, progress);
    }
    r.score = scoreRollout(r.traces);
    scoreNeurons(r);
    scoreDepartures(r);
    return r;
}

std::vector<std::int64_t> hubNeurons(const Eigen::MatrixXf& w, std::size_t count)
{
    const Eigen::VectorXf strength = w.cwiseAbs().colwise().sum().transpose();
    std::vector<std::int64_t> order(static_cast<std::size_t>(strength.size()));
    std::iota(order.begin(), order.end(), 0);
    const std::size_t take = std::min(count, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(take), order.end(),
                      [&](std::int64_t a, std::int64_t b) { return strength(a) > strength(b); });
    order.resize(take);
    return order;
}

std::string perturbationResultToJson(const PerturbationResult& r)
{
    std::ostringstream out;
    out.precision(6);
    out << "{\n  \"perturbation\": [";
    const auto lines = r.perturbation.describe();
    for (std::size_t i = 0; i < lines.size(); ++i)
        out << (i ? ", " : "") << jsonString(lines[i]);
    out << "],\n  \"rollout\": " << rolloutToJson(r.score) << ",\n  \"connectivity_scale\": " << r.network.connectivityScale
        << ",\n  \"departure_threshold\": " << r.departureThreshold << ",\n  \"first_departures\": [";
    const std::size_t shown = std::min<std::size_t>(20, r.departureOrder.size());
    for (std::size_t i = 0; i < shown; ++i) {
        const std::int64_t n = r.departureOrder[i];
        out << (i ? ", " : "") << "{\"neuron\": " << n << ", \"frame\": " << r.firstDeparture[static_cast<std::size_t>(n)]
            << "}";
    }
    out << "],\n  \"notes\": [";
    for (std::size_t i = 0; i < r.network.notes.size(); ++i)
        out << (i ? ", " : "") << jsonString(r.network.notes[i]);
    out << "]\n}\n";
    return out.str();
}

} // namespace plexus
