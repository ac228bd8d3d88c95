#pragma once

// Private to the engine: includes LibTorch.
#include "model/assembly_model.h"

#include "plexus/data/dataset.h"

#include <torch/torch.h>

#include <Eigen/Core>

#include <functional>
#include <memory>
#include <string>

namespace plexus {

/// The learned W set to its least-squares value given the current φ*, ψ* and latents (docs/training.md,
/// "Connectivity refit"). The prediction is linear in W: dû_i/dt = φ*(u_i, a_i) + Σ_j W_ij ψ*_ij(u_j) (+ the known
/// additive input), so over the training frames each row of W solves G w_i = Xᵀ r_i with G = XᵀX, X_tj = ψ*_ij(u_j(t)),
/// r_i = du_i/dt − φ*(u_i, a_i) − input, and w_ii = 0. Receivers that see the same ψ* share one G: every receiver for
/// PDE_N2/N4, each receiver group of PDE_N5's training (ReceiverGroups: ψ*(u_j, ā_k, a_j)). ψ* and φ* are tabulated per
/// neuron over its activity range and interpolated, so the cost is matrix products over the frames, not an MLP
/// evaluation per frame and neuron. φ* gets one common factor in the same least-squares problem (every term of du/dt
/// scaled alike costs only that factor times du/dt, which is small next to the terms: a direction training is slow to
/// settle, and the corrected W's slope shows it); its output layer is scaled by it.
class ConnectivityRefit
{
public:
    /// The frames 0 … `frames` − 1 of `data` are used (the training frames).
    /// `stopRequested` (may be empty) is polled between pieces of work: true abandons the refit.
    ConnectivityRefit(AssemblyModel model, std::shared_ptr<const Dataset> data, int64_t frames,
                      std::function<bool()> stopRequested = {});

    /// Why the refit cannot serve this model ("" when it can): a multiplicative input scales each row's features, a
    /// low-rank W is not a free matrix.
    static std::string unsupportedReason(const AssemblyModelImpl& model);

    /// Sets W and φ*'s common factor (in place, without gradient). `sparse`: W's rows minimise the squared error plus
    /// an L1 penalty instead of a ridge, and φ* is left as it is (docs/training.md, "Sparse refit"). Returns false,
    /// the model untouched, when a stop was asked for while it worked.
    bool apply(bool sparse = false);
    /// The relative ridge λ each receiver set's last refit chose (docs/training.md); empty after a sparse one.
    const std::vector<double>& ridges() const { return m_ridges; }
    /// The relative L1 penalty (× max_k |Xᵀr|_k, per row) each receiver set's last sparse refit chose.
    const std::vector<double>& penalties() const { return m_penalties; }
    /// The factor the last refit applied to φ* (1 when it left φ* as it was).
    double updateScale() const { return m_updateScale; }

