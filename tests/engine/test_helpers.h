#pragma once

#include "plexus/config/experiment_config.h"

#include <QtTest/QtTest>

#include <string>

namespace plexus::test {

/// A small valid PDE_N2 experiment (fig_2 parameter table) for tests.
inline ExperimentConfig smallConfig(std::int64_t neurons = 40, std::int64_t frames = 200)
{
    ExperimentConfig c;
    c.source = "test";
    c.dataset = "test";
    c.simulation.nNeurons = neurons;
    c.simulation.nNeuronTypes = 4;
    c.simulation.nFrames = frames;
    c.simulation.startFrame = -50;
    c.simulation.params = {{10, 1, 1}, {10, 2, 1}, {10, 1, 2}, {10, 2, 2}};
    return c;
}

/// The same with the PDE_N4/N5 table of docs/method.md §A.5.
inline ExperimentConfig smallConfigN4(const std::string& model, std::int64_t neurons = 40, std::int64_t frames = 200)
{
    ExperimentConfig c = smallConfig(neurons, frames);
    c.graphModel.signalModelName = model;
    c.simulation.params = {{1, 0, 10, 1, 1, 0}, {1, 0, 10, 2, 2, 0}, {2, 0, 10, 1, 4, 0}, {2, 0, 10, 2, 8, 0}};
    return c;
}

/// A fresh empty folder under the system temp dir, removed by the QTemporaryDir owner.
inline std::string pathIn(const QTemporaryDir& dir, const char* name)
{
    return dir.filePath(name).toStdString();
}

/// True when `text` contains every fragment (for checking error messages).
inline bool containsAll(const std::string& text, std::initializer_list<const char*> fragments)
{
    for (const char* f : fragments)
        if (text.find(f) == std::string::npos)
            return false;
    return true;
}

} // namespace plexus::test

/// QVERIFY that `statement` throws `Exception` whose message holds every fragment; prints the message otherwise.
#define PLEXUS_VERIFY_THROWS_WITH(statement, Exception, ...)                                                         \
    do {                                                                                                              \
        bool thrown_ = false;                                                                                         \
        try {                                                                                                         \
            statement;                                                                                                \
        } catch (const Exception& e_) {                                                                               \
            thrown_ = true;                                                                                           \
            QVERIFY2(plexus::test::containsAll(e_.what(), {__VA_ARGS__}), e_.what());                                 \
        }                                                                                                             \
        QVERIFY2(thrown_, "expected " #Exception " from " #statement);                                                \
    } while (false)
