#pragma once

#include "plexus/config/experiment_config.h"
#include "plexus/sim/image_stack.h"
#include "plexus/sim/rng.h"

#include <Eigen/Core>

#include <cstdint>
#include <memory>

namespace plexus {

/// An external input e_i(t) / Ω_i(t) (docs/method.md §A.7). Neurons 0..receivers()−1 receive it; the others hold the
/// mode's neutral value (1 when multiplicative, 0 when additive).
class Stimulus
{
public:
    virtual ~Stimulus() = default;

    /// The stimulus of a config, or nullptr for external_input_type none. May load a movie (InputError on failure).
    static std::unique_ptr<Stimulus> create(const SimulationConfig& config, Rng& rng);

    /// How many neurons (the first ones) receive the input.
    std::int64_t receivers() const { return m_receivers; }

    /// The external column for all N neurons at simulation step `it` (negative during warm-up).
    virtual void valuesAt(std::int64_t it, Eigen::Ref<Eigen::VectorXf> external) const = 0;

protected:
    Stimulus(std::int64_t receivers, float neutral) : m_receivers(receivers), m_neutral(neutral) {}
    std::int64_t m_receivers;
    float m_neutral;
};

/// The neuron that shows pixel (row, col) of a movie frame on a side×side grid (the frame rotated by 270° and
/// flattened row-major, as MovieStimulus lays it out): col·side + side − 1 − row.
inline std::int64_t movieGridNeuron(std::int64_t row, std::int64_t col, std::int64_t side)
{
    return col * side + side - 1 - row;
}

/// A movie on a side×side grid of neurons (visual: the first side² neurons; modulation: all of them).
/// At step it ≥ 0 the movie frame is ⌊it / n_frames · (F − 1)⌋; the frame is rotated by 270° (numpy rot90 k=3)
/// and flattened row-major onto the neurons; during warm-up every neuron's value is 0.
class MovieStimulus : public Stimulus
{
public:
    MovieStimulus(ImageStack movie, std::int64_t receivers, std::int64_t nFrames, float neutral);
    void valuesAt(std::int64_t it, Eigen::Ref<Eigen::VectorXf> external) const override;
    /// Movie frame shown at simulation step it ≥ 0.
    std::int64_t movieFrameAt(std::int64_t it) const;
    const ImageStack& movie() const { return m_movie; }

private:
    ImageStack m_movie;
    std::int64_t m_side;
    std::int64_t m_nFrames;
};

/// e_i·cos(2π f t), t = it·Δt, e_i ~ U(−A, A), on every neuron.
class OscillatoryStimulus : public Stimulus
{
public:
    OscillatoryStimulus(const SimulationConfig& config, Rng& rng);
    void valuesAt(std::int64_t it, Eigen::Ref<Eigen::VectorXf> external) const override;

private:
    Eigen::VectorXf m_amplitude;
    double m_omegaDt;
};

/// Impulses at `triggered_n_impulses` evenly spaced steps (±¼ spacing jitter): each hits 10 random neurons with
/// 5·U(0.5, 2) at its step, then drives them for 200 steps with A_i·a·sin(2π f m (it − t_k)/200),
/// a, m ~ U(0.5, 2) per event.
class TriggeredStimulus : public Stimulus
{
public:
    TriggeredStimulus(const SimulationConfig& config, Rng& rng);
    void valuesAt(std::int64_t it, Eigen::Ref<Eigen::VectorXf> external) const override;

    static constexpr std::int64_t kResponseSteps = 200;
    struct Event
    {
        std::int64_t step;
        std::vector<std::int64_t> neurons;
        std::vector<float> impulse;
        double amplitude;
        double frequency;
    };
    const std::vector<Event>& events() const { return m_events; }

private:
    std::vector<Event> m_events;
    Eigen::VectorXf m_amplitude;
    double m_frequency;
};

} // namespace plexus
