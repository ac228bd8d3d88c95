#include "connectivity_refit.h"

#include "lasso_rows.h"
#include "model/receiver_groups.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

namespace plexus {

namespace {

/// Frames per matrix product: 16 MB of features at N = 1000.
constexpr int64_t kChunkRows = 4096;
/// At most this many frames enter G (evenly spaced): consecutive frames differ little.
constexpr int64_t kMostFrames = 50000;
/// φ*'s common factor is applied when within 1 ± this: beyond, φ* is not yet the data's up to a factor.
constexpr double kLargestUpdateShift = 0.5;

/// Linear interpolation in column `neuron` of a row-major [grid, N] table at grid coordinate `position`.
inline float interpolate(const float* table, int64_t neurons, int64_t grid, int64_t neuron, float position)
{
    position = std::clamp(position, 0.0f, static_cast<float>(grid - 1));
    const auto below = std::min<int64_t>(static_cast<int64_t>(position), grid - 2);
    const float t = position - static_cast<float>(below);
    const float a = table[below * neurons + neuron], b = table[(below + 1) * neurons + neuron];
    return a + t * (b - a);
}

} // namespace

std::string ConnectivityRefit::unsupportedReason(const AssemblyModelImpl& model)
{
    if (!model.connectivity.defined())
        return "the learned W is low rank";
    if (model.inputMode() == "multiplicative")
        return "a multiplicative input scales each row's features";
    return "";
}

ConnectivityRefit::ConnectivityRefit(AssemblyModel model, std::shared_ptr<const Dataset> data, int64_t frames,
                                     std::function<bool()> stopRequested)
    : m_model(std::move(model)), m_data(std::move(data)), m_frames(std::max<int64_t>(1, frames)),
      m_stopRequested(std::move(stopRequested))
{
    const int64_t n = m_data->neurons();
    m_low.assign(static_cast<std::size_t>(n), 0.0f);
    m_step.assign(static_cast<std::size_t>(n), 0.0f);
    for (int64_t j = 0; j < n; ++j) {
        const auto column = m_data->activity.col(j).head(m_frames);
        const float low = column.minCoeff(), high = column.maxCoeff();
        m_low[static_cast<std::size_t>(j)] = low;
        m_step[static_cast<std::size_t>(j)] = std::max(high - low, 1e-6f) / static_cast<float>(kGridPoints - 1);
    }
}

torch::Tensor ConnectivityRefit::gridOfRanges() const
{
    const int64_t n = m_data->neurons();
    auto options = torch::TensorOptions().dtype(torch::kFloat);
    auto low = torch::from_blob(const_cast<float*>(m_low.data()), {1, n}, options);
    auto step = torch::from_blob(const_cast<float*>(m_step.data()), {1, n}, options);
    return (low + torch::arange(kGridPoints, options).unsqueeze(1) * step).to(m_model->connectivity.device());
}

torch::Tensor ConnectivityRefit::transferTable(const torch::Tensor& receiver)
{
    auto u = gridOfRanges();
    auto latent = m_model->latent.detach();
    // PDE_N5: the receiver group's mean latent as training sees it (model/receiver_groups.h).
    auto table = receiver.defined() ? m_model->transferToReceiver(u, receiver, latent)
                                    : m_model->transferOfSenders(u, latent);
    return table.to(torch::kCPU).contiguous();
}

std::vector<ConnectivityRefit::Receivers> ConnectivityRefit::receiverSets()
{
    const int64_t n = m_data->neurons();
    if (m_model->transferInputs() != TransferInputs::ActivitySenderReceiver) {
        std::vector<int64_t> all(static_cast<std::size_t>(n));
        for (int64_t i = 0; i < n; ++i)
            all[static_cast<std::size_t>(i)] = i;
        return {{std::move(all), transferTable({})}};
    }
    auto latent = m_model->latent.detach().to(torch::kCPU).contiguous();
    const int64_t d = latent.size(1);
    ReceiverGroups groups(m_model->receiverGroups());
    groups.update(latent.data_ptr<float>(), n, d);
    std::vector<Receivers> sets;
    for (int64_t k = 0; k < groups.count(); ++k) {
        std::vector<int64_t> rows(groups.order() + groups.starts()[k], groups.order() + groups.starts()[k + 1]);
        auto centroid = torch::from_blob(const_cast<float*>(groups.centroid(k)), {d}, torch::kFloat).clone();
        sets.push_back({std::move(rows), transferTable(centroid.to(m_model->connectivity.device()))});
    }
    return sets;
}

void ConnectivityRefit::fillFeatures(const torch::Tensor& table, int64_t start, int64_t rows, int64_t stride,
                                     torch::Tensor& features) const
{
    const int64_t n = m_data->neurons();
    const float* psi = table.data_ptr<float>();
    double* x = features.data_ptr<double>();
    at::parallel_for(0, rows, 64, [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row) {
            const float* u = m_data->activity.row(start + row * stride).data();
            for (int64_t j = 0; j < n; ++j) {
                const auto s = static_cast<std::size_t>(j);
                x[row * n + j] = interpolate(psi, n, kGridPoints, j, (u[j] - m_low[s]) / m_step[s]);
            }
        }
    });
}

