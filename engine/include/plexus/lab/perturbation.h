#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace plexus {

/// A new true W drawn by the simulator's law with another filling factor (docs/lab.md).
struct ConnectivityRedraw
{
    double fillingFactor = 1.0;
    std::int64_t seed = 1;
};

/// New neuron types in these proportions (contiguous blocks, as the simulator lays types out); each neuron takes
/// the learned latent of a random training neuron of its new type (docs/method.md §D.4).
struct TypeRedraw
{
    std::vector<double> proportions;
    std::int64_t seed = 1;
};

/// One connection from → to (W[to, from]) multiplied by `factor` on both sides; 0 cuts it.
struct ConnectionEdit
{
    std::int64_t from = 0;
    std::int64_t to = 0;
    double factor = 0.0;
};

/// Every connection from a neuron of type `fromType` to one of type `toType` (−1: any type) multiplied by `factor`.
struct BlockEdit
{
    std::int32_t fromType = -1;
    std::int32_t toType = -1;
    double factor = 1.0;
};

/// A true type's parameter (by name: g, s, c for PDE_N2; a, b, g, s, w, h otherwise) set to `value`. The learned
/// side cannot know it: it runs on with what it learned.
struct ParameterEdit
{
    std::int32_t type = 0;
    std::string parameter;
    double value = 0.0;
};

/// Another external input, given to both sides: the oscillation's amplitude or frequency, or another movie.
struct InputEdit
{
    std::optional<double> amplitude;
    std::optional<double> frequency;
    std::string movie; ///< a TIFF stack, PNG folder or builtin:NAME; empty: unchanged
};

/// A list of edits applied identically to the true simulator and to the learned model (docs/lab.md), in this order:
/// new W, new types, block gains, connection edits, silenced neurons (outgoing W zeroed and activity held at 0),
/// parameter changes (true side only), new input.
struct Perturbation
{
    std::optional<ConnectivityRedraw> connectivity;
    std::optional<TypeRedraw> types;
    std::vector<BlockEdit> blocks;
    std::vector<ConnectionEdit> connections;
    std::vector<std::int64_t> silenced;
    std::vector<ParameterEdit> parameters;
    std::optional<InputEdit> input;

    bool empty() const;
    /// One readable line per edit ("silence neuron 12", "cut 3 → 7", …).
    std::vector<std::string> describe() const;
    bool operator==(const Perturbation& other) const;
};

/// The paper's generalisation tests (docs/method.md §D.4): "supp_5" (filling factor 0.25, types 10/20/30/40 %) and
/// "supp_6" (0.5, 60/40/0/0 %), with `seed` for both draws. InputError for another name.
Perturbation presetPerturbation(const std::string& name, std::int64_t seed = 1);

/// The preset names presetPerturbation knows.
std::vector<std::string> perturbationPresets();

} // namespace plexus
