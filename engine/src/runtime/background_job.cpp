#include "plexus/runtime/background_job.h"

#include "plexus/util/errors.h"

namespace plexus {

BackgroundJob::~BackgroundJob()
{
    stop();
}

void BackgroundJob::start()
{
    if (m_worker.joinable())
        return;
    m_state = State::Running;
    m_worker = std::thread([this] { run(); });
}

void BackgroundJob::stop()
{
    m_stop = true;
    if (m_worker.joinable())
        m_worker.join();
}

std::string BackgroundJob::phase() const
{
    std::lock_guard lock(m_mutex);
    return m_phase;
}

std::string BackgroundJob::errorMessage() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

void BackgroundJob::run()
{
    Progress progress;
    progress.stopRequested = &m_stop;
    progress.report = [this](const std::string& phase, std::int64_t done, std::int64_t total) {
        {
            std::lock_guard lock(m_mutex);
            m_phase = phase;
        }
        m_fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
    };
    try {
        work(progress);
        m_state = State::Finished;
    } catch (const CancelledError&) {
        m_state = State::Stopped;
    } catch (const std::exception& e) {
        {
            std::lock_guard lock(m_mutex);
            m_error = e.what();
        }
        m_state = State::Failed;
    }
}

} // namespace plexus
