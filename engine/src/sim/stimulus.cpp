#include "plexus/sim/stimulus.h"

#include "plexus/util/errors.h"

#include <cmath>
#include <numbers>

namespace plexus {

namespace {

ImageStack loadMovie(const SimulationConfig& c, std::int64_t side)
{
    const std::string& source = c.nodeValueMap;
    if (source.rfind("builtin:", 0) == 0)
        return syntheticMovie(source.substr(8), c.movieFrames, side, static_cast<std::uint64_t>(c.seed) + 1);
    return loadImageStack(source).resampled(side);
}

} // namespace

std::unique_ptr<Stimulus> Stimulus::create(const SimulationConfig& c, Rng& rng)
{
    const float neutral = c.externalInputMode == "multiplicative" ? 1.0f : 0.0f;
    if (c.externalInputType == "visual" || c.externalInputType == "modulation") {
        const std::int64_t receivers = c.externalInputType == "visual" ? c.nInputNeurons : c.nNeurons;
        const auto side = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(receivers))));
        return std::make_unique<MovieStimulus>(loadMovie(c, side), receivers, c.nFrames, neutral);
    }
    if (c.externalInputType == "signal") {
        if (c.signalInputType == "triggered")
            return std::make_unique<TriggeredStimulus>(c, rng);
        return std::make_unique<OscillatoryStimulus>(c, rng);
    }
    return nullptr;
}

MovieStimulus::MovieStimulus(ImageStack movie, std::int64_t receivers, std::int64_t nFrames, float neutral)
    : Stimulus(receivers, neutral), m_movie(std::move(movie)), m_side(m_movie.width), m_nFrames(nFrames)
{
}

std::int64_t MovieStimulus::movieFrameAt(std::int64_t it) const
{
    // As the authors: int(it / n_frames * (F − 1)) in double precision.
    auto f = static_cast<std::int64_t>(static_cast<double>(it) / static_cast<double>(m_nFrames) *
                                       static_cast<double>(m_movie.frames - 1));
    return std::clamp<std::int64_t>(f, 0, m_movie.frames - 1);
}

void MovieStimulus::valuesAt(std::int64_t it, Eigen::Ref<Eigen::VectorXf> external) const
{
    if (it < 0) {
        external.setZero(); // warm-up: no input, so multiplicative coupling is off (docs/method.md §A.7)
        return;
    }
    external.setConstant(m_neutral);
    const std::int64_t frame = movieFrameAt(it);
    for (std::int64_t row = 0; row < m_side; ++row)
        for (std::int64_t col = 0; col < m_side; ++col)
            external(movieGridNeuron(row, col, m_side)) = m_movie.at(frame, row, col); // rot90(frame, 3), flattened
}

OscillatoryStimulus::OscillatoryStimulus(const SimulationConfig& c, Rng& rng)
    : Stimulus(c.nNeurons, 0.0f), m_amplitude(c.nNeurons),
      m_omegaDt(2.0 * std::numbers::pi * c.oscillationFrequency * c.deltaT)
{
    for (Eigen::Index i = 0; i < m_amplitude.size(); ++i)
        m_amplitude(i) = static_cast<float>(rng.uniform(-c.oscillationMaxAmplitude, c.oscillationMaxAmplitude));
}

void OscillatoryStimulus::valuesAt(std::int64_t it, Eigen::Ref<Eigen::VectorXf> external) const
{
    external = m_amplitude * static_cast<float>(std::cos(m_omegaDt * static_cast<double>(it)));
}

TriggeredStimulus::TriggeredStimulus(const SimulationConfig& c, Rng& rng)
    : Stimulus(c.nNeurons, 0.0f), m_amplitude(c.nNeurons), m_frequency(c.oscillationFrequency)
{
    for (Eigen::Index i = 0; i < m_amplitude.size(); ++i)
        m_amplitude(i) = static_cast<float>(rng.uniform(-c.oscillationMaxAmplitude, c.oscillationMaxAmplitude));
    const double spacing = static_cast<double>(c.nFrames) / static_cast<double>(c.triggeredNImpulses + 1);
    const std::int64_t hit = std::min<std::int64_t>(10, c.nNeurons);
    for (std::int64_t k = 0; k < c.triggeredNImpulses; ++k) {
        Event e;
        e.step = std::llround((k + 1) * spacing + rng.uniform(-0.25, 0.25) * spacing);
        auto order = rng.permutation(c.nNeurons);
        e.neurons.assign(order.begin(), order.begin() + hit);
        for (std::int64_t j = 0; j < hit; ++j)
            e.impulse.push_back(static_cast<float>(5.0 * rng.uniform(0.5, 2.0)));
        e.amplitude = rng.uniform(0.5, 2.0);
        e.frequency = rng.uniform(0.5, 2.0);
        m_events.push_back(std::move(e));
    }
}

void TriggeredStimulus::valuesAt(std::int64_t it, Eigen::Ref<Eigen::VectorXf> external) const
{
    external.setZero();
    for (const auto& e : m_events) {
        const std::int64_t since = it - e.step;
        if (since < 0 || since > kResponseSteps)
            continue;
        const double wave = std::sin(2.0 * std::numbers::pi * m_frequency * e.frequency *
                                     static_cast<double>(since) / kResponseSteps);
        for (std::size_t j = 0; j < e.neurons.size(); ++j) {
            const auto i = e.neurons[j];
            external(i) += since == 0 ? e.impulse[j] : static_cast<float>(m_amplitude(i) * e.amplitude * wave);
        }
    }
}

} // namespace plexus
