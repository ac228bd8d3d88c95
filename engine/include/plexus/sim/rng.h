#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <utility>
#include <vector>

namespace plexus {

/// Seeded random numbers with our own distributions (xoshiro256** + Box–Muller), so that a seed gives the
/// same network and activity on every compiler and standard library. Not the authors' numpy/torch streams:
/// same laws, different draws.
class Rng
{
public:
    explicit Rng(std::uint64_t seed) { reseed(seed); }

    void reseed(std::uint64_t seed)
    {
        std::uint64_t x = seed;
        for (auto& s : m_state)
            s = splitMix(x);
        m_hasSpare = false;
    }

    /// The full generator state, for checkpoints.
    struct State
    {
        std::uint64_t words[4];
        double spare;
        bool hasSpare;
    };
    State state() const { return {{m_state[0], m_state[1], m_state[2], m_state[3]}, m_spare, m_hasSpare}; }
    void setState(const State& s)
    {
        for (int i = 0; i < 4; ++i)
            m_state[i] = s.words[i];
        m_spare = s.spare;
        m_hasSpare = s.hasSpare;
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    /// U[0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// U[low, high).
    double uniform(double low, double high) { return low + (high - low) * uniform(); }
    /// Integer in [0, n).
    std::uint64_t below(std::uint64_t n) { return static_cast<std::uint64_t>(uniform() * static_cast<double>(n)); }

    /// Standard normal N(0, 1) (Box–Muller; the second value of each pair is kept for the next call).
    double normal()
    {
        if (m_hasSpare) {
            m_hasSpare = false;
            return m_spare;
        }
        double u1 = 1.0 - uniform(); // (0, 1]: log is finite
        double u2 = uniform();
        double radius = std::sqrt(-2.0 * std::log(u1));
        double angle = 2.0 * std::numbers::pi * u2;
        m_spare = radius * std::sin(angle);
        m_hasSpare = true;
        return radius * std::cos(angle);
    }

    /// Standard Cauchy (Lorentz) sample.
    double cauchy() { return std::tan(std::numbers::pi * (uniform() - 0.5)); }

    /// Fisher–Yates shuffle.
    template <class T>
    void shuffle(std::vector<T>& values)
    {
        for (std::size_t i = values.size(); i > 1; --i)
            std::swap(values[i - 1], values[below(i)]);
    }

    /// A random permutation of 0..n-1.
    std::vector<std::int64_t> permutation(std::int64_t n)
    {
        std::vector<std::int64_t> p(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i)
            p[static_cast<std::size_t>(i)] = i;
        shuffle(p);
        return p;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitMix(std::uint64_t& x)
    {
        std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    std::uint64_t m_state[4]{};
    double m_spare = 0.0;
    bool m_hasSpare = false;
};

} // namespace plexus