void ConnectivityRefit::fillResiduals(const torch::Tensor& update, int64_t start, int64_t rows, int64_t stride,
                                      torch::Tensor& residuals, torch::Tensor& updates) const
{
    const int64_t n = m_data->neurons(), receivers = m_data->stimulusReceivers();
    const bool additive = m_model->inputMode() == "additive";
    const float* phi = update.data_ptr<float>();
    double* r = residuals.data_ptr<double>();
    double* f = updates.data_ptr<double>();
    at::parallel_for(0, rows, 64, [&](int64_t begin, int64_t end) {
        for (int64_t row = begin; row < end; ++row) {
            const int64_t frame = start + row * stride;
            const float* u = m_data->activity.row(frame).data();
            const float* y = m_data->derivative.row(frame).data();
            const float* input = receivers > 0 ? m_data->stimulus.row(frame).data() : nullptr;
            for (int64_t i = 0; i < n; ++i) {
                const auto s = static_cast<std::size_t>(i);
                const float own = interpolate(phi, n, kGridPoints, i, (u[i] - m_low[s]) / m_step[s]);
                float rest = y[i] - own;
                if (additive && i < receivers)
                    rest -= input[i];
                r[row * n + i] = rest;
                f[row * n + i] = own;
            }
        }
    });
}

torch::Tensor ConnectivityRefit::solveRows(torch::Tensor gram, const torch::Tensor& cross, const torch::Tensor& index,
                                          double ridge)
{
    gram = gram.clone();
    gram.diagonal().add_(ridge * gram.diagonal().mean().item<double>() + 1e-12);
    auto inverse = torch::cholesky_inverse(torch::linalg_cholesky(gram)); // H = (G + λI)⁻¹
    auto unconstrained = torch::mm(inverse, cross); // column c: row index[c] of W, w_ii not yet 0
    // w_ii = 0 (no self-edge): the constrained minimiser is v − (v_i / H_ii)·H e_i.
    auto own = unconstrained.index_select(0, index).diagonal() / inverse.diagonal().index_select(0, index);
    unconstrained -= inverse.index_select(1, index) * own.unsqueeze(0);
    return unconstrained;
}

double ConnectivityRefit::chooseRidge(const Sums& first, const Sums& second, const torch::Tensor& index)
{
    // Time-blocked two-fold validation: rows fitted on one half of the frames, their squared error on the other
    // (from that half's sums alone: ‖X w − r‖² = wᵀG w − 2 wᵀXᵀr + const), the ridge with the least total.
    double best = kRidges[0], bestError = std::numeric_limits<double>::infinity();
    for (double ridge : kRidges) {
        double error = 0.0;
        for (const auto* fit : {&first, &second}) {
            const Sums& test = fit == &first ? second : first;
            auto v = solveRows(fit->gram, fit->cross, index, ridge);
            error += ((v * torch::mm(test.gram, v)).sum() - 2.0 * (v * test.cross).sum()).item<double>();
        }
        if (error < bestError) {
            bestError = error;
            best = ridge;
        }
    }
    return best;
}

void ConnectivityRefit::accumulate(const std::vector<Receivers>& sets, const std::vector<torch::Tensor>& indices,
                                   const torch::Tensor& update, int64_t begin, int64_t end, int64_t stride,
                                   std::vector<Sums>& sums) const
{
    const int64_t n = m_data->neurons();
    // Double precision: the activity of a small or short recording can leave G badly conditioned (10⁹ and more).
    auto features = torch::empty({kChunkRows, n}, torch::kDouble);
    auto residuals = torch::empty({kChunkRows, n}, torch::kDouble);
    auto updates = torch::empty({kChunkRows, n}, torch::kDouble);
    for (int64_t first = begin; first < end; first += kChunkRows) {
        checkStop();
        const int64_t rows = std::min(kChunkRows, end - first);
        fillResiduals(update, first * stride, rows, stride, residuals, updates);
        for (std::size_t k = 0; k < sets.size(); ++k) {
            auto r = residuals.narrow(0, 0, rows), f = updates.narrow(0, 0, rows);
            if (sets.size() > 1) {
                r = r.index_select(1, indices[k]);
                f = f.index_select(1, indices[k]);
            }
            fillFeatures(sets[k].transfer, first * stride, rows, stride, features);
            auto x = features.narrow(0, 0, rows);
            sums[k].gram += torch::mm(x.t(), x);
            sums[k].cross += torch::mm(x.t(), r);
            sums[k].crossUpdate += torch::mm(x.t(), f);
            sums[k].residualUpdate += (r * f).sum().item<double>();
            sums[k].updateSquared += (f * f).sum().item<double>();
        }
    }
}

