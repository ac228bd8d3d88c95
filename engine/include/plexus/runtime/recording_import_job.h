#pragma once

#include "plexus/data/recording_import.h"
#include "plexus/runtime/background_job.h"

#include <string>

namespace plexus {

/// A recording imported into a new run folder on its own thread (the Studio's File → Import recording): reads it
/// (importRecording), writes dataset.h5 and config.yaml (recordingExperiment of `preset`). Nothing is left in the
/// folder when it fails or is stopped.
class RecordingImportJob : public BackgroundJob
{
public:
    RecordingImportJob(std::string source, RecordingOptions options, std::string runDir, std::string preset = "demo");
    ~RecordingImportJob() override;
    /// What was read (once Finished).
    RecordingSummary summary() const;

    /// The format a path suggests: a folder → suite2p, .nwb → nwb, .csv/.txt → csv, .npy → npy, .h5/.hdf5 → hdf5;
    /// "" when none.
    static std::string guessFormat(const std::string& path);

protected:
    void work(const Progress& progress) override;

private:
    std::string m_source;
    RecordingOptions m_options;
    std::string m_runDir, m_preset;
    RecordingSummary m_summary;
};

} // namespace plexus
