#include "plexus/data/observation.h"

#include "plexus/sim/rng.h"
#include "plexus/util/errors.h"

#include <cmath>
#include <sstream>

namespace plexus {

namespace {

double number(const std::string& key, const std::string& value)
{
    try {
        std::size_t used = 0;
        const double x = std::stod(value, &used);
        if (used == value.size() && std::isfinite(x))
            return x;
    } catch (const std::exception&) {
    }
    throw InputError("--observe " + key + ": expected a number, got '" + value + "'");
}

} // namespace

ObservationOptions parseObservation(const std::string& text)
{
    ObservationOptions o;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, ',')) {
        const auto equals = part.find('=');
        if (equals == std::string::npos)
            throw InputError("--observe: expected KEY=VALUE, got '" + part + "'");
        const std::string key = part.substr(0, equals), value = part.substr(equals + 1);
        if (key == "every")
            o.every = static_cast<std::int64_t>(number(key, value));
        else if (key == "noise")
            o.noise = number(key, value);
        else if (key == "smoothing")
            o.smoothing = number(key, value);
        else if (key == "seed")
            o.seed = static_cast<std::int64_t>(number(key, value));
        else if (key == "derivative")
            o.derivative.method = parseDerivativeMethod(value);
        else if (key == "window")
            o.derivative.window = static_cast<int>(number(key, value));
        else if (key == "order")
            o.derivative.order = static_cast<int>(number(key, value));
        else if (key == "smooth")
            o.derivative.smoothActivity = number(key, value) != 0.0;
        else
            throw InputError("--observe: unknown key '" + key +
                             "' (expected every, noise, smoothing, seed, derivative, window, order, smooth)");
    }
    if (o.every < 1)
        throw InputError("--observe every: expected a whole number ≥ 1");
    if (o.noise < 0 || o.smoothing < 0)
        throw InputError("--observe noise and smoothing: expected numbers ≥ 0");
    return o;
}

Dataset observe(const Dataset& simulated, const ObservationOptions& o)
{
    Dataset d = simulated;
    const Eigen::Index n = simulated.neurons();
    // Calcium-like smoothing on the simulation's own steps, before sampling (the indicator integrates continuously).
    FrameMatrix u = simulated.activity;
    if (o.smoothing > 0) {
        const auto alpha = static_cast<float>(1.0 / (1.0 + o.smoothing)); // c ← c + (u − c)/(1 + τ): stable for any τ
        for (Eigen::Index t = 1; t < u.rows(); ++t)
            u.row(t) = u.row(t - 1) + alpha * (simulated.activity.row(t) - u.row(t - 1));
    }
    const Eigen::Index frames = (simulated.frames() + o.every - 1) / o.every;
    d.activity.resize(frames, n);
    for (Eigen::Index f = 0; f < frames; ++f)
        d.activity.row(f) = u.row(f * o.every);
    if (simulated.stimulusReceivers() > 0) {
        d.stimulus.resize(frames, simulated.stimulusReceivers());
        for (Eigen::Index f = 0; f < frames; ++f)
            d.stimulus.row(f) = simulated.stimulus.row(f * o.every);
    }
    if (o.noise > 0) {
        const Eigen::ArrayXd all = Eigen::Map<const Eigen::ArrayXf>(d.activity.data(), d.activity.size()).cast<double>();
        const double sigma = o.noise * std::sqrt((all - all.mean()).square().mean());
        Rng rng(static_cast<std::uint64_t>(o.seed) * 0x2545F4914F6CDD1DULL + 77);
        for (Eigen::Index i = 0; i < d.activity.size(); ++i)
            d.activity.data()[i] += static_cast<float>(sigma * rng.normal());
    }
    d.deltaT = simulated.deltaT * static_cast<double>(o.every);
    d.derivative = estimateDerivative(d.activity, d.deltaT, o.derivative);
    if (o.derivative.smoothActivity)
        d.activity = smoothActivity(d.activity, o.derivative);
    d.startFrame = 0;
    d.checkConsistent("observed dataset");
    return d;
}

} // namespace plexus
