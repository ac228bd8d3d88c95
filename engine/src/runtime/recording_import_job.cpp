#include "plexus/runtime/recording_import_job.h"

#include "plexus/config/config_loader.h"
#include "plexus/data/dataset_file.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/util/errors.h"

#include <algorithm>
#include <filesystem>

namespace plexus {

namespace fs = std::filesystem;

RecordingImportJob::RecordingImportJob(std::string source, RecordingOptions options, std::string runDir,
                                       std::string preset)
    : m_source(std::move(source)), m_options(std::move(options)), m_runDir(std::move(runDir)), m_preset(std::move(preset))
{
}

RecordingImportJob::~RecordingImportJob()
{
    stop();
}

RecordingSummary RecordingImportJob::summary() const
{
    std::lock_guard lock(resultMutex());
    return m_summary;
}

std::string RecordingImportJob::guessFormat(const std::string& path)
{
    if (fs::is_directory(path))
        return "suite2p";
    std::string extension = fs::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
    if (extension == ".nwb")
        return "nwb";
    if (extension == ".csv" || extension == ".txt")
        return "csv";
    if (extension == ".npy")
        return "npy";
    if (extension == ".h5" || extension == ".hdf5")
        return "hdf5";
    return "";
}

void RecordingImportJob::work(const Progress& progress)
{
    const bool existed = fs::exists(m_runDir);
    try {
        const RunFolder folder(m_runDir);
        if (fs::exists(folder.datasetPath()))
            throw InputError(m_runDir + " already holds a dataset; choose a new folder");
        RecordingSummary summary;
        fs::create_directories(m_runDir);
        const ExperimentConfig config =
            importRecordingTo(m_source, m_options, folder.datasetPath(), m_preset, &summary, progress);
        if (progress.shouldStop())
            throw CancelledError();
        saveConfigFile(config, folder.configPath());
        std::lock_guard lock(resultMutex());
        m_summary = summary;
    } catch (...) {
        std::error_code ignored;
        if (!existed)
            fs::remove_all(m_runDir, ignored);
        throw;
    }
}

} // namespace plexus