    /// The relative ridges λ (× mean(diag G)) the validation chooses from.
    static constexpr double kRidges[] = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1};
    /// The relative L1 penalties the sparse refit's validation chooses from, largest first (a path).
    static constexpr double kPenalties[] = {0.3, 0.1, 0.03, 0.01, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5};

private:
    /// Receivers sharing one ψ*: their rows of W and the table [kGridPoints, N] of ψ* on each sender's range.
    struct Receivers
    {
        std::vector<int64_t> rows;
        torch::Tensor transfer;
    };
    /// W [N, N] (double) for the current φ*, ψ* and latents; sets the ridges or penalties and φ*'s factor.
    torch::Tensor solve(bool sparse);
    std::vector<Receivers> receiverSets();
    /// ψ* tabulated on each sender's activity range with `receiver` [d] as the receiver's latent (undefined: none).
    torch::Tensor transferTable(const torch::Tensor& receiver);
    torch::Tensor gridOfRanges() const; ///< [kGridPoints, N]: column j spans neuron j's activity range
    /// X [rows, N] (double) from a ψ* table, for the frames start, start + stride, … (rows of them).
    void fillFeatures(const torch::Tensor& table, int64_t start, int64_t rows, int64_t stride,
                      torch::Tensor& features) const;
    /// R [rows, N] (double): du/dt − φ* − input, and F: φ*, at the same frames.
    void fillResiduals(const torch::Tensor& update, int64_t start, int64_t rows, int64_t stride,
                       torch::Tensor& residuals, torch::Tensor& updates) const;
    /// XᵀX [N, N], Xᵀ R and Xᵀ F [N, rows of the set], Σ r·f and Σ f² over the set's rows, over some frames.
    struct Sums
    {
        torch::Tensor gram, cross, crossUpdate;
        double residualUpdate = 0.0, updateSquared = 0.0;
    };
    /// Adds the frames begin … end − 1 (of the strided ones) to each set's sums.
    void accumulate(const std::vector<Receivers>& sets, const std::vector<torch::Tensor>& indices,
                    const torch::Tensor& update, int64_t begin, int64_t end, int64_t stride,
                    std::vector<Sums>& sums) const;
    /// W's rows `index` [m] (as columns [N, m]) from their G and Xᵀ R, with w_ii = 0 and the relative ridge.
    static torch::Tensor solveRows(torch::Tensor gram, const torch::Tensor& cross, const torch::Tensor& index,
                                   double ridge);
    /// The relative ridge of kRidges whose rows, fitted on one half of the frames, predict the other best.
    static double chooseRidge(const Sums& first, const Sums& second, const torch::Tensor& index);
    /// One receiver set's sparse rows for one set of sums, walked down kPenalties with warm starts.
    struct SparsePath
    {
        Eigen::MatrixXd gram, cross; // G [N, N], Xᵀr [N, m]
        std::vector<Eigen::VectorXd> rows; // m rows of W (as vectors over the senders)
        std::vector<double> largest;       // per row: the smallest λ whose row is 0
    };
    static SparsePath sparsePath(const torch::Tensor& gram, const torch::Tensor& cross, const torch::Tensor& index);
    /// Every row of `path` solved for the relative penalty `level` from where it is (rows not begun when a stop is
    /// asked for are left; the caller then abandons the refit).
    void advance(SparsePath& path, const torch::Tensor& index, double level) const;
    static torch::Tensor rowsOf(const SparsePath& path); ///< [N, m] double, column c: row index[c] of W
    /// The index in kPenalties whose rows, fitted on one half of the frames, predict the other best (the path stops
    /// at the first level that predicts worse than the one before); `start`: the halves' mean rows at that level.
    std::size_t choosePenalty(const Sums& first, const Sums& second, const torch::Tensor& index,
                              std::vector<Eigen::VectorXd>& start) const;
    /// W [N, N] from the sums of the two halves: ridge rows and φ*'s common factor, or sparse rows.
    torch::Tensor denseConnectivity(const std::vector<Receivers>& sets, const std::vector<torch::Tensor>& indices,
                                    const std::vector<Sums>& early, const std::vector<Sums>& late);
    torch::Tensor sparseConnectivity(const std::vector<Receivers>& sets, const std::vector<torch::Tensor>& indices,
                                     const std::vector<Sums>& early, const std::vector<Sums>& late);
    /// Throws Abandoned when a stop has been asked for.
    void checkStop() const;
    struct Abandoned {};
    /// Scales φ*'s output layer by `factor`.
    void scaleUpdateFunction(double factor);

    static constexpr int64_t kGridPoints = 1024;

    AssemblyModel m_model;
    std::shared_ptr<const Dataset> m_data;
    int64_t m_frames;
    std::function<bool()> m_stopRequested;
    std::vector<float> m_low, m_step; // per neuron: activity minimum and grid spacing
    std::vector<double> m_ridges, m_penalties;
    double m_updateScale = 1.0;
};

} // namespace plexus
