#pragma once

#include "plexus/util/progress.h"

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

namespace plexus {

/// Long work on its own thread, for the Studio (a simulation, a lab roll-out, an import): the caller starts it and
/// pulls its state, progress and error; stop() cancels (the work sees Progress::shouldStop and throws
/// CancelledError) and joins. A derived job implements work() and calls stop() in its own destructor, so the thread
/// ends before its members go.
class BackgroundJob
{
public:
    enum class State { Idle, Running, Finished, Stopped, Failed };

    BackgroundJob() = default;
    virtual ~BackgroundJob();
    BackgroundJob(const BackgroundJob&) = delete;
    BackgroundJob& operator=(const BackgroundJob&) = delete;

    void start();
    void stop(); ///< cancels and joins
    State state() const { return m_state.load(); }
    /// Fraction done, 0..1, and what is being done (the work's progress phase).
    double fraction() const { return m_fraction.load(); }
    std::string phase() const;
    std::string errorMessage() const;

protected:
    /// The work: reports through `progress`; an exception makes the job Failed (CancelledError: Stopped).
    virtual void work(const Progress& progress) = 0;
    /// Guards what work() publishes for the caller.
    std::mutex& resultMutex() const { return m_mutex; }

private:
    void run();

    std::thread m_worker;
    std::atomic<bool> m_stop{false};
    std::atomic<State> m_state{State::Idle};
    std::atomic<double> m_fraction{0.0};
    mutable std::mutex m_mutex;
    std::string m_phase, m_error;
};

} // namespace plexus
