#include "trainer_impl.h"

#include "plexus/analysis/clustering.h"
#include "plexus/analysis/evaluation.h"
#include "plexus/analysis/linear_fit.h"
#include "plexus/analysis/type_recovery.h"
#include "plexus/train/metrics_file.h"
#include "model_identity.h"
#include "training_memory.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/util/errors.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

namespace plexus {

namespace fs = std::filesystem;

namespace {

std::atomic<int> kernelThreads{0};

/// The five loss terms of a [5] tensor.
LossTerms termsOf(const torch::Tensor& terms)
{
    auto v = terms.to(torch::kCPU, torch::kDouble);
    const double* p = v.data_ptr<double>();
    return {p[0], p[1], p[2], p[3], p[4]};
}

} // namespace

void setComputeThreads(int threads)
{
    torch::set_num_threads(std::max(1, threads));
}

void setKernelThreads(int threads)
{
    kernelThreads = std::max(0, threads);
}

namespace {

torch::Device chooseDevice(const std::string& requested)
{
    if (requested == "cuda") {
        if (!torch::cuda::is_available())
            throw InputError("training.device: cuda was asked for, but this build or machine has no CUDA device");
        return torch::Device(torch::kCUDA);
    }
    if (requested == "auto" && torch::cuda::is_available())
        return torch::Device(torch::kCUDA);
    return torch::Device(torch::kCPU);
}

/// Shares the dataset's memory on the CPU (no copy); copies it to another device.
torch::Tensor viewOf(const FrameMatrix& matrix, torch::Device device)
{
    auto view = torch::from_blob(const_cast<float*>(matrix.data()), {matrix.rows(), matrix.cols()}, torch::kFloat);
    return device.is_cpu() ? view : view.to(device);
}

} // namespace

Trainer::Impl::Impl(const ExperimentConfig& c, std::shared_ptr<const Dataset> d, const TrainingOptions& o)
    : config(c), data(std::move(d)), options(o), rng(static_cast<std::uint64_t>(c.training.seed))
{
    if (!data || data->frames() < 8)
        throw InputError("training needs a dataset of at least 8 frames");
    device = chooseDevice(options.device.empty() ? config.training.device : options.device);
    config.simulation.externalInputMode = data->inputMode; // the data say how their input entered
    torch::manual_seed(static_cast<uint64_t>(config.training.seed));
    checkTrainingMemory(config, data->neurons());
    identity = modelIdentity(config, *data);
    model = AssemblyModel(config, data->neurons(), data->stimulusReceivers(), data->frames() - 1);
    model->to(device);
    learned = std::make_unique<TorchLearnedModel>(model, device, config);
    activity = viewOf(data->activity, device);
    derivative = viewOf(data->derivative, device);
    if (data->stimulusReceivers() > 0)
        stimulus = viewOf(data->stimulus, device);
    xnorm = plexus::activityScale(*data);
    const auto& t = config.training;
    const int64_t nFrames = data->frames() - 1;
    iterationsPerEpoch = std::max<int64_t>(1, static_cast<int64_t>(
        static_cast<double>((nFrames * t.dataAugmentationLoop) / t.batchSize) * 0.2));
    totalIterations = options.iterations > 0 ? options.iterations : t.nEpochs * iterationsPerEpoch;
    checkpointInterval = options.checkpointInterval > 0 ? options.checkpointInterval
                                                        : std::max<int64_t>(1, iterationsPerEpoch / 20);
    applyEpochSchedule(0);
    const std::string reason = options.cpuKernels ? CpuTrainingStep::unsupportedReason(*model, device)
                                                  : std::string("switched off");
    if (reason.empty()) {
        optimizerThreads = kernelThreads > 0 ? kernelThreads.load() : torch::get_num_threads();
        cpuStep = std::make_unique<CpuTrainingStep>(model, data, std::max<int64_t>(1, t.batchSize), optimizerThreads);
        stepKernel = "cpu kernels";
    } else {
        stepKernel = "autograd (" + reason + ")";
    }
    rebuildOptimizer(startRates());
    if (t.connectivityRefitShare > 0 && t.connectivityRefitEvery <= 0)
        throw InputError("training.connectivity_refit_share: needs training.connectivity_refit_every > 0 (the first "
                         "refit's iteration); without it W is never refit");
    if (t.connectivityRefitEvery > 0) {
        const std::string why = ConnectivityRefit::unsupportedReason(*model);
        if (!why.empty())
            throw InputError("training.connectivity_refit_every: not available for this model (" + why + ")");
        refit = std::make_unique<ConnectivityRefit>(model, data, drawnFrames(), options.stopRequested);
        refitSchedule = RefitSchedule(t.connectivityRefitEvery, t.connectivityRefitShare);
        if (t.connectivityRefitFunctions) {
            const std::string whyNot = FunctionRefit::unsupportedReason(*model);
            if (!whyNot.empty())
                throw InputError("training.connectivity_refit_functions: not available for this model (" + whyNot + ")");
            functionRefit = std::make_unique<FunctionRefit>(model, data, drawnFrames());
        }
    }
}

GroupRates Trainer::Impl::startRates() const
{
    const auto& t = config.training;
    return {t.learningRateEmbeddingStart, t.learningRateStart, t.learningRateWStart, t.learningRateStart};
}

void Trainer::Impl::rebuildOptimizer(const GroupRates& rates)
{
    // One group per tensor role, fresh moments (the authors re-create Adam every epoch, docs/method.md §C.4–C.5).
    std::vector<FusedAdam::Group> groups;
    auto add = [&groups](const char* name, std::vector<torch::Tensor> params, double lr) {
        if (!params.empty())
            groups.push_back({name, std::move(params), lr});
    };
    add("latent", model->latentParameters(), rates.latent);
    add("updateFunction", model->updateFunction->parameters(), rates.update);
    add("connectivity", model->connectivityParameters(), rates.connectivity);
    add("transferFunction", model->transferFunction->parameters(), rates.transfer);
    if (model->hasStimulusField()) // Ω* has its own rate (the authors give it its own Adam, docs/method.md §B.5)
        add("stimulusField", model->stimulusField->parameters(), config.training.learningRateNnrF);
    optimizer = std::make_unique<FusedAdam>(std::move(groups), optimizerThreads);
}

void Trainer::Impl::applyEpochSchedule(int64_t epoch)
{
    const auto& t = config.training;
    const bool twoPhase = t.nEpochsInit > 0;
    if (twoPhase && epoch < t.nEpochsInit) {
        coeffL1 = t.firstCoeffL1;
        coeffMonotonicity = t.coeffEdgeDiff;
    } else if (twoPhase) {
        coeffL1 = t.coeffWL1;
        coeffMonotonicity = 0.0;
    } else {
        coeffL1 = t.coeffWL1;
        coeffMonotonicity = t.coeffEdgeDiff;
    }
}

int64_t Trainer::Impl::batchSize() const
{
    const bool firstEpoch = iteration < iterationsPerEpoch;
    return config.training.smallInitBatchSize && firstEpoch ? 1 : config.training.batchSize;
}

std::int64_t trainingFrames(const Dataset& data, const ExperimentConfig& config)
{
    const auto held = static_cast<std::int64_t>(std::floor(config.training.heldOutFraction * static_cast<double>(data.frames())));
    return std::max<std::int64_t>(std::min<std::int64_t>(8, data.frames()), data.frames() - held);
}

int64_t Trainer::Impl::drawnFrames() const
{
    return std::max<int64_t>(1, trainingFrames(*data, config) - 6);
}

torch::Tensor Trainer::Impl::sampleFrames(int64_t batch)
{
    // k ~ U{0, …, n_frames − 6} (docs/method.md §C.1), drawn from our own seeded stream (saved in checkpoints); the
    // held-out last frames (training.held_out_fraction) are never drawn.
    const auto range = static_cast<std::uint64_t>(drawnFrames());
    auto frames = torch::empty({batch}, torch::kLong);
    auto* k = frames.data_ptr<int64_t>();
    for (int64_t b = 0; b < batch; ++b)
        k[b] = static_cast<int64_t>(rng.below(range));
    return frames.to(device);
}

torch::Tensor Trainer::Impl::externalFor(const torch::Tensor& frames) const
{
    const int64_t b = frames.size(0), n = data->neurons();
    if (data->inputMode == "none")
        return torch::zeros({1, 1}, torch::TensorOptions().device(device)); // unused by the model
    auto external = torch::full({b, n}, data->neutralInput(), torch::TensorOptions().device(device));
    if (stimulus.defined())
        external.narrow(1, 0, stimulus.size(1)).copy_(stimulus.index_select(0, frames));
    return external;
}

torch::Tensor Trainer::Impl::lossTensors(const torch::Tensor& frames)
{
    const int64_t batch = frames.size(0);
    auto u = activity.index_select(0, frames);
    auto target = derivative.index_select(0, frames);
    auto external = model->hasStimulusField() ? model->learnedExternal(frames, data->neutralInput()) : externalFor(frames);
    auto prediction = model->forward(u, external);
    auto predictionLoss = (prediction - target).norm();
    auto zero = torch::zeros({}, u.options());
    const auto& t = config.training;
    auto updateAtZero = zero;
    if (t.coeffLinPhiZero > 0) {
        auto zeros = torch::zeros({1, data->neurons()}, u.options());
        updateAtZero = model->updateFunctionOf(zeros, model->latent).norm() * (t.coeffLinPhiZero * batch);
    }
    auto monotonicity = zero;
    if (coeffMonotonicity > 0) {
        // Inputs detached: only ψ* learns from this term (docs/method.md §C.3).
        auto still = u.detach();
        auto latent = model->latent.detach();
        auto rise = model->transferOfSenders(still, latent) - model->transferOfSenders(still + xnorm / 150.0, latent);
        monotonicity = torch::relu(rise).norm(2, {1}).sum() * coeffMonotonicity;
    }
    auto sparsity = coeffL1 > 0 ? model->connectivityMatrix().abs().sum() * coeffL1 : zero;
    auto total = predictionLoss + updateAtZero + monotonicity + sparsity;
    return torch::stack({total, predictionLoss, updateAtZero, monotonicity, sparsity});
}

CpuTrainingStep::Coefficients Trainer::Impl::stepCoefficients() const
{
    return {config.training.coeffLinPhiZero, coeffMonotonicity, coeffL1, xnorm / 150.0};
}

torch::Tensor Trainer::Impl::lossAndGradients(const torch::Tensor& frames)
{
    return cpuStep ? kernelLossAndGradients(frames) : autogradLossAndGradients(frames);
}

torch::Tensor Trainer::Impl::kernelLossAndGradients(const torch::Tensor& frames)
{
    // Ω* (a dense coordinate network, where LibTorch is efficient) runs forward and backward by autograd; the graph
    // part by the CPU step, which hands back ∂loss/∂Ω* for Ω*'s backward: Ω* = amplitude², ∂/∂amplitude = 2·amplitude.
    torch::Tensor amplitude, omega;
    if (model->hasStimulusField()) {
        amplitude = model->fieldAmplitude(frames);
        omega = amplitude.detach().square().contiguous();
    }
    const auto values = cpuStep->run(frames.data_ptr<int64_t>(), frames.size(0), stepCoefficients(),
                                     omega.defined() ? omega.data_ptr<float>() : nullptr);
    if (amplitude.defined()) {
        for (auto& p : model->stimulusField->parameters())
            if (p.grad().defined())
                p.mutable_grad().zero_();
        auto gradient = torch::from_blob(const_cast<float*>(cpuStep->externalGradient()), omega.sizes(), torch::kFloat);
        amplitude.backward(2.0 * amplitude.detach() * gradient);
    }
    return torch::tensor(std::vector<double>(values.begin(), values.end()), torch::kFloat);
}

torch::Tensor Trainer::Impl::autogradLossAndGradients(const torch::Tensor& frames)
{
    auto terms = lossTensors(frames);
    optimizer->zeroGrad();
    terms[0].backward();
    model->maskDiagonalGradient();
    return terms.detach();
}

double Trainer::Impl::step()
{
    const auto stepStart = std::chrono::steady_clock::now();
    auto terms = lossAndGradients(sampleFrames(batchSize()));
    const double value = terms[0].item<double>();
    if (!std::isfinite(value))
        diverged("the loss is no longer finite");
    if (health.add(value / static_cast<double>(std::max<int64_t>(1, batchSize())))) {
        char what[160];
        std::snprintf(what, sizeof what, "the loss per sample grew from %.3g at best to %.3g", health.best(),
                      health.average());
        diverged(what);
    }
    if (health.healthy() && !unconfirmedCheckpoint.empty()) {
        lastHealthyCheckpoint = unconfirmedCheckpoint; // this loss is of the model that checkpoint holds
        unconfirmedCheckpoint.clear();
    }
    optimizer->step();
    lastTerms = terms;
    ++iteration;
    stepSecondsSinceRefit += std::chrono::duration<double>(std::chrono::steady_clock::now() - stepStart).count();
    refitWhenDue();
    if (iteration % iterationsPerEpoch == 0)
        finishEpoch(iteration / iterationsPerEpoch - 1); // saves the epoch checkpoint
    else if (!options.runDir.empty() && iteration % checkpointInterval == 0)
        saveCheckpoint("iteration");
    return value;
}

void Trainer::Impl::refitWhenDue()
{
    if (refit && refitSchedule.due(iteration, stepSecondsSinceRefit))
        refitConnectivity();
}

bool Trainer::Impl::refitConnectivity()
{
    const std::int64_t until = config.training.connectivityRefitUntil;
    if (!refit || lastRefitIteration == iteration || (until > 0 && iteration > until))
        return false;
    const bool sparse = config.training.connectivityRefitL1 && coeffL1 > 0;
    const auto start = std::chrono::steady_clock::now();
    if (!refit->apply(sparse))
        return false; // a stop was asked for: the model as it was
    if (functionRefit) { // alternating least squares: the functions' output layers for this W, then W for them
        functionRefit->apply();
        refit->apply(sparse); // abandoned on a stop: the first solve's W, the functions fitted to it
        optimizer->resetMoments("updateFunction");
        optimizer->resetMoments("transferFunction");
    }
    optimizer->resetMoments("connectivity"); // W's moments belong to the W it replaced
    lastRefitIteration = iteration;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    refitSchedule.refitted(seconds);
    stepSecondsSinceRefit = 0.0;
    recordRefit(sparse, seconds);
    return true;
}

void Trainer::Impl::recordRefit(bool sparse, double seconds)
{
    if (options.runDir.empty())
        return;
    std::ostringstream row;
    row << iteration << ',' << (sparse ? "lasso" : "ridge") << ',' << seconds << ',' << refit->updateScale() << ',';
    const std::vector<double>& chosen = sparse ? refit->penalties() : refit->ridges();
    for (std::size_t k = 0; k < chosen.size(); ++k)
        row << (k ? ";" : "") << chosen[k]; // one per receiver set
    appendRow(RunFolder(options.runDir).refitsPath(), "iteration,kind,seconds,update_factor,chosen", row.str());
}

void Trainer::Impl::appendRow(const std::string& path, const std::string& header, const std::string& row) const
{
    fs::create_directories(options.runDir);
    const bool fresh = !fs::exists(path);
    std::ofstream out(path, std::ios::app);
    if (!out)
        throw InputError("cannot write " + path);
    if (fresh)
        out << header << '\n';
    out << row << '\n';
}

void Trainer::Impl::diverged(const std::string& what)
{
    std::string message = what;
    if (!options.runDir.empty()) {
        const std::string moved = setAsideAfterHealthy();
        if (!moved.empty())
            message += "; the checkpoints taken since it started were moved to " + moved;
        message += lastHealthyCheckpoint.empty()
                       ? "; no checkpoint was taken before it"
                       : "; --resume continues from " + fs::path(lastHealthyCheckpoint).filename().string() +
                             " (lower the learning rates first)";
    }
    throw DivergedError(iteration + 1, message);
}

void Trainer::Impl::finishEpoch(int64_t epoch)
{
    const auto& t = config.training;
    const int64_t freq = std::max<int64_t>(1, t.sparsityFreq);
    const bool clustering = t.sparsity == "replace_embedding_function" && epoch % freq == freq - 1 &&
                            epoch < t.nEpochs - freq && !t.trainingSingleType;
    applyEpochSchedule(epoch + 1);
    if (clustering) {
        lastClusters = clusterAndReplace();
        GroupRates rates = startRates();
        if (t.fixClusterEmbedding) // latents and ψ* frozen for the next epoch only (docs/method.md §C.5 step 7)
            rates.latent = rates.transfer = 1e-12;
        frozenEpoch = t.fixClusterEmbedding;
        rebuildOptimizer(rates);
    } else {
        frozenEpoch = false;
        rebuildOptimizer(startRates());
    }
    if (!options.runDir.empty())
        saveCheckpoint("epoch");
}

TrainingMetrics Trainer::Impl::measure()
{
    TrainingMetrics m;
    m.iteration = iteration;
    m.epoch = iteration / iterationsPerEpoch;
    m.wallSeconds = wallOffset + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.loss = lossTerms();
    Eigen::MatrixXf learnedW = learned->connectivity() / kConnectivityGain; // docs/method.md §D.1
    if (data->connectivity.size() == learnedW.size()) {
        LinearFit fit = fitLine(data->connectivity.data(), learnedW.data(), learnedW.size());
        m.connectivityR2 = fit.r2;
        m.connectivitySlope = fit.slope;
    }
    m.clusters = clusterCount(clusterLatents(learned->latents()));
    for (const auto& group : optimizer->groups())
        m.learningRates.emplace_back(group.name, group.lr);
    return m;
}

LossTerms Trainer::Impl::lossTerms() const
{
    return lastTerms.defined() ? termsOf(lastTerms) : LossTerms{};
}

void Trainer::Impl::recordMetrics(const TrainingMetrics& m)
{
    if (!options.runDir.empty())
        appendRow(RunFolder(options.runDir).metricsPath(), metricsHeader(m), metricsRow(m));
}

// ---------------- Trainer (public) ----------------

Trainer::Trainer(const ExperimentConfig& config, std::shared_ptr<const Dataset> data, const TrainingOptions& options)
    : m_impl(std::make_unique<Impl>(config, std::move(data), options))
{
}

Trainer::~Trainer() = default;

std::int64_t Trainer::iteration() const { return m_impl->iteration; }
std::int64_t Trainer::totalIterations() const { return m_impl->totalIterations; }
std::int64_t Trainer::iterationsPerEpoch() const { return m_impl->iterationsPerEpoch; }
std::int64_t Trainer::epoch() const { return m_impl->iteration / m_impl->iterationsPerEpoch; }
bool Trainer::finished() const { return m_impl->iteration >= m_impl->totalIterations; }
bool Trainer::inFinalPhase() const { return epoch() >= m_impl->config.training.nEpochsInit; }
std::string Trainer::deviceName() const { return m_impl->device.str(); }
std::string Trainer::stepKernel() const { return m_impl->stepKernel; }
double Trainer::activityScale() const { return m_impl->xnorm; }
double Trainer::step() { return m_impl->step(); }
bool Trainer::finishTraining() { return m_impl->refitConnectivity(); }
std::vector<double> Trainer::connectivityRefitRidges() const
{
    return m_impl->refit ? m_impl->refit->ridges() : std::vector<double>{};
}
std::vector<double> Trainer::connectivityRefitPenalties() const
{
    return m_impl->refit ? m_impl->refit->penalties() : std::vector<double>{};
}
LossTerms Trainer::lastLoss() const { return m_impl->lossTerms(); }
TrainingMetrics Trainer::measure() { return m_impl->measure(); }
LinearFit Trainer::correctedConnectivityFit() const
{
    const Impl& impl = *m_impl;
    if (impl.data->connectivity.rows() != impl.data->neurons()) // no true W (a recording)
        return {};
    return scoreConnectivity(*impl.learned, *impl.data, impl.config, impl.xnorm).corrected;
}
void Trainer::recordMetrics(const TrainingMetrics& metrics) { m_impl->recordMetrics(metrics); }
void Trainer::saveCheckpoint() { m_impl->saveCheckpoint("iteration"); }
const LearnedModel& Trainer::model() const { return *m_impl->learned; }

LossTerms Trainer::lossOn(const std::vector<std::int64_t>& frames)
{
    torch::NoGradGuard noGrad;
    auto k = torch::tensor(std::vector<int64_t>(frames.begin(), frames.end()), torch::kLong).to(m_impl->device);
    return termsOf(m_impl->lossTensors(k));
}

namespace {

std::vector<torch::Tensor> gradientCopies(const std::vector<torch::Tensor>& parameters)
{
    std::vector<torch::Tensor> out;
    for (const auto& p : parameters)
        out.push_back(p.grad().defined() ? p.grad().clone() : torch::zeros_like(p));
    return out;
}

} // namespace

StepKernelComparison Trainer::compareStepKernels(const std::vector<std::int64_t>& frames)
{
    auto& impl = *m_impl;
    StepKernelComparison result;
    result.kernel = impl.stepKernel;
    auto k = torch::tensor(std::vector<int64_t>(frames.begin(), frames.end()), torch::kLong);
    result.available = impl.cpuStep != nullptr;
    if (!result.available)
        return result;
    std::vector<torch::Tensor> parameters;
    for (const auto& named : impl.model->named_parameters()) {
        result.names.push_back(named.key());
        parameters.push_back(named.value());
    }
    result.kernels = termsOf(impl.kernelLossAndGradients(k));
    const auto fromKernels = gradientCopies(parameters);
    result.autograd = termsOf(impl.autogradLossAndGradients(k.to(impl.device)));
    const auto fromAutograd = gradientCopies(parameters);
    for (std::size_t p = 0; p < parameters.size(); ++p) {
        const double scale = fromAutograd[p].abs().max().item<double>();
        const double error = (fromKernels[p] - fromAutograd[p]).abs().max().item<double>();
        result.differences.push_back(scale > 0 ? error / scale : error);
    }
    return result;
}

void Trainer::setLatents(const Eigen::MatrixXf& latents)
{
    auto& latent = m_impl->model->latent;
    if (latents.rows() != latent.size(0) || latents.cols() != latent.size(1))
        throw InputError("latents of shape " + std::to_string(latents.rows()) + " × " + std::to_string(latents.cols()) +
                         ", expected " + std::to_string(latent.size(0)) + " × " + std::to_string(latent.size(1)));
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = latents;
    torch::NoGradGuard noGrad;
    latent.copy_(torch::from_blob(rows.data(), {rows.rows(), rows.cols()}, torch::kFloat).to(latent.device()));
}

std::vector<std::pair<std::string, double>> Trainer::learningRates() const
{
    std::vector<std::pair<std::string, double>> rates;
    for (const auto& group : m_impl->optimizer->groups())
        rates.emplace_back(group.name, group.lr);
    return rates;
}

} // namespace plexus