void ConnectivityRefit::scaleUpdateFunction(double factor)
{
    const auto& output = m_model->updateFunction->layers().back();
    output->weight.mul_(factor);
    output->bias.mul_(factor);
}

ConnectivityRefit::SparsePath ConnectivityRefit::sparsePath(const torch::Tensor& gram, const torch::Tensor& cross,
                                                           const torch::Tensor& index)
{
    const int64_t n = gram.size(0), m = cross.size(1);
    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const auto g = gram.contiguous(), c = cross.contiguous();
    SparsePath path;
    path.gram = Eigen::Map<const RowMajor>(g.data_ptr<double>(), n, n);
    path.cross = Eigen::Map<const RowMajor>(c.data_ptr<double>(), n, m);
    path.rows.assign(static_cast<std::size_t>(m), Eigen::VectorXd::Zero(n));
    const int64_t* own = index.data_ptr<int64_t>();
    for (int64_t column = 0; column < m; ++column)
        path.largest.push_back(LassoRows::largestPenalty(path.cross.col(column), own[column]));
    return path;
}

void ConnectivityRefit::advance(SparsePath& path, const torch::Tensor& index, double level) const
{
    const LassoRows lasso(path.gram);
    const int64_t* own = index.data_ptr<int64_t>();
    at::parallel_for(0, static_cast<int64_t>(path.rows.size()), 1, [&](int64_t begin, int64_t end) {
        for (int64_t column = begin; column < end; ++column) {
            if (m_stopRequested && m_stopRequested())
                return; // the rest of this thread's rows: the refit is abandoned below
            const auto c = static_cast<std::size_t>(column);
            if (path.largest[c] > 0.0)
                lasso.solve(path.cross.col(column), own[column], level * path.largest[c], path.rows[c]);
        }
    });
    checkStop();
}

torch::Tensor ConnectivityRefit::rowsOf(const SparsePath& path)
{
    const auto n = path.gram.rows(), m = static_cast<int64_t>(path.rows.size());
    auto rows = torch::empty({n, m}, torch::kDouble);
    double* out = rows.data_ptr<double>();
    for (int64_t column = 0; column < m; ++column)
        for (int64_t k = 0; k < n; ++k)
            out[k * m + column] = path.rows[static_cast<std::size_t>(column)][k];
    return rows;
}

std::size_t ConnectivityRefit::choosePenalty(const Sums& first, const Sums& second, const torch::Tensor& index,
                                             std::vector<Eigen::VectorXd>& start) const
{
    // The ridge's time-blocked two-fold validation, walked down the penalties (warm started) until a level predicts
    // worse than the one before: the small penalties of a badly conditioned G are the slow ones, and the ones the
    // validation rejects. `start`: the mean of the two halves' rows at the chosen level, where the final solve starts.
    SparsePath early = sparsePath(first.gram, first.cross, index), late = sparsePath(second.gram, second.cross, index);
    std::size_t best = 0;
    double bestError = std::numeric_limits<double>::infinity();
    for (std::size_t l = 0; l < std::size(kPenalties); ++l) {
        advance(early, index, kPenalties[l]);
        advance(late, index, kPenalties[l]);
        const auto a = rowsOf(early), b = rowsOf(late);
        const double error = ((a * torch::mm(second.gram, a)).sum() - 2.0 * (a * second.cross).sum() +
                              (b * torch::mm(first.gram, b)).sum() - 2.0 * (b * first.cross).sum()).item<double>();
        if (error >= bestError)
            break;
        bestError = error;
        best = l;
        start.resize(early.rows.size());
        for (std::size_t c = 0; c < start.size(); ++c)
            start[c] = 0.5 * (early.rows[c] + late.rows[c]);
    }
    return best;
}

