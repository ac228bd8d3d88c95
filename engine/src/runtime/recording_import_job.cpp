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

void RecordingImportJob::start()
{
    if (m_worker.joinable())
        return;
    m_state = State::Running;
    m_worker = std::thread([this] { run(); });
}

void RecordingImportJob::stop()
{
    m_stop = true;
    if (m_worker.joinable())
        m_worker.join();
}

std::string RecordingImportJob::errorMessage() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

RecordingSummary RecordingImportJob::summary() const
{
    std::lock_guard lock(m_mutex);
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

void RecordingImportJob::run()
{
    Progress progress;
    progress.stopRequested = &m_stop;
    progress.report = [this](const std::string&, std::int64_t done, std::int64_t total) {
        m_fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
    };
    const bool existed = fs::exists(m_runDir);
    try {
        const RunFolder folder(m_runDir);
        if (fs::exists(folder.datasetPath()))
            throw InputError(m_runDir + " already holds a dataset; choose a new folder");
        RecordingSummary summary;
        const Dataset data = importRecording(m_source, m_options, &summary, progress);
        if (m_stop)
            throw CancelledError();
        fs::create_directories(m_runDir);
        saveDataset(data, folder.datasetPath(), progress);
        saveConfigFile(recordingExperiment(data, m_preset, m_source), folder.configPath());
        {
            std::lock_guard lock(m_mutex);
            m_summary = summary;
        }
        m_state = State::Finished;
    } catch (const std::exception& e) {
        std::error_code ignored;
        if (!existed)
            fs::remove_all(m_runDir, ignored);
        const bool stopped = dynamic_cast<const CancelledError*>(&e) != nullptr;
        {
            std::lock_guard lock(m_mutex);
            m_error = e.what();
        }
        m_state = stopped ? State::Stopped : State::Failed;
    }
}

} // namespace plexus
