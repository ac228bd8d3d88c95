#pragma once

#include "plexus/data/recording_import.h"

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

namespace plexus {

/// A recording imported into a new run folder on its own thread (the Studio's File → Import recording): reads it
/// (importRecording), writes dataset.h5 and config.yaml (recordingExperiment of `preset`). Nothing is left in the
/// folder when it fails or is stopped. The destructor stops and joins.
class RecordingImportJob
{
public:
    enum class State { Idle, Running, Finished, Stopped, Failed };

    RecordingImportJob(std::string source, RecordingOptions options, std::string runDir, std::string preset = "demo");
    ~RecordingImportJob();
    RecordingImportJob(const RecordingImportJob&) = delete;
    RecordingImportJob& operator=(const RecordingImportJob&) = delete;

    void start();
    void stop(); ///< cancels and joins
    State state() const { return m_state.load(); }
    double fraction() const { return m_fraction.load(); }
    std::string errorMessage() const;
    /// What was read (once Finished).
    RecordingSummary summary() const;

    /// The format a path suggests: a folder → suite2p, .nwb → nwb, .csv/.txt → csv, .npy → npy, .h5/.hdf5 → hdf5.
    static std::string guessFormat(const std::string& path);

private:
    void run();

    std::string m_source;
    RecordingOptions m_options;
    std::string m_runDir, m_preset;
    std::thread m_worker;
    std::atomic<bool> m_stop{false};
    std::atomic<State> m_state{State::Idle};
    std::atomic<double> m_fraction{0.0};
    mutable std::mutex m_mutex;
    std::string m_error;
    RecordingSummary m_summary;
};

} // namespace plexus