torch::Tensor ConnectivityRefit::sparseConnectivity(const std::vector<Receivers>& sets,
                                                    const std::vector<torch::Tensor>& indices,
                                                    const std::vector<Sums>& early, const std::vector<Sums>& late)
{
    const int64_t n = m_data->neurons();
    auto w = torch::zeros({n, n}, torch::kDouble);
    for (std::size_t k = 0; k < sets.size(); ++k) {
        std::vector<Eigen::VectorXd> start;
        const std::size_t level = choosePenalty(early[k], late[k], indices[k], start);
        m_penalties.push_back(kPenalties[level]);
        SparsePath both = sparsePath(early[k].gram + late[k].gram, early[k].cross + late[k].cross, indices[k]);
        both.rows = std::move(start); // near the optimum: the halves' rows at the chosen level
        advance(both, indices[k], kPenalties[level]);
        w.index_copy_(0, indices[k], rowsOf(both).t());
    }
    m_updateScale = 1.0;
    return w;
}

torch::Tensor ConnectivityRefit::denseConnectivity(const std::vector<Receivers>& sets,
                                                   const std::vector<torch::Tensor>& indices,
                                                   const std::vector<Sums>& early, const std::vector<Sums>& late)
{
    const int64_t n = m_data->neurons();
    // Per set, the rows for the residual (φ* as it is) and for φ* itself: W(b) = W_r − b·W_f fits du/dt − (1 + b)·φ*.
    // The squared error at the optimum rows is rᵀr − wᵀXᵀr, quadratic in b: E(b) = const − 2bB + b²C.
    std::vector<torch::Tensor> residualRows, updateRows;
    double linear = 0.0, quadratic = 0.0;
    for (std::size_t k = 0; k < sets.size(); ++k) {
        checkStop();
        const double ridge = chooseRidge(early[k], late[k], indices[k]);
        m_ridges.push_back(ridge);
        const int64_t m = indices[k].size(0);
        auto both = solveRows(early[k].gram + late[k].gram,
                              torch::cat({early[k].cross + late[k].cross, early[k].crossUpdate + late[k].crossUpdate}, 1),
                              torch::cat({indices[k], indices[k]}), ridge);
        residualRows.push_back(both.narrow(1, 0, m));
        updateRows.push_back(both.narrow(1, m, m));
        const auto crossUpdate = early[k].crossUpdate + late[k].crossUpdate;
        linear += early[k].residualUpdate + late[k].residualUpdate - (residualRows[k] * crossUpdate).sum().item<double>();
        quadratic += early[k].updateSquared + late[k].updateSquared - (updateRows[k] * crossUpdate).sum().item<double>();
    }
    double shift = quadratic > 0.0 ? linear / quadratic : 0.0;
    if (!std::isfinite(shift) || std::fabs(shift) > kLargestUpdateShift)
        shift = 0.0; // φ* far from the data's: not a common factor to correct here
    auto w = torch::zeros({n, n}, torch::kDouble);
    for (std::size_t k = 0; k < sets.size(); ++k)
        w.index_copy_(0, indices[k], (residualRows[k] - shift * updateRows[k]).t());
    m_updateScale = 1.0 + shift;
    return w;
}

void ConnectivityRefit::checkStop() const
{
    if (m_stopRequested && m_stopRequested())
        throw Abandoned{};
}

bool ConnectivityRefit::apply(bool sparse)
{
    try {
        torch::NoGradGuard noGrad;
        const auto w = solve(sparse);
        m_model->connectivity.copy_(w.to(torch::kFloat).to(m_model->connectivity.device()));
        m_model->connectivity.fill_diagonal_(0.0);
        scaleUpdateFunction(m_updateScale);
        return true;
    } catch (const Abandoned&) {
        m_ridges.clear();
        m_penalties.clear();
        m_updateScale = 1.0;
        return false;
    }
}

torch::Tensor ConnectivityRefit::solve(bool sparse)
{
    const int64_t n = m_data->neurons();
    const std::vector<Receivers> sets = receiverSets();
    const torch::Tensor update = m_model->updateFunctionOf(gridOfRanges(), m_model->latent.detach())
                                     .to(torch::kCPU).contiguous();
    const int64_t stride = (m_frames + kMostFrames - 1) / kMostFrames;
    const int64_t used = (m_frames + stride - 1) / stride;
    std::vector<torch::Tensor> indices;
    std::vector<Sums> early, late; // the two halves of the frames
    for (const auto& set : sets) {
        const auto m = static_cast<int64_t>(set.rows.size());
        for (auto* half : {&early, &late})
            half->push_back({torch::zeros({n, n}, torch::kDouble), torch::zeros({n, m}, torch::kDouble),
                             torch::zeros({n, m}, torch::kDouble)});
        indices.push_back(torch::tensor(set.rows, torch::kLong));
    }
    accumulate(sets, indices, update, 0, used / 2, stride, early);
    accumulate(sets, indices, update, used / 2, used, stride, late);
    m_ridges.clear();
    m_penalties.clear();
    return sparse ? sparseConnectivity(sets, indices, early, late) : denseConnectivity(sets, indices, early, late);
}

} // namespace plexus
